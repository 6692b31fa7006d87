import { defineRule } from '../rule';

export default defineRule({
  code: 'yaml-compat', severity: 'warning', kinds: ['*'], reportedBy: 'parse.ts',
  title: 'YAML that kubectl reads but YAML 1.2 tools reject',
  why: 'kubectl (go-yaml) accepts it and the document is analysed as kubectl reads it, but other tools in the pipeline (linters, editors, yq) may fail on it',
  example: 'a single-quoted annotation whose second line is indented less than its key',
  fix: 'Indent the continuation lines past the key, or use a block scalar (`|` or `>`)',
});
