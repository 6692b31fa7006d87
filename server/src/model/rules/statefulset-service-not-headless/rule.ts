import { related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'statefulset-service-not-headless', severity: 'warning', kinds: ['StatefulSet', 'Service'],
  title: 'A StatefulSet\'s serviceName is not a headless Service',
  why: 'Per-pod DNS names (`web-0.web`) need `clusterIP: None`',
  example: '`serviceName: web` where Service `web` has a cluster IP',
  fix: 'Add `clusterIP: None` (or a second, headless Service)',
  checks: {
    namespace(view, report) {
      for (const w of view.workloads) {
        const svc = w.serviceName ? view.services.get(w.serviceName) : undefined;
        if (!svc || svc.headless) continue;
        report.at(w.obj, w.serviceNameNode,
          `StatefulSet \`${w.name}\` uses Service \`${svc.name}\`, which is not headless; pod names like \`${w.name}-0.${svc.name}\` resolve only through a headless Service (\`clusterIP: None\`).`,
          { related: [related(svc.obj, svc.clusterIPNode ?? svc.typeNode, 'the Service')] });
      }
    },
  },
});
