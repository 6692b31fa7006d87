import { WORKLOAD_KINDS } from '../../objects';
import { related, workloadRef } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'pod-subdomain-no-service', severity: 'warning', kinds: ['Service', ...WORKLOAD_KINDS],
  title: 'A pod subdomain without a headless Service of that name',
  why: '`hostname.subdomain` records exist only with a headless Service',
  example: '`subdomain: workers` and no Service `workers`',
  fix: 'Add a headless Service named like the subdomain',
  checks: {
    namespace(view, report) {
      for (const w of view.workloads) {
        if (!w.subdomain) continue;
        const svc = view.services.get(w.subdomain);
        if (svc?.headless) continue;
        report.at(w.obj, w.subdomainNode,
          `Pods of ${workloadRef(w)} set subdomain \`${w.subdomain}\`, but ${svc ? `Service \`${svc.name}\` is not headless (clusterIP: None)` : `no headless Service \`${w.subdomain}\` is in namespace \`${w.namespace}\` in this workspace`}, ` +
          `so \`${w.hostname ?? '<hostname>'}.${w.subdomain}\` does not resolve.`,
          svc ? { related: [related(svc.obj, svc.clusterIPNode, 'the Service')] } : {});
      }
    },
  },
});
