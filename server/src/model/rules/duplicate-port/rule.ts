import type { Span } from '../../yamlNodes';
import { readPodTemplate, readService, WORKLOAD_KINDS } from '../../objects';
import { related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'duplicate-port', severity: 'error', kinds: ['Service', ...WORKLOAD_KINDS],
  rejectedBy: 'ValidateService (port names and port/protocol pairs unique) and validateContainerPorts (names unique per container)',
  title: 'The same port/protocol or port name twice',
  why: 'The API server rejects the object',
  example: 'two `port: 80` TCP entries',
  fix: 'Remove or rename the duplicate',
  checks: {
    object(o, _ctx, report) {
      const svc = o.kind === 'Service' ? readService(o) : undefined;
      if (svc) {
        const seenPorts = new Map<string, Span>();
        const seenNames = new Map<string, Span>();
        for (const p of svc.ports) {
          if (p.name) {
            const prev = seenNames.get(p.name);
            if (prev) report.at(o, p.nameNode, `Port name \`${p.name}\` is used twice in Service \`${svc.name}\`.`, { related: [related(o, prev, 'first use')] });
            else if (p.nameNode) seenNames.set(p.name, p.nameNode);
          }
          if (p.port !== undefined) {
            const key = `${p.port}/${p.protocol}`;
            const prev = seenPorts.get(key);
            if (prev) report.at(o, p.portNode, `Port ${p.port}/${p.protocol} is declared twice in Service \`${svc.name}\`.`, { related: [related(o, prev, 'first declaration')] });
            else if (p.portNode) seenPorts.set(key, p.portNode);
          }
        }
        return;
      }
      // The API server checks port names within each container (validateContainerPorts);
      // the same name in two containers is port-name-shared (accepted, but ambiguous).
      const w = readPodTemplate(o);
      const names = new Map<string, Span>();
      for (const p of w?.ports ?? []) {
        if (p.name === undefined) continue;
        const key = `${p.container}\n${p.name}`;
        const prev = names.get(key);
        if (prev) report.at(o, p.nameNode, `Port name \`${p.name}\` is used twice in container \`${p.container}\`; the API server rejects the pod.`, { related: [related(o, prev, 'first use')] });
        else if (p.nameNode) names.set(key, p.nameNode);
      }
    },
  },
});
