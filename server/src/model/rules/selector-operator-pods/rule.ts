import { describeSelector, isEmptySelector } from '../../objects';
import { sameItems } from '../../namespaceView';
import { matchesElsewhere, NoMatch, noMatchHint, servicesWithoutMatch } from '../../selectorHints';
import { operatorNote } from '../report';
import { defineRule } from '../rule';

export default defineRule<'selector-operator-pods', NoMatch[]>({
  code: 'selector-operator-pods', severity: 'information', kinds: ['Service', 'NetworkPolicy', 'custom resources'],
  title: 'A selector matches no pod in the manifests, but custom resources there may create its pods',
  why: 'Operators (databases, monitoring stacks, …) create pods from custom resources; the selector may well match them, which the manifests cannot show',
  example: 'Service `db` selecting `app: postgres` next to a `postgresql.cnpg.io` Cluster',
  fix: 'Nothing, if the operator labels its pods so; otherwise check the labels the operator sets',
  checks: {
    facts: (view) => (view.podCreators.length ? servicesWithoutMatch(view) : []),
    cluster(ctx, report) {
      const byName = new Map(ctx.views.map((v) => [v.name, v]));
      ctx.views.forEach((view, i) => {
        for (const nm of ctx.facts[i]) {
          const elsewhere = matchesElsewhere(byName, ctx.namespacesWithLabels, view.name, nm.svc.selector!);
          if (!nm.report || !sameItems(nm.report.elsewhere, elsewhere)) {
            const hint = noMatchHint(view, elsewhere, nm.svc, nm.nearest);
            nm.report = {
              elsewhere,
              findings: report.collect((r) => r.at(nm.svc.obj, nm.svc.selectorNode,
                `Service \`${nm.svc.name}\` selects \`${describeSelector(nm.svc.selector!)}\`, but no pod template in namespace \`${nm.svc.namespace}\` in this workspace has those labels.${operatorNote(view)}${hint.text}`,
                { fixes: hint.fixes, related: hint.related })),
            };
          }
          report.replay(nm.report.findings);
        }
      });
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
