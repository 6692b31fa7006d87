import { describeSelector, WORKLOAD_KINDS } from '../../objects';
import { NoMatch, reportNoMatches, servicesWithoutMatch } from '../../selectorHints';
import { defineRule } from '../rule';

export default defineRule<'service-selector-no-match', NoMatch[]>({
  code: 'service-selector-no-match', severity: 'warning', kinds: ['Service', ...WORKLOAD_KINDS],
  title: 'A Service selector matches no pod template in its namespace',
  why: 'The Service has no endpoints; connections are refused',
  example: 'selector `app: web-frontend`, pods labelled `app: webfront`',
  fix: 'Use the existing label (quick fix), or move the Service to the pods\' namespace',
  holdsOnPart: true,
  checks: {
    // Namespaces whose custom resources may create pods are left to selector-operator-pods.
    facts: (view) => (view.podCreators.length ? [] : servicesWithoutMatch(view)),
    cluster(ctx, report) {
      reportNoMatches(ctx, report, (nm, _view, hint) =>
        `Service \`${nm.svc.name}\` selects \`${describeSelector(nm.svc.selector!)}\`, but no pod template in namespace \`${nm.svc.namespace}\` in this workspace has those labels, so it has no endpoints.${hint.text}`);
    },
  },
});
