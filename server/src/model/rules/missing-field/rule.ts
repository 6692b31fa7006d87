import type { Node } from 'yaml';
import { readIngress, readService } from '../../objects';
import { asMap, get, getPair, nodeAt } from '../../yamlNodes';
import { indentOf, startRange } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'missing-field', severity: 'error', kinds: ['Service', 'Ingress'],
  rejectedBy: 'ValidateService / ValidateIngress: required fields',
  title: 'A required field is missing',
  why: 'The API server rejects the object',
  example: 'an Ingress v1 path without `pathType`; a Service port without `port`',
  fix: 'Add the field',
  cases: {
    'service-ports': 'A Service (not headless, not ExternalName) without ports',
    'service-port': 'A Service port without `port`',
    'path-type': 'A networking.k8s.io/v1 Ingress path without `pathType` (quick fix: `Prefix`)',
    'backend-service': 'An Ingress backend without `service.name`',
    'backend-port': 'An Ingress Service backend without `port.number` or `port.name`',
    'path-backend': 'An Ingress path without `backend`',
  },
  checks: {
    object(o, _ctx, report) {
      if (o.kind === 'Service') {
        const svc = readService(o);
        if (!svc) return;
        const spec = asMap(get(o.node, 'spec'));
        if (svc.type !== 'ExternalName' && svc.ports.length === 0 && !svc.headless) {
          report.at(o, getPair(spec, 'ports')?.key as Node ?? getPair(o.node, 'spec')?.key as Node,
            `Service \`${svc.name}\` has no ports; the API server requires at least one (only headless and ExternalName Services may omit them).`);
        }
        for (const p of svc.ports) {
          if (p.port === undefined && !get(asMap(nodeAt(o.node, p.node)), 'port')) report.at(o, p.node, 'Service port has no `port`; it is required.');
        }
        return;
      }
      const ing = readIngress(o);
      if (!ing) return;
      const v1 = o.apiVersion === 'networking.k8s.io/v1';
      for (const p of ing.rules.flatMap((r) => r.paths)) {
        if (v1 && !p.pathType) {
          report.at(o, p.pathNode ?? p.node,
            'Ingress path has no `pathType`; networking.k8s.io/v1 requires one of Exact, Prefix, ImplementationSpecific.',
            { fixes: p.pathNode ? [{ title: 'Add `pathType: Prefix`', edits: [{ uri: o.uri, range: startRange(o, p.node), newText: `pathType: Prefix\n${indentOf(o, p.node)}` }] }] : [] });
        }
        if (p.backend && !p.backend.resource && !p.backend.serviceName) {
          report.at(o, p.backend.node, 'Ingress backend names no Service (`service.name`).');
        } else if (p.backend && !p.backend.resource && p.backend.portNumber === undefined && p.backend.portName === undefined) {
          report.at(o, p.backend.node, `Ingress backend for Service \`${p.backend.serviceName}\` has no port (\`port.number\` or \`port.name\`).`);
        } else if (!p.backend) {
          report.at(o, p.node, 'Ingress path has no `backend`.');
        }
      }
    },
  },
});
