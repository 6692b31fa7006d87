import { WORKLOAD_KINDS } from '../../objects';
import { closest } from '../../suggest';
import { related, workloadRef } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'target-port-not-exposed', severity: 'warning', kinds: ['Service', ...WORKLOAD_KINDS],
  title: 'A numeric targetPort no selected container declares, while they declare others',
  why: 'The classic typo (3006 for 3306): traffic goes to a port nobody listens on',
  example: 'targetPort 8008; container ports 8080',
  fix: 'Use the declared container port',
  checks: {
    service(svc, res, report) {
      if (svc.type === 'ExternalName') return;
      const o = svc.obj;
      for (const { port, targets } of res.ports) {
        const tp = port.targetPort;
        // An invalid protocol is reported by the schema check; comparing against it says nothing.
        if (typeof tp !== 'number' || !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) continue;
        // Declaring container ports is informational, so only a declared set that misses the
        // target is suspicious.
        const declaring = targets.filter((t) => t.workload.ports.length > 0);
        if (declaring.length === 0 || declaring.some((t) => !t.undeclared)) continue;
        const where = port.targetPortNode ?? port.portNode;
        const declared = [...new Set(declaring.flatMap((t) => t.workload.ports.filter((p) => p.protocol === port.protocol)
          .map((p) => p.containerPort).filter((n): n is number => n !== undefined)))];
        const guess = closest(String(tp), declared.map(String));
        const explicitTarget = port.explicitTargetPort;
        const advice = !explicitTarget && declared.length === 1
          ? ` The port has no targetPort, so traffic goes to ${tp}; add \`targetPort: ${declared[0]}\`?`
          : guess ? ` Did you mean ${guess}?` : '';
        report.at(o, where,
          `Service \`${svc.name}\` sends port ${port.port} to ${port.protocol} ${tp}, but the selected pods declare only ${declared.join(', ') || 'other protocols'} ` +
          `(${declaring.map((t) => workloadRef(t.workload)).join(', ')}).${advice}`,
          {
            related: declaring.map((t) => related(t.workload.obj, t.workload.ports[0]?.node, `${workloadRef(t.workload)} container ports`)),
            fixes: explicitTarget && guess && where
              ? [{ title: `Change targetPort to ${guess}`, edits: [{ uri: o.uri, range: o.src.nodeRange(where), newText: guess }] }]
              : [],
          });
      }
    },
  },
});
