import type { Node } from 'yaml';
import { readEndpoints, readIngress, readNetworkPolicy, readPodTemplate, readService, WORKLOAD_KINDS } from '../../objects';
import type { K8sObject } from '../../parse';
import { asMap, asScalar, get, nodeAt, seqItems } from '../../yamlNodes';
import type { Report } from '../rule';
import { defineRule } from '../rule';

export default defineRule({
  code: 'port-out-of-range', severity: 'error', kinds: ['Service', 'Endpoints', 'EndpointSlice', 'Ingress', 'NetworkPolicy', ...WORKLOAD_KINDS],
  rejectedBy: 'ValidatePortNum: 1–65535',
  title: 'A port outside 1–65535',
  why: 'The API server rejects it',
  example: '`port: 70000`',
  fix: 'Use a valid port',
  checks: {
    object(o, _ctx, report) {
      const check = (node: Node | undefined, what: string, allowZero = false) => checkPort(o, node, what, allowZero, report);
      // Each reader only for its kind: this runs on every object of the workspace.
      const svc = o.kind === 'Service' ? readService(o) : undefined;
      for (const p of svc?.ports ?? []) {
        check(nodeAt(o.node, p.portNode), 'Port');
        // 0 means "unset" for targetPort (it then defaults to port).
        const target = nodeAt(o.node, p.targetPortNode);
        if (typeof asScalar(target)?.value === 'number') check(target, 'targetPort', true);
      }
      for (const subset of (o.kind === 'Endpoints' || o.kind === 'EndpointSlice' ? readEndpoints(o)?.subsets : undefined) ?? []) {
        for (const p of subset.ports) {
          // Located at the object: the port list is small, the number says which.
          if (p.port !== undefined && (p.port < 1 || p.port > 65535)) report.at(o, undefined, `Endpoint port ${p.port} is outside 1–65535.`);
        }
      }
      for (const p of (o.kind === 'Ingress' ? readIngress(o)?.rules.flatMap((r) => r.paths) : undefined) ?? []) check(nodeAt(o.node, p.backend?.portNode), 'Ingress backend port');
      const np = o.kind === 'NetworkPolicy' ? readNetworkPolicy(o) : undefined;
      for (const rule of np ? [...np.ingress, ...np.egress] : []) {
        for (const portNode of seqItems(get(asMap(nodeAt(o.node, rule.node)), 'ports'))) check(get(asMap(portNode), 'port'), 'NetworkPolicy port');
      }
      for (const p of (WORKLOAD_KINDS.has(o.kind) ? readPodTemplate(o)?.ports : undefined) ?? []) {
        const pm = asMap(nodeAt(o.node, p.node));
        check(get(pm, 'containerPort'), 'containerPort');
        check(get(pm, 'hostPort'), 'hostPort', true);
      }
    },
  },
});

function checkPort(o: K8sObject, node: Node | undefined, what: string, allowZero: boolean, report: Report) {
  const s = asScalar(node);
  if (!s || typeof s.value !== 'number' || !Number.isInteger(s.value)) return;
  if (allowZero && s.value === 0) return;
  if (s.value < 1 || s.value > 65535) report.at(o, s, `${what} ${s.value} is outside 1–65535.`);
}
