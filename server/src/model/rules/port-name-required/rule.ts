import { readService } from '../../objects';
import { indentOf, startRange } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'port-name-required', severity: 'error', kinds: ['Service'],
  rejectedBy: 'ValidateService: names are required when a Service has more than one port',
  title: 'A multi-port Service with an unnamed port',
  why: 'The API server rejects it',
  example: 'two ports, one without `name`',
  fix: 'Name every port (quick fix)',
  checks: {
    object(o, _ctx, report) {
      const svc = readService(o);
      if (!svc || svc.ports.length < 2 || svc.type === 'ExternalName') return;
      for (const p of svc.ports) {
        if (p.name) continue;
        const suggestion = p.port !== undefined ? `port-${p.port}` : undefined;
        report.at(o, p.portNode ?? p.node, `Service \`${svc.name}\` has ${svc.ports.length} ports, so every port needs a unique \`name\`.`,
          suggestion && p.portNode
            ? { fixes: [{ title: `Add \`name: ${suggestion}\``, edits: [{ uri: o.uri, range: startRange(o, p.node), newText: `name: ${suggestion}\n${indentOf(o, p.node)}` }] }] }
            : {});
      }
    },
  },
});
