import { defineRule } from '../rule';

export default defineRule({
  code: 'yaml-too-complex', severity: 'error', kinds: ['*'], reportedBy: 'parse.ts',
  title: 'A document is too large or too deeply nested to analyse',
  why: 'Protects the editor from pathological files (alias bombs, generated monsters)',
  example: '200,000 nodes in one document',
  fix: 'Split the document',
});
