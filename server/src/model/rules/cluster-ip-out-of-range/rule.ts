import { cidrContains, parseCidr, parseIPv4 } from '../../net';
import { readService } from '../../objects';
import { defineRule } from '../rule';

export default defineRule({
  code: 'cluster-ip-out-of-range', severity: 'error', kinds: ['Service'],
  rejectedBy: 'the cluster IP allocator ("the provided IP is not in the valid range"; ranges from --service-cluster-ip-range and ServiceCIDR objects)',
  title: 'An explicit clusterIP outside the service CIDR',
  why: 'The API server rejects it (setting serviceCIDR, default 10.96.0.0/12)',
  example: '`clusterIP: 192.168.1.10`',
  fix: 'Use an address in the CIDR, or omit it',
  checks: {
    object(o, ctx, report) {
      const svc = readService(o);
      const ip = svc?.clusterIP ? parseIPv4(svc.clusterIP) : undefined;
      const cidr = parseCidr(ctx.settings.serviceCIDR);
      if (svc && ip !== undefined && cidr && !cidrContains(cidr, ip)) {
        report.at(o, svc.clusterIPNode, `clusterIP ${svc.clusterIP} is outside the service CIDR ${ctx.settings.serviceCIDR} (setting serviceCIDR); the API server rejects it.`);
      }
    },
  },
});
