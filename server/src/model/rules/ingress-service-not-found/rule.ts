import { ingressBackends } from '../../objects';
import { closest } from '../../suggest';
import { defineRule } from '../rule';

export default defineRule({
  code: 'ingress-service-not-found', severity: 'warning', kinds: ['Ingress', 'Service'],
  title: 'An Ingress backend names a Service not in the namespace',
  why: 'The controller answers 503 for that path',
  example: '`service.name: web-svc` with no such Service',
  fix: 'Use the Service\'s name (did-you-mean offered)',
  checks: {
    namespace(view, report) {
      for (const ing of view.ingresses) {
        const o = ing.obj;
        for (const b of ingressBackends(ing)) {
          if (b.resource || !b.serviceName || view.services.has(b.serviceName)) continue;
          const guess = closest(b.serviceName, view.services.keys());
          report.at(o, b.serviceNameNode,
            `Ingress \`${ing.name}\` routes to Service \`${b.serviceName}\`, which is not in namespace \`${ing.namespace}\` in this workspace` +
            `${guess ? `; did you mean \`${guess}\`?` : '.'} Ingress backends must be in the Ingress's namespace.`,
            guess && b.serviceNameNode ? { fixes: [{ title: `Change to \`${guess}\``, edits: [{ uri: o.uri, range: o.src.nodeRange(b.serviceNameNode), newText: guess }] }] } : {});
        }
      }
    },
  },
});
