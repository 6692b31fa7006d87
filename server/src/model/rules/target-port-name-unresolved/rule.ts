import { WORKLOAD_KINDS } from '../../objects';
import { closest } from '../../suggest';
import { related, workloadRef } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'target-port-name-unresolved', severity: 'error', kinds: ['Service', ...WORKLOAD_KINDS],
  title: 'A named targetPort none of the selected pods defines',
  why: 'The port reaches nothing: every selected pod lacks a container port of that name',
  example: 'targetPort `http`; container port named `web`',
  fix: 'Use an existing port name (quick fix), or name the container port',
  checks: {
    service(svc, res, report) {
      if (svc.type === 'ExternalName') return;
      const o = svc.obj;
      for (const { port, targets } of res.ports) {
        const tp = port.targetPort;
        if (typeof tp !== 'string' || targets.length === 0 || !targets.every((t) => t.unresolved)) continue;
        const where = port.targetPortNode ?? port.portNode;
        const allNames = [...new Set(targets.flatMap((t) => t.workload.ports.map((p) => p.name).filter((n): n is string => !!n)))];
        const guess = closest(tp, allNames);
        report.at(o, where,
          `targetPort \`${tp}\` names no container port of the selected pods (${targets.map((t) => workloadRef(t.workload)).join(', ')}), so port ${port.port} reaches nothing` +
          `${guess ? `; did you mean \`${guess}\`?` : allNames.length ? `. Named ports there: ${allNames.join(', ')}.` : '. The pods declare no named ports.'}`,
          {
            related: targets.map((t) => related(t.workload.obj, t.workload.labelsNode, `${workloadRef(t.workload)} has no container port named \`${tp}\``)),
            fixes: guess && where ? [{ title: `Change to \`${guess}\``, edits: [{ uri: o.uri, range: o.src.nodeRange(where), newText: guess }] }] : [],
          });
      }
    },
  },
});
