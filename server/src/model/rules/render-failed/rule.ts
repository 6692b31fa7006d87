import { defineRule } from '../rule';

export default defineRule({
  code: 'render-failed', severity: 'warning', kinds: ['Kustomization', 'Chart'], reportedBy: 'workspace.ts (workspace/render)', engineScope: 'workspace', rendered: true,
  title: 'Kustomize or Helm could not render the unit',
  why: '`kubectl apply -k` or `helm install` would fail the same way, so nothing of the unit can be applied as it stands; the message is the renderer\'s, at the line it names',
  example: 'a patch whose target matches no object; a template calling an undefined helper',
  fix: 'Fix what the renderer names; until then the unit is read unrendered (Kustomize) or not at all (Helm)',
});
