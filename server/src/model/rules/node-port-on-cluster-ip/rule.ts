import { readService } from '../../objects';
import { defineRule } from '../rule';

export default defineRule({
  code: 'node-port-on-cluster-ip', severity: 'error', kinds: ['Service'],
  rejectedBy: 'ValidateService: nodePort may not be used with type ClusterIP',
  title: 'A nodePort on a ClusterIP Service',
  why: 'The API server rejects it',
  example: '`nodePort: 30080` without `type: NodePort`',
  fix: 'Set `type: NodePort` or remove `nodePort`',
  checks: {
    object(o, _ctx, report) {
      const svc = readService(o);
      if (svc?.type !== 'ClusterIP') return;
      for (const p of svc.ports) {
        if (p.nodePort !== undefined) {
          report.at(o, p.nodePortNode, `nodePort ${p.nodePort} is not allowed on a ClusterIP Service; set \`type: NodePort\` or \`LoadBalancer\`, or remove it.`);
        }
      }
    },
  },
});
