import { byObjectOrder } from '../../claims';
import { related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'node-port-conflict', severity: 'error', kinds: ['Service'],
  rejectedBy: 'the node port allocator ("provided port is already allocated")',
  title: 'Two Services claim the same nodePort',
  why: 'Node ports are cluster-wide; the second Service is rejected',
  example: 'two Services with `nodePort: 30080`',
  fix: 'Give one another port, or omit it',
  holdsOnPart: true,
  checks: {
    cluster(ctx, report) {
      for (const key of ctx.claims.sharedNodePorts) {
        const uses = byObjectOrder(ctx.claims.nodePorts.get(key)!, (x) => x.svc);
        for (const u of uses) {
          const others = uses.filter((x) => x !== u);
          report.at(u.svc.obj, u.node as never,
            `nodePort ${key} is also used by ${others.map((x) => `Service \`${x.svc.namespace}/${x.svc.name}\``).join(', ')}; node ports are unique across the cluster, so the API server rejects the second one.`,
            { related: others.map((x) => related(x.svc.obj, x.node as never, 'same nodePort')) });
        }
      }
    },
  },
});
