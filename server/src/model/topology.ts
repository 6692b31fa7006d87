// The service topology as a graph: external entry → Ingress → Service → workload, plus
// ExternalName targets, Endpoints, NetworkPolicies, and broken links with their reason.
import type { ClusterModel } from './model';
import { backendServicePort, hasSelector, ingressBackends } from './objects';
import { objectRange, type K8sObject } from './parse';
import { simulationOf } from './simulated';
import { describeService, nodeIdOf, workloadId } from './views';
import { callKey, discoverCalls } from './calls/discover';
import { callFindings } from './calls/findings';

export type TopoNodeKind = 'external' | 'ingress' | 'service' | 'workload' | 'endpoints' | 'external-name' | 'policy' | 'missing';

export interface TopoNode {
  id: string;
  kind: TopoNodeKind;
  label: string;
  namespace: string | null;
  detail: string;
  /** Where the object is declared (for "open the YAML"). */
  uri: string | null;
  line: number | null;
  /** Workloads: their (simulated) pods. */
  pods?: { name: string; ip: string | null; node: string }[];
  problems: string[];
}

export interface TopoEdge {
  id: string;
  from: string;
  to: string;
  kind: 'routes' | 'selects' | 'cname' | 'feeds' | 'isolates' | 'exposes' | 'calls';
  label: string;
  broken: boolean;
  problem: string | null;
}

export interface Topology {
  nodes: TopoNode[];
  edges: TopoEdge[];
  namespaces: string[];
  /** The apply unit drawn, when the workspace has several (set by the server). */
  unit?: string;
}

function objNode(o: K8sObject, kind: TopoNodeKind, label: string, detail: string): TopoNode {
  return { id: nodeIdOf(o), kind, label, namespace: o.namespace || null, detail, uri: o.uri, line: objectRange(o).start.line, problems: [] };
}

export function buildTopology(model: ClusterModel): Topology {
  model.allDiagnostics(); // the call findings are those of the model as it is now
  const sim = simulationOf(model);
  const nodes = new Map<string, TopoNode>();
  const edges: TopoEdge[] = [];
  const add = (n: TopoNode) => { if (!nodes.has(n.id)) nodes.set(n.id, n); return nodes.get(n.id)!; };
  const edge = (from: string, to: string, kind: TopoEdge['kind'], label: string, problem: string | null = null) =>
    edges.push({ id: `${kind}:${from}->${to}:${edges.length}`, from, to, kind, label, broken: !!problem, problem });
  const missing = (ns: string, what: string, name: string) =>
    add({ id: `missing/${ns}/${what}/${name}`, kind: 'missing', label: `${what} ${name}`, namespace: ns, detail: 'not in this workspace', uri: null, line: null, problems: [] }).id;
  let external: string | undefined;
  const externalNode = () => (external ??= add({ id: 'external', kind: 'external', label: 'External clients', namespace: null, detail: 'outside the cluster', uri: null, line: null, problems: [] }).id);
  const diags = model.allDiagnostics();
  const problemsOf = (o: K8sObject) => (diags.get(o.uri) ?? [])
    .filter((d) => d.severity !== 'information' && d.range.start.line >= objectRange(o).start.line && d.range.end.line <= objectRange(o).end.line)
    .map((d) => `${d.code}: ${d.message}`);

  for (const view of model.views()) {
    for (const w of view.workloads) {
      const n = add(objNode(w.obj, 'workload', `${w.kind} ${w.name}`, `×${w.replicas < 0 ? sim.nodes.length : w.replicas}`));
      n.pods = sim.podsOf(w).map((p) => ({ name: p.name, ip: p.ip ?? null, node: p.node.name }));
      n.problems = problemsOf(w.obj);
    }
    for (const svc of view.services.values()) {
      const v = describeService(model, svc);
      const n = add(objNode(svc.obj, 'service', `Service ${svc.name}`, `${v.type}${v.headless ? ' (headless)' : v.clusterIP ? ` ${v.clusterIP}${v.clusterIPSimulated ? '*' : ''}` : ''}`));
      n.problems = problemsOf(svc.obj);
      const ports = v.ports.map((p) => `${p.port}→${p.targetPort}`).join(', ');
      if (svc.type === 'ExternalName') {
        const target = add({ id: `external-name/${svc.externalName}`, kind: 'external-name', label: svc.externalName ?? '(none)', namespace: null, detail: 'DNS CNAME target', uri: null, line: null, problems: [] });
        edge(n.id, target.id, 'cname', 'CNAME');
        continue;
      }
      if (svc.type === 'NodePort' || svc.type === 'LoadBalancer') {
        edge(externalNode(), n.id, 'exposes', svc.type === 'LoadBalancer' ? `LB ${v.loadBalancer?.pending ? '<pending>' : v.loadBalancer?.addresses.join(', ')}` : `nodePort ${v.ports.map((p) => p.nodePort).join(', ')}`);
      }
      const res = view.resolve(svc);
      if (hasSelector(svc)) {
        if (!res.workloads.length) edge(n.id, missing(svc.namespace, 'pods', Object.entries(svc.selector!).map(([k, x]) => `${k}=${x}`).join(',')), 'selects', ports, 'selector matches no pods');
        for (const [i, w] of res.workloads.entries()) {
          const unresolved = res.ports.filter((p) => p.targets[i]?.unresolved).map((p) => String(p.port.targetPort));
          edge(n.id, nodeIdOf(w.obj), 'selects', ports, unresolved.length ? `targetPort ${unresolved.join(', ')} not defined by ${workloadId(w)}` : null);
        }
      } else if (res.endpoints.length) {
        for (const e of res.endpoints) {
          const en = add(objNode(e.obj, 'endpoints', `${e.obj.kind} ${e.name}`, e.subsets.flatMap((s) => s.addresses.map((a) => a.ip)).join(', ') || 'no addresses'));
          edge(n.id, en.id, 'feeds', ports, en.detail === 'no addresses' ? 'lists no addresses' : null);
        }
      } else {
        edge(n.id, missing(svc.namespace, 'Endpoints', svc.name), 'feeds', ports, 'no selector and no Endpoints');
      }
    }
    for (const ing of view.ingresses) {
      const n = add(objNode(ing.obj, 'ingress', `Ingress ${ing.name}`, ing.rules.map((r) => r.host ?? '*').join(', ')));
      n.problems = problemsOf(ing.obj);
      edge(externalNode(), n.id, 'routes', ing.tls.length ? 'https' : 'http');
      for (const b of ingressBackends(ing)) {
        if (!b.serviceName) continue;
        const svc = view.services.get(b.serviceName);
        const port = b.portNumber ?? b.portName ?? '?';
        const label = ing.rules.flatMap((r) => r.paths.filter((p) => p.backend === b).map((p) => `${r.host ?? ''}${p.path}`)).join(', ') || 'default';
        if (!svc) edge(n.id, missing(ing.namespace, 'Service', b.serviceName), 'routes', `${label} → :${port}`, `Service ${b.serviceName} not found`);
        else {
          const ok = svc.type === 'ExternalName' || backendServicePort(svc, b) !== undefined;
          edge(n.id, `Service/${svc.namespace}/${svc.name}`, 'routes', `${label} → :${port}`, ok ? null : `Service ${svc.name} has no port ${port}`);
        }
      }
    }
    for (const pol of view.policies) {
      const n = add(objNode(pol.obj, 'policy', `NetworkPolicy ${pol.name}`, pol.policyTypes.join('+')));
      n.problems = problemsOf(pol.obj);
      for (const w of view.select(pol.podSelector)) edge(n.id, nodeIdOf(w.obj), 'isolates', pol.policyTypes.join('+'));
    }
  }
  // The calls the manifests declare: workload → Service, broken with the reason when one fails.
  const why = new Map(callFindings(model, model.clusterScoped()).map((f) => [callKey(f.call), f]));
  const drawn = new Set<string>();
  for (const view of model.views()) {
    for (const w of view.workloads) {
      const from = nodeIdOf(w.obj);
      if (!nodes.has(from)) continue;
      for (const call of discoverCalls(model, w)) {
        const to = call.service ? `Service/${call.service.namespace}/${call.service.name}` : missing(w.namespace, 'Service', call.address.host);
        const label = `${call.address.host}${call.address.port !== null ? `:${call.address.port}` : ''}`;
        if (!nodes.has(to) || drawn.has(`${from} ${to} ${label}`)) continue;
        drawn.add(`${from} ${to} ${label}`);
        const f = why.get(callKey(call));
        edge(from, to, 'calls', label, f ? (f.result?.error?.message ?? `${call.address.host} resolves to no Service`) : null);
      }
    }
  }
  return { nodes: [...nodes.values()], edges, namespaces: model.namespaceNames() };
}

const dotId = (s: string) => JSON.stringify(s);

export function topologyToDot(t: Topology): string {
  const lines = ['digraph topology {', '  rankdir=LR;', '  node [shape=box, fontname="sans-serif"];'];
  const byNs = new Map<string, TopoNode[]>();
  for (const n of t.nodes) byNs.set(n.namespace ?? '', [...(byNs.get(n.namespace ?? '') ?? []), n]);
  let i = 0;
  for (const [ns, list] of byNs) {
    if (ns) lines.push(`  subgraph cluster_${i++} {`, `    label=${dotId(`namespace ${ns}`)};`);
    for (const n of list) lines.push(`${ns ? '    ' : '  '}${dotId(n.id)} [label=${dotId(`${n.label}\\n${n.detail}`)}${n.kind === 'missing' ? ', style=dashed, color=red' : ''}];`);
    if (ns) lines.push('  }');
  }
  for (const e of t.edges) lines.push(`  ${dotId(e.from)} -> ${dotId(e.to)} [label=${dotId(e.label)}${e.broken ? ', style=dashed, color=red' : e.kind === 'isolates' ? ', style=dotted' : ''}];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function topologyToMermaid(t: Topology): string {
  const ids = new Map(t.nodes.map((n, i) => [n.id, `n${i}`]));
  const esc = (s: string) => s.replace(/"/g, '#quot;');
  const lines = ['flowchart LR'];
  const byNs = new Map<string, TopoNode[]>();
  for (const n of t.nodes) byNs.set(n.namespace ?? '', [...(byNs.get(n.namespace ?? '') ?? []), n]);
  for (const [ns, list] of byNs) {
    if (ns) lines.push(`  subgraph ns_${ns.replace(/[^a-zA-Z0-9_]/g, '_')}["namespace ${esc(ns)}"]`);
    for (const n of list) lines.push(`    ${ids.get(n.id)}["${esc(n.label)}<br/>${esc(n.detail)}"]`);
    if (ns) lines.push('  end');
  }
  const broken: number[] = [];
  t.edges.forEach((e, i) => {
    lines.push(`  ${ids.get(e.from)} ${e.kind === 'isolates' ? '-.->' : '-->'}${e.label ? `|"${esc(e.label)}"|` : ''} ${ids.get(e.to)}`);
    if (e.broken) broken.push(i);
  });
  for (const i of broken) lines.push(`  linkStyle ${i} stroke:red,stroke-dasharray:5 5`);
  return lines.join('\n') + '\n';
}
