import { defineRule } from '../rule';

export default defineRule({
  code: 'config-invalid', severity: 'error', kinds: [], reportedBy: 'workspace.ts', engineScope: 'workspace',
  title: '`.ksi.yaml` cannot be read',
  why: 'The units or rule settings it declares are not applied',
  example: '`units: apps/*` (a string, not a list); `rules: {target-port-not-exposed: loud}`',
  fix: 'Write `units:` as a list of globs and `rules:` as a map of codes to off, information, warning or error',
});
