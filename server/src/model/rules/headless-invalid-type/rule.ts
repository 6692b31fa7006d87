import { readService } from '../../objects';
import { defineRule } from '../rule';

export default defineRule({
  code: 'headless-invalid-type', severity: 'error', kinds: ['Service'],
  rejectedBy: 'ValidateService: clusterIP None is not allowed for NodePort and LoadBalancer',
  title: '`clusterIP: None` on a NodePort or LoadBalancer Service',
  why: 'The API server rejects it; headless is only for ClusterIP',
  example: '`type: NodePort` with `clusterIP: None`',
  fix: 'Drop `clusterIP: None` or use type ClusterIP',
  checks: {
    object(o, _ctx, report) {
      const svc = readService(o);
      if (svc?.headless && (svc.type === 'NodePort' || svc.type === 'LoadBalancer')) {
        report.at(o, svc.clusterIPNode, `\`clusterIP: None\` (headless) is only valid for type ClusterIP, not ${svc.type}.`);
      }
    },
  },
});
