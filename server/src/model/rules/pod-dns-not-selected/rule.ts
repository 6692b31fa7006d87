import { hasSelector, WORKLOAD_KINDS } from '../../objects';
import { related, workloadRef } from '../report';
import { defineRule } from '../rule';

// Per-pod records (`web-0.web`, `hostname.subdomain`) come from the headless Service's
// endpoints (SEMANTICS §4): a pod the Service does not select gets none.
export default defineRule({
  code: 'pod-dns-not-selected', severity: 'warning', kinds: ['Service', ...WORKLOAD_KINDS],
  title: 'The headless Service behind per-pod DNS names does not select the pods',
  why: 'Names like `web-0.web` come from the Service\'s endpoints, so they never resolve for pods it does not select',
  example: 'StatefulSet `web` (`app: web`) with `serviceName: web`, whose selector is `app: nginx`',
  fix: 'Make the headless Service select the pods (its selector within their labels)',
  checks: {
    namespace(view, report) {
      for (const w of view.workloads) {
        const name = w.kind === 'StatefulSet' ? w.serviceName : w.hostname ? w.subdomain : undefined;
        const svc = name ? view.services.get(name) : undefined;
        // Not headless, or missing: the statefulset-service-* and pod-subdomain rules say so.
        if (!svc?.headless || !Object.keys(w.labels).length) continue;
        const res = view.resolve(svc);
        if (res.workloads.includes(w)) continue;
        // A selectorless Service with hand-written Endpoints may name the pods itself.
        if (!hasSelector(svc) && res.endpoints.length) continue;
        const names = w.kind === 'StatefulSet' ? `\`${w.name}-0.${svc.name}\`` : `\`${w.hostname}.${svc.name}\``;
        const others = res.workloads.map(workloadRef);
        report.at(w.obj, w.kind === 'StatefulSet' ? w.serviceNameNode : w.subdomainNode,
          `Headless Service \`${svc.name}\` ${hasSelector(svc) ? `does not select the pods of ${workloadRef(w)}${others.length ? ` (it selects ${others.join(', ')})` : ' (it selects no pods)'}` : 'has no selector and no Endpoints'}, ` +
          `so per-pod names like ${names} never resolve.`,
          { related: [related(svc.obj, svc.selectorNode, 'the Service\'s selector')] });
      }
    },
  },
});
