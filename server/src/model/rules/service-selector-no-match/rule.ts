import { describeSelector, WORKLOAD_KINDS } from '../../objects';
import { sameItems } from '../../namespaceView';
import { matchesElsewhere, NoMatch, noMatchHint, servicesWithoutMatch } from '../../selectorHints';
import { defineRule } from '../rule';

export default defineRule<'service-selector-no-match', NoMatch[]>({
  code: 'service-selector-no-match', severity: 'warning', kinds: ['Service', ...WORKLOAD_KINDS],
  title: 'A Service selector matches no pod template in its namespace',
  why: 'The Service has no endpoints; connections are refused',
  example: 'selector `app: web-frontend`, pods labelled `app: webfront`',
  fix: 'Use the existing label (quick fix), or move the Service to the pods\' namespace',
  checks: {
    // Namespaces whose custom resources may create pods are left to selector-operator-pods.
    facts: (view) => (view.podCreators.length ? [] : servicesWithoutMatch(view)),
    cluster(ctx, report) {
      const byName = new Map(ctx.views.map((v) => [v.name, v]));
      ctx.views.forEach((view, i) => {
        for (const nm of ctx.facts[i]) {
          const elsewhere = matchesElsewhere(byName, ctx.namespacesWithLabels, view.name, nm.svc.selector!);
          // The finding depends only on the namespace (kept with its facts) and on the pods
          // found elsewhere: kept while those are the same, so unchanged files stay unchanged.
          if (!nm.report || !sameItems(nm.report.elsewhere, elsewhere)) {
            const hint = noMatchHint(view, elsewhere, nm.svc, nm.nearest);
            nm.report = {
              elsewhere,
              findings: report.collect((r) => r.at(nm.svc.obj, nm.svc.selectorNode,
                `Service \`${nm.svc.name}\` selects \`${describeSelector(nm.svc.selector!)}\`, but no pod template in namespace \`${nm.svc.namespace}\` in this workspace has those labels, so it has no endpoints.${hint.text}`,
                { fixes: hint.fixes, related: hint.related })),
            };
          }
          report.replay(nm.report.findings);
        }
      });
    },
  },
});
