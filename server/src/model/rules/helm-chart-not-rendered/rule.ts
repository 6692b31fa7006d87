import { defineRule } from '../rule';

export default defineRule({
  code: 'helm-chart-not-rendered', severity: 'information', kinds: ['*'], reportedBy: 'workspace.ts (units/discover.ts)', engineScope: 'workspace',
  title: 'A Helm chart is not analysed',
  why: 'Its templates are not manifests until rendered, and it was not (no helm found, a restricted workspace, `--no-render`, or a library chart); nothing below the chart is read',
  example: 'a folder with `Chart.yaml` and `templates/`',
  fix: 'Let it be rendered: helm on PATH or `kubeServiceInsight.helmPath` / `--helm`, in a trusted workspace',
});
