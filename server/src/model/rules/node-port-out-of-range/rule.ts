import { parsePortRange } from '../../net';
import { readService } from '../../objects';
import { defineRule } from '../rule';

export default defineRule({
  code: 'node-port-out-of-range', severity: 'error', kinds: ['Service'],
  rejectedBy: 'the node port allocator ("provided port is not in the valid range", --service-node-port-range)',
  title: 'A nodePort outside the node-port range',
  why: 'The API server rejects it (default range 30000–32767, setting nodePortRange)',
  example: '`nodePort: 8080`',
  fix: 'Pick a port in the range, or omit it',
  checks: {
    object(o, ctx, report) {
      const svc = readService(o);
      if (!svc || (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer')) return;
      const [lo, hi] = parsePortRange(ctx.settings.nodePortRange);
      for (const p of svc.ports) {
        if (p.nodePort !== undefined && (p.nodePort < lo || p.nodePort > hi)) {
          report.at(o, p.nodePortNode, `nodePort ${p.nodePort} is outside the node-port range ${lo}-${hi} (setting nodePortRange).`);
        }
      }
    },
  },
});
