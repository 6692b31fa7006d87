import { describeSelector, isEmptySelector, WORKLOAD_KINDS } from '../../objects';
import { defineRule } from '../rule';

export default defineRule({
  code: 'network-policy-no-match', severity: 'warning', kinds: ['NetworkPolicy', ...WORKLOAD_KINDS],
  title: 'A NetworkPolicy podSelector matches no pod template',
  why: 'The policy has no effect',
  example: '`podSelector: {matchLabels: {app: db}}` with pods labelled `app: postgres`',
  fix: 'Use existing labels',
  checks: {
    namespace(view, report) {
      // Namespaces whose custom resources may create pods are left to selector-operator-pods.
      if (view.podCreators.length) return;
      for (const pol of view.policies) {
        if (isEmptySelector(pol.podSelector) || view.select(pol.podSelector).length) continue;
        report.at(pol.obj, pol.podSelectorNode,
          `NetworkPolicy \`${pol.name}\` selects pods \`${describeSelector(pol.podSelector)}\`, but no pod template in namespace \`${pol.namespace}\` has those labels; it has no effect.`);
      }
    },
  },
});
