import { defineRule } from '../rule';

export default defineRule({
  code: 'render-incomplete', severity: 'information', kinds: ['Kustomization', 'Chart'], reportedBy: 'workspace.ts (workspace/render)', engineScope: 'workspace', rendered: true,
  title: 'Part of a unit was not rendered',
  why: 'Remote resources are never fetched and chart dependencies never downloaded (no network is contacted), and a render stopped by its time or memory limit is not analysed, so those objects are missing from the analysis',
  example: '`resources: [https://github.com/org/repo//base?ref=v1]`; a chart dependency missing from `charts/`',
  fix: 'Vendor the remote base into the repository, run `helm dependency build` yourself, or raise `kubeServiceInsight.renderTimeout` (`--render-timeout`)',
});
