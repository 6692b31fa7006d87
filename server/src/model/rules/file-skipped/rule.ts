import { defineRule } from '../rule';

export default defineRule({
  code: 'file-skipped', severity: 'information', kinds: ['*'], reportedBy: 'model.ts (reasons from workspace/files.ts)',
  title: 'A file was not analysed',
  why: 'It is too large (setting maxFileSize), binary, or not UTF-8',
  example: 'a 20 MB generated bundle',
  fix: 'Raise maxFileSize or exclude the file',
});
