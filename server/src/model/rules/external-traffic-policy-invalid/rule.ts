import { readService } from '../../objects';
import { nodeAt, str } from '../../yamlNodes';
import { defineRule } from '../rule';

export default defineRule({
  code: 'external-traffic-policy-invalid', severity: 'error', kinds: ['Service'],
  rejectedBy: 'validateServiceExternalTrafficPolicy: only for externally accessible Services',
  title: 'externalTrafficPolicy on a Service that is not externally reachable',
  why: 'The API server rejects it on ClusterIP (without externalIPs) and ExternalName',
  example: '`externalTrafficPolicy: Local` on a ClusterIP Service',
  fix: 'Remove it, or make the Service NodePort/LoadBalancer',
  checks: {
    object(o, _ctx, report) {
      const svc = readService(o);
      const node = svc?.externalTrafficPolicyNode;
      if (!svc || !node || !str(nodeAt(o.node, node))) return;
      const external = svc.type === 'NodePort' || svc.type === 'LoadBalancer' || (svc.type === 'ClusterIP' && svc.externalIPs.length > 0);
      if (!external) {
        report.at(o, node, `externalTrafficPolicy applies only to NodePort and LoadBalancer Services (or ClusterIP with externalIPs); the API server rejects it on ${svc.type}.`);
      }
    },
  },
});
