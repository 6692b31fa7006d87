import { defineRule } from '../rule';

export default defineRule({
  code: 'units-split', severity: 'information', kinds: ['*'], reportedBy: 'workspace.ts (units/discover.ts)', engineScope: 'workspace',
  title: 'A folder holds alternatives, read as separate apply units',
  why: 'Files that declare the same objects are alternative installs or independent fixtures; analysed together they would clash',
  example: '`install.yaml` and `namespace-install.yaml` both declare Service `argocd-server`',
  fix: 'Nothing, if they are alternatives; otherwise declare the unit in `.ksi.yaml` (`units: [folder]`)',
});
