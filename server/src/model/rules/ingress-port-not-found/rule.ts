import { backendServicePort, ingressBackends } from '../../objects';
import { closest } from '../../suggest';
import { related } from '../report';
import { defineRule } from '../rule';

export default defineRule({
  code: 'ingress-port-not-found', severity: 'error', kinds: ['Ingress', 'Service'],
  title: 'An Ingress backend port the Service does not have',
  why: 'The controller cannot route; a frequent mistake is using the targetPort',
  example: 'Service port 80 → targetPort 8080; Ingress uses 8080',
  fix: 'Use the Service port (quick fix)',
  checks: {
    namespace(view, report) {
      for (const ing of view.ingresses) {
        const o = ing.obj;
        for (const b of ingressBackends(ing)) {
          const svc = !b.resource && b.serviceName ? view.services.get(b.serviceName) : undefined;
          if (!svc || svc.type === 'ExternalName') continue;
          if (b.portNumber === undefined && b.portName === undefined) continue;
          if (backendServicePort(svc, b)) continue;
          const rel = [related(svc.obj, svc.portsNode, `ports of Service ${svc.name}`)];
          const portsText = svc.ports.map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ') || 'none';
          const useFix = (title: string, port: number) => (b.portNode ? [{ title, edits: [{ uri: o.uri, range: o.src.nodeRange(b.portNode), newText: String(port) }] }] : []);
          if (b.portNumber !== undefined) {
            const viaTarget = view.servicePortLandingOn(svc, b.portNumber);
            if (viaTarget) {
              report.at(o, b.portNode,
                `Service \`${svc.name}\` has port ${viaTarget.port} (targetPort ${viaTarget.targetPort === b.portNumber ? b.portNumber : `${viaTarget.targetPort} = ${b.portNumber}`}); Ingress must use ${viaTarget.port}, the Service port, not the container port.`,
                { related: rel, fixes: viaTarget.port !== undefined ? useFix(`Use Service port ${viaTarget.port}`, viaTarget.port) : [] });
            } else {
              const guess = closest(String(b.portNumber), svc.ports.map((p) => String(p.port)));
              const pick = guess !== undefined ? Number(guess) : svc.ports.length === 1 ? svc.ports[0].port : undefined;
              report.at(o, b.portNode, `Service \`${svc.name}\` has no port ${b.portNumber}; its ports are ${portsText}.`,
                { related: rel, fixes: pick !== undefined ? useFix(`Use port ${pick}`, pick) : [] });
            }
          } else {
            const guess = closest(b.portName!, svc.ports.map((p) => p.name).filter((n): n is string => !!n));
            report.at(o, b.portNode, `Service \`${svc.name}\` has no port named \`${b.portName}\`; its ports are ${portsText}.${guess ? ` Did you mean \`${guess}\`?` : ''}`, { related: rel });
          }
        }
      }
    },
  },
});
