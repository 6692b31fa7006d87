import { byObjectOrder } from '../../claims';
import { formatIPv4, parseCidr } from '../../net';
import { related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'cluster-ip-conflict', severity: 'error', kinds: ['Service'],
  rejectedBy: 'the cluster IP allocator ("provided IP is already allocated")',
  title: 'Two Services claim the same clusterIP (or the API Service\'s)',
  why: 'Cluster IPs are unique; the second Service is rejected',
  example: 'two Services with `clusterIP: 10.96.0.50`',
  fix: 'Omit clusterIP and let the cluster allocate',
  holdsOnPart: true,
  checks: {
    cluster(ctx, report) {
      const cidr = parseCidr(ctx.settings.serviceCIDR);
      const kubernetesIP = cidr ? formatIPv4(cidr.base + 1) : undefined;
      for (const [ip, claimed] of ctx.claims.clusterIPs) {
        if (claimed.length > 1) {
          const svcs = byObjectOrder(claimed, (x) => x);
          for (const svc of svcs) {
            const others = svcs.filter((x) => x !== svc);
            report.at(svc.obj, svc.clusterIPNode,
              `clusterIP ${ip} is also claimed by ${others.map((x) => `Service \`${x.namespace}/${x.name}\``).join(', ')}; cluster IPs are unique, so the API server rejects the second one.`,
              { related: others.map((x) => related(x.obj, x.clusterIPNode, 'same clusterIP')) });
          }
        } else if (ip === kubernetesIP && !(claimed[0].namespace === 'default' && claimed[0].name === 'kubernetes')) {
          report.at(claimed[0].obj, claimed[0].clusterIPNode,
            `clusterIP ${ip} is the first address of the service CIDR, which the cluster gives to the \`kubernetes\` API Service.`);
        }
      }
    },
  },
});
