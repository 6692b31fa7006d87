import { defineRule } from '../rule';

export default defineRule({
  code: 'ignore-unknown-rule', severity: 'warning', kinds: ['*'], reportedBy: 'suppress.ts',
  title: 'A `ksi-ignore` comment or ignore annotation names no rule',
  why: 'It suppresses nothing, so the finding it was meant for (often a misspelt code) is still reported, or the rule was renamed',
  example: '`# ksi-ignore target-port-exposed: sidecar` (the code is `target-port-not-exposed`)',
  fix: 'Use a code from `ksi rules` (did-you-mean offered)',
});
