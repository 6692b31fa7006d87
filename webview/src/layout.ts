// Layered left-to-right layout of the topology. Ranks are fixed by kind (entry → Ingress →
// Service → workload/targets), so the work is ordering nodes inside each rank: namespaces
// as horizontal bands, and a few barycenter sweeps inside each band to reduce crossings.
// Linear in nodes + edges; runs in a worker for large graphs.
import type { TopoEdge, TopoNode } from '../../server/src/model/topology';

export interface Placed {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Band {
  namespace: string | null;
  y: number;
  height: number;
}

export interface Layout {
  nodes: Record<string, Placed>;
  bands: Band[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 46;
const COLUMN_GAP = 90;
const ROW_GAP = 14;
const BAND_PAD = 28;
const POD_ROW = 15;
const MAX_POD_ROWS = 8;

const RANK: Record<TopoNode['kind'], number> = {
  external: 0, ingress: 1, service: 2, workload: 3, endpoints: 3, 'external-name': 3, missing: 3, policy: 4,
};

export function nodeHeight(n: TopoNode, expanded: boolean): number {
  return expanded && n.pods?.length ? NODE_HEIGHT + Math.min(n.pods.length, MAX_POD_ROWS + 1) * POD_ROW + 6 : NODE_HEIGHT;
}

export function layoutTopology(nodes: TopoNode[], edges: TopoEdge[], expanded: string[] = []): Layout {
  const open = new Set(expanded);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // A missing Service sits where Services do.
  const rank = (n: TopoNode) => (n.kind === 'missing' && n.label.startsWith('Service ') ? 2 : RANK[n.kind]);
  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    if (!byId.has(e.from) || !byId.has(e.to)) continue;
    (neighbours.get(e.from) ?? neighbours.set(e.from, []).get(e.from)!).push(e.to);
    (neighbours.get(e.to) ?? neighbours.set(e.to, []).get(e.to)!).push(e.from);
  }
  const bandKeys = [...new Set(nodes.map((n) => n.namespace ?? ''))].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  // Initial order: by name; then sweeps place each node at the mean position of its neighbours.
  const order = new Map<string, number>();
  const groups = new Map<string, TopoNode[]>();
  for (const n of [...nodes].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))) {
    const key = `${n.namespace ?? ''}\u0000${rank(n)}`;
    const g = groups.get(key) ?? [];
    g.push(n);
    groups.set(key, g);
  }
  for (const g of groups.values()) g.forEach((n, i) => order.set(n.id, i));
  for (let sweep = 0; sweep < 4; sweep++) {
    for (const g of groups.values()) {
      const score = new Map<string, number>();
      for (const n of g) {
        const ns = (neighbours.get(n.id) ?? []).map((m) => order.get(m)).filter((v): v is number => v !== undefined);
        score.set(n.id, ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : order.get(n.id)!);
      }
      g.sort((a, b) => score.get(a.id)! - score.get(b.id)! || (a.label < b.label ? -1 : 1));
      g.forEach((n, i) => order.set(n.id, i));
    }
  }
  const placed: Record<string, Placed> = {};
  const bands: Band[] = [];
  let y = 0;
  let maxRank = 0;
  for (const key of bandKeys) {
    const top = y + BAND_PAD;
    let bottom = top;
    for (let r = 0; r <= 4; r++) {
      const g = groups.get(`${key}\u0000${r}`);
      if (!g) continue;
      maxRank = Math.max(maxRank, r);
      let cy = top;
      for (const n of g) {
        const h = nodeHeight(n, open.has(n.id));
        placed[n.id] = { id: n.id, x: r * (NODE_WIDTH + COLUMN_GAP) + 20, y: cy, width: NODE_WIDTH, height: h };
        cy += h + ROW_GAP;
      }
      bottom = Math.max(bottom, cy);
    }
    bands.push({ namespace: key === '' ? null : key, y, height: bottom - y + 6 });
    y = bottom + 12;
  }
  return { nodes: placed, bands, width: (maxRank + 1) * (NODE_WIDTH + COLUMN_GAP) + 40, height: y };
}
