import { CALL_KINDS, callNode, callPlace, reportCallFindings } from '../../calls/report-findings';
import { defineRule } from '../rule';

export default defineRule({
  code: 'service-reference-port-mismatch', severity: 'error', kinds: CALL_KINDS, simulates: true,
  title: 'A service address uses a port the Service does not have',
  why: 'A Service forwards only its own ports; a connection to any other port of its cluster IP is refused (often the targetPort was written instead)',
  example: '`API_ADDR=api:8080` while Service `api` has port 80 → targetPort 8080',
  fix: 'Use the Service\'s port (quick fix)',
  checks: {
    cluster(ctx, report) {
      reportCallFindings(ctx, report, 'service-reference-port-mismatch', (f, report) => {
        const { call } = f;
        const svc = call.service!;
        const port = call.address.port!;
        // The Service port that forwards to the port written, when one does: the likely intent.
        const forwarding = svc.ports.filter((p) => p.targetPort === port || (p.targetPort === undefined && p.port === port));
        const intended = forwarding.length === 1 ? forwarding[0].port : svc.ports.length === 1 ? svc.ports[0].port : undefined;
        const ports = svc.ports.map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ');
        const why = forwarding.length ? ` ${port} is the targetPort (the pods' port); callers use the Service's port ${forwarding.map((p) => p.port).join(' or ')}.` : '';
        const o = call.at.obj;
        const portText = String(port);
        const fix = intended !== undefined && call.at.end !== undefined
          ? { fixes: [{ title: `Change the port to ${intended}`, edits: [{ uri: o.uri, range: o.src.nodeRange({ range: [call.at.end - portText.length, call.at.end, call.at.end] } as never), newText: String(intended) }] }] }
          : {};
        report.at(o, callNode(call), `${callPlace(call)} calls \`${call.address.host}:${port}\`, but Service \`${svc.namespace}/${svc.name}\` has no port ${port} (its ports: ${ports}).${why}`, fix);
      });
    },
  },
});
