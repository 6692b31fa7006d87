import { WORKLOAD_KINDS } from '../../objects';
import { related, workloadRef } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'target-port-name-partial', severity: 'warning', kinds: ['Service', ...WORKLOAD_KINDS],
  title: 'A named targetPort only some of the selected pods define',
  why: 'Pods without that port name get no traffic on the port; the others do (sometimes deliberate during a migration)',
  example: 'targetPort `http`; Deployment `web` names its port `http`, Deployment `web-canary` names it `web`',
  fix: 'Give the port the same name in every selected pod template',
  checks: {
    service(svc, res, report) {
      if (svc.type === 'ExternalName') return;
      for (const { port, targets } of res.ports) {
        const tp = port.targetPort;
        if (typeof tp !== 'string') continue;
        const missing = targets.filter((t) => t.unresolved);
        if (missing.length === 0 || missing.length === targets.length) continue;
        report.at(svc.obj, port.targetPortNode ?? port.portNode,
          `targetPort \`${tp}\` is not defined by ${missing.map((t) => workloadRef(t.workload)).join(', ')}; those pods get no traffic on port ${port.port}, the others do.`,
          { related: missing.map((t) => related(t.workload.obj, t.workload.labelsNode, `${workloadRef(t.workload)} has no container port named \`${tp}\``)) });
      }
    },
  },
});
