import { defineRule } from '../rule';

export default defineRule({
  code: 'helm-chart-not-rendered', severity: 'information', kinds: ['*'], reportedBy: 'workspace.ts (units/discover.ts)', engineScope: 'workspace',
  title: 'A Helm chart is not analysed',
  why: 'Its templates are not manifests until rendered; nothing below the chart is read',
  example: 'a folder with `Chart.yaml` and `templates/`',
  fix: 'Analyse the rendered chart: `helm template DIR \\| ksi check -`',
});
