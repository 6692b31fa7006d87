import { defineRule } from '../rule';

export default defineRule({
  code: 'yaml-syntax', severity: 'error', kinds: ['*'], reportedBy: 'parse.ts',
  title: 'The YAML does not parse (or repeats a key)',
  why: 'kubectl cannot read the document; the rest of the file is still analysed',
  example: '`ports: [80` (unclosed list); `selector:` twice in one map',
  fix: 'Fix the syntax at the marked position',
});
