// What the topology panel draws, decided from the topology and the panel's choices alone (no
// DOM): which namespaces are open or collapsed, focus mode's neighbourhood, and which objects a
// simulated request passes or is stopped by.
import type { SimulationResult, TopoEdge, Topology, TopoNode } from '../../server/src/model';

/** Pictures with more objects than this open with one namespace open, the others collapsed. */
const OPEN_ALL_UP_TO = 400;

export interface Picture { nodes: TopoNode[]; edges: TopoEdge[]; collapsed: string[] }

/** The choices that decide what is drawn (the panel's view state and the active file). */
export interface PictureChoice {
  /** A namespace chosen: only it. */
  namespace: string;
  /** Namespaces drawn open; null: chosen here (all of them when the picture is small). */
  openNamespaces: string[] | null;
  focus: { id: string; hops: number } | null;
  simulation: SimulationResult | null;
  activeUri: string | null;
}

/** What is drawn: every object but NetworkPolicies (badges on the workloads they isolate), in
 *  the open namespaces (with a namespace chosen, only it), with what outside the cluster links
 *  to them; the other namespaces as one box each. */
export function pictureOf(t: Topology, state: PictureChoice): Picture {
  if (state.focus && t.nodes.some((n) => n.id === state.focus!.id)) return focusPicture(t, state.focus.id, state.focus.hops);
  const all = t.nodes.filter((n) => n.kind !== 'policy');
  const namespaces = [...new Set(all.map((n) => n.namespace).filter((ns): ns is string => ns !== null))];
  let open: Set<string>;
  if (state.namespace) open = new Set([state.namespace]);
  else if (state.openNamespaces) open = new Set(state.openNamespaces);
  else if (all.length <= OPEN_ALL_UP_TO) open = new Set(namespaces);
  else open = new Set([focusNamespace(all, state.activeUri)].filter((ns): ns is string => !!ns));
  const chosen = new Set(all.filter((n) => n.namespace !== null && open.has(n.namespace)).map((n) => n.id));
  const linked = new Set(t.edges.flatMap((e) => (chosen.has(e.from) ? [e.to] : chosen.has(e.to) ? [e.from] : [])));
  const nodes = all.filter((n) => chosen.has(n.id) || (n.namespace === null && (linked.has(n.id) || open.size === namespaces.length)));
  const ids = new Set(nodes.map((n) => n.id));
  // A NetworkPolicy that stops the last simulated request is drawn as a node, linked to the
  // workloads on the path it isolates.
  const blocking = new Set(blockingPolicies(state.simulation));
  const onPath = new Set(blockedWorkloads(state.simulation));
  for (const n of t.nodes) if (blocking.has(n.id) && n.namespace !== null && open.has(n.namespace)) { nodes.push(n); ids.add(n.id); }
  const edges = t.edges.filter((e) => ids.has(e.from) && ids.has(e.to) && (e.kind !== 'isolates' || (blocking.has(e.from) && onPath.has(e.to))));
  const collapsed = state.namespace ? [] : namespaces.filter((ns) => !open.has(ns)).sort();
  return { nodes, edges, collapsed };
}

/** A node's neighbourhood: what reaches it within `hops` links (upstream: entry, Ingress,
 *  Service) and what it reaches (downstream: workloads, targets), with the NetworkPolicies
 *  that isolate the workloads shown. Namespaces do not matter here. */
export function focusPicture(t: Topology, id: string, hops: number): Picture {
  const links = t.edges.filter((e) => e.kind !== 'isolates');
  const keep = new Set([id]);
  for (const dir of ['up', 'down'] as const) {
    let frontier = new Set([id]);
    for (let h = 0; h < hops && frontier.size; h++) {
      const next = new Set<string>();
      for (const e of links) {
        const [from, to] = dir === 'down' ? [e.from, e.to] : [e.to, e.from];
        if (frontier.has(from) && !keep.has(to)) { keep.add(to); next.add(to); }
      }
      frontier = next;
    }
  }
  for (const e of t.edges) if (e.kind === 'isolates' && keep.has(e.to)) keep.add(e.from);
  const nodes = t.nodes.filter((n) => keep.has(n.id));
  const edges = t.edges.filter((e) => keep.has(e.from) && keep.has(e.to));
  return { nodes, edges, collapsed: [] };
}

/** The NetworkPolicies named by the failing step of a simulation. */
export function blockingPolicies(r: SimulationResult | null): string[] {
  return (r?.steps ?? []).filter((st) => st.status === 'fail').flatMap((st) => st.objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.nodeId));
}

/** The workloads whose policies stop a simulated request (the failing step's objects that
 *  are not policies: the client at egress, the pods at ingress). */
export function blockedWorkloads(r: SimulationResult | null): string[] {
  return (r?.steps ?? []).filter((st) => st.status === 'fail').flatMap((st) => st.objects.filter((o) => o.kind !== 'NetworkPolicy').map((o) => o.nodeId));
}

/** The nodes a simulated request passes, in order: its client, then each object a step
 *  checked (Ingress, Service, policies aside), then the workloads of the chosen endpoints. */
export function pathNodes(r: SimulationResult | null): string[] {
  if (!r) return [];
  const ids = [
    ...(r.source.kind === 'external' ? ['external'] : []),
    ...r.steps.flatMap((st) => st.objects.filter((o) => o.kind !== 'NetworkPolicy').map((o) => o.nodeId)),
    ...r.endpoints.map((e) => e.workloadNode).filter((id): id is string => !!id),
  ];
  return [...new Set(ids)];
}

/** The namespace to open first: the active file's, else the one with the most problems. */
function focusNamespace(nodes: TopoNode[], activeUri: string | null): string | undefined {
  const mine = nodes.find((n) => activeUri && n.uri === activeUri && n.namespace);
  if (mine) return mine.namespace!;
  const problems = new Map<string, number>();
  for (const n of nodes) if (n.namespace) problems.set(n.namespace, (problems.get(n.namespace) ?? 0) + n.problems.length);
  return [...problems].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
