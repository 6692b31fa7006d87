import { defineRule } from '../rule';

export default defineRule({
  code: 'kustomize-not-rendered', severity: 'information', kinds: ['Kustomization'], reportedBy: 'workspace.ts (units/discover.ts)', engineScope: 'workspace',
  title: 'A Kustomize root read through its resources, without rendering',
  why: 'Patches, name prefixes and label transformers are not applied, so findings they could change are not reported for that unit',
  example: 'a kustomization with `patches:` and `namePrefix:`',
  fix: 'For exact results analyse the rendered output: `kubectl kustomize DIR \\| ksi check -`',
});
