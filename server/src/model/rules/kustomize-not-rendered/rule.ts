import { defineRule } from '../rule';

export default defineRule({
  code: 'kustomize-not-rendered', severity: 'information', kinds: ['Kustomization'], reportedBy: 'workspace.ts (units/discover.ts)', engineScope: 'workspace',
  title: 'A Kustomize root read through its resources, without rendering',
  why: 'With no renderer (none found, a restricted workspace, `--no-render`), patches, name prefixes and label transformers are not applied, so findings they could change are not reported for that unit',
  example: 'a kustomization with `patches:` and `namePrefix:`',
  fix: 'Let it be rendered: kubectl (or kustomize) on PATH or `kubeServiceInsight.kubectlPath` / `--kubectl`, in a trusted workspace',
});
