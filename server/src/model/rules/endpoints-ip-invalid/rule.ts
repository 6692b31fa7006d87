import { byObjectOrder } from '../../claims';
import { endpointAddressProblem } from '../../net';
import { readEndpoints } from '../../objects';
import { get, str } from '../../yamlNodes';
import { related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'endpoints-ip-invalid', severity: 'error', kinds: ['Endpoints', 'EndpointSlice'],
  rejectedBy: 'ValidateEndpointIP (Endpoints and IPv4/IPv6 EndpointSlices): unspecified, loopback, link-local, link-local multicast; a cluster IP is not rejected but unreachable (the Service docs)',
  title: 'An endpoint address that may not be used',
  why: 'Loopback, link-local, multicast and Service cluster IPs are rejected or unreachable',
  example: '`ip: 127.0.0.1`',
  fix: 'Use the backend\'s real address',
  holdsOnPart: true,
  checks: {
    object(o, _ctx, report) {
      if (o.kind === 'EndpointSlice' && str(get(o.node, 'addressType')) === 'FQDN') return;
      for (const subset of readEndpoints(o)?.subsets ?? []) {
        for (const a of subset.addresses) {
          const problem = a.ip ? endpointAddressProblem(a.ip) : undefined;
          if (problem) report.at(o, a.node, `Endpoint address ${problem}; the API server rejects it.`);
        }
      }
    },
    // Manual endpoints may not point at a Service's virtual IP, in any namespace.
    cluster(ctx, report) {
      for (const f of ctx.claims.all) {
        for (const a of f.endpointAddresses) {
          const claimed = ctx.claims.clusterIPs.get(a.ip);
          if (!claimed) continue;
          const owner = byObjectOrder(claimed, (x) => x)[0];
          report.at(a.ep.obj, a.node as never,
            `Endpoint address ${a.ip} is the cluster IP of Service \`${owner.namespace}/${owner.name}\`; endpoints must be pod or host addresses, not virtual IPs.`,
            { related: [related(owner.obj, owner.clusterIPNode, 'the Service')] });
        }
      }
    },
  },
});
