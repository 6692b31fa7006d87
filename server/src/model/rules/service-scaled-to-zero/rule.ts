import { WORKLOAD_KINDS, hasSelector } from '../../objects';
import { workloadRef } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'service-scaled-to-zero', severity: 'information', kinds: ['Service', ...WORKLOAD_KINDS],
  title: 'A Service selects only workloads scaled to 0 replicas',
  why: 'It has no endpoints until they scale up (often deliberate: a suspended app, or an autoscaler that starts from zero)',
  example: 'Service `web` selecting Deployment `web` with `replicas: 0`',
  fix: 'Nothing, if the scale-down is deliberate; otherwise raise `replicas`',
  checks: {
    service(svc, res, report) {
      if (svc.type === 'ExternalName' || !hasSelector(svc) || res.workloads.length === 0) return;
      if (res.workloads.every((w) => w.replicas === 0)) {
        report.at(svc.obj, svc.selectorNode,
          `Service \`${svc.name}\` selects only workloads scaled to 0 replicas (${res.workloads.map(workloadRef).join(', ')}); it has no endpoints until they scale up.`);
      }
    },
  },
});
