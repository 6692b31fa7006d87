import { describeSelector, isEmptySelector } from '../../objects';
import { NoMatch, reportNoMatches, servicesWithoutMatch } from '../../selectorHints';
import { operatorNote } from '../report';
import { defineRule } from '../rule';

export default defineRule<'selector-operator-pods', NoMatch[]>({
  code: 'selector-operator-pods', severity: 'information', kinds: ['Service', 'NetworkPolicy', 'custom resources'],
  title: 'A selector matches no pod in the manifests, but custom resources there may create its pods',
  why: 'Operators (databases, monitoring stacks, …) create pods from custom resources; the selector may well match them, which the manifests cannot show',
  example: 'Service `db` selecting `app: postgres` next to a `postgresql.cnpg.io` Cluster',
  fix: 'Nothing, if the operator labels its pods so; otherwise check the labels the operator sets',
  holdsOnPart: true,
  checks: {
    facts: (view) => (view.podCreators.length ? servicesWithoutMatch(view) : []),
    cluster(ctx, report) {
      reportNoMatches(ctx, report, (nm, view, hint) =>
        `Service \`${nm.svc.name}\` selects \`${describeSelector(nm.svc.selector!)}\`, but no pod template in namespace \`${nm.svc.namespace}\` in this workspace has those labels.${operatorNote(view)}${hint.text}`);
    },
    namespace(view, report) {
      if (!view.podCreators.length) return;
      for (const pol of view.policies) {
        if (isEmptySelector(pol.podSelector) || view.select(pol.podSelector).length) continue;
        report.at(pol.obj, pol.podSelectorNode,
          `NetworkPolicy \`${pol.name}\` selects pods \`${describeSelector(pol.podSelector)}\`, but no pod template in namespace \`${pol.namespace}\` has those labels.${operatorNote(view)}`);
      }
    },
  },
});
