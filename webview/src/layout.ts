// Layout of the topology with ELK (Eclipse Layout Kernel, elkjs): each namespace is a box laid
// out left to right by ELK's layered algorithm (columns fixed by kind: entry → Ingress →
// Service → workload/targets; edges routed orthogonally, edge labels placed where no node is),
// and the boxes are packed side by side to fill the panel's aspect ratio. Runs in a worker for
// large graphs.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { TopoEdge, TopoNode } from '../../server/src/model/topology';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Placed extends Box {
  id: string;
}

/** A namespace's box (`namespace` null: outside the cluster); `collapsed`: drawn as one box
 *  with its counts, its objects not laid out. */
export interface Band extends Box {
  namespace: string | null;
  collapsed?: boolean;
}

export const COLLAPSED_WIDTH = 250;
export const COLLAPSED_HEIGHT = 64;

/** A stand-in, inside a box, for a node in another box that links to it (or that it links
 *  to): links between boxes are drawn to it, never across other boxes. */
export interface Proxy extends Box {
  id: string;
  /** The node it stands for. */
  of: string;
  /** 'in': links come from that node; 'out': they go to it. */
  direction: 'in' | 'out';
}

export interface RoutedEdge {
  /** From the source's side to the target's, in graph coordinates. */
  points: { x: number; y: number }[];
  /** Where the label goes (clear of every node in its box), when it has one. */
  label?: Box;
}

export interface Layout {
  nodes: Record<string, Placed>;
  bands: Band[];
  edges: Record<string, RoutedEdge>;
  proxies: Proxy[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 46;
const POD_ROW = 15;
const MAX_POD_ROWS = 8;
/** Edge labels are 10 px text: about 6 px a character, on a background 14 px high. */
const LABEL_CHAR = 6;
const LABEL_HEIGHT = 14;
/** Graphs with more nodes than this trade some crossing reduction for speed. */
const LARGE_GRAPH = 300;

const RANK: Record<TopoNode['kind'], number> = {
  external: 0, ingress: 1, service: 2, workload: 3, endpoints: 3, 'external-name': 3, missing: 3, policy: 4,
};

export function nodeHeight(n: TopoNode, expanded: boolean): number {
  return expanded && n.pods?.length ? NODE_HEIGHT + Math.min(n.pods.length, MAX_POD_ROWS + 1) * POD_ROW + 6 : NODE_HEIGHT;
}

export function labelWidth(text: string): number {
  return text.length * LABEL_CHAR + 8;
}

export const PROXY_HEIGHT = 26;

export function proxyText(direction: Proxy['direction'], label: string): string {
  return `${direction === 'in' ? 'from' : 'to'} ${label}`;
}

function proxyWidth(text: string): number {
  return Math.min(NODE_WIDTH, Math.round(text.length * 6.4) + 16);
}

// A missing Service sits where Services do.
const rankOf = (n: TopoNode) => (n.kind === 'missing' && n.label.startsWith('Service ') ? 2 : RANK[n.kind]);

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

let elk: InstanceType<typeof ELK> | undefined;

/** Starts ELK. In a worker, call it before setting `onmessage`: ELK's code, started in a
 *  worker, takes `self.onmessage` for itself. */
export function startLayoutEngine(): void {
  elk ??= new ELK();
}

/** `aspect`: the panel's width over its height, which the packed boxes try to match. */
export async function layoutTopology(nodes: TopoNode[], edges: TopoEdge[], expanded: string[] = [], aspect = 1.6, collapsed: string[] = []): Promise<Layout> {
  startLayoutEngine();
  const open = new Set(expanded);
  const namespaceOf = new Map(nodes.map((n) => [n.id, n.namespace ?? '']));
  const groups = new Map<string, TopoNode[]>();
  for (const n of [...nodes].sort((a, b) => compare(a.label, b.label))) {
    const key = n.namespace ?? '';
    const group = groups.get(key);
    if (group) group.push(n); else groups.set(key, [n]);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // A link between boxes is drawn inside the box of the end that is in a namespace, from (or
  // to) a stand-in for the other end.
  const inside = new Map<string, ElkExtendedEdge[]>();
  const proxies = new Map<string, { box: string; of: TopoNode; direction: Proxy['direction'] }>();
  const add = (box: string, e: TopoEdge, from: string, to: string) => {
    const list = inside.get(box) ?? inside.set(box, []).get(box)!;
    list.push({
      id: e.id, sources: [from], targets: [to],
      labels: e.label ? [{ id: `${e.id}:label`, text: e.label, width: labelWidth(e.label), height: LABEL_HEIGHT }] : [],
    });
  };
  for (const e of edges) {
    const from = namespaceOf.get(e.from);
    const to = namespaceOf.get(e.to);
    if (from === undefined || to === undefined) continue;
    if (from === to) { add(from, e, e.from, e.to); continue; }
    const box = to !== '' ? to : from;
    const direction = box === to ? 'in' : 'out';
    const other = byId.get(direction === 'in' ? e.from : e.to)!;
    const id = `proxy:${box}:${direction}:${other.id}`;
    proxies.set(id, { box, of: other, direction });
    if (direction === 'in') add(box, e, id, e.to); else add(box, e, e.from, id);
  }
  const proxiesIn = (box: string) => [...proxies].filter(([, p]) => p.box === box); // few: one per linked node and box
  // Outside the cluster first, then namespaces by name.
  const keys = [...groups.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : compare(a, b)));
  const large = nodes.length > LARGE_GRAPH;
  const box = (key: string): ElkNode => {
    const members = groups.get(key)!;
    return {
      id: `band:${key}`,
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': 'RIGHT',
        'elk.padding': '[top=34,left=14,bottom=14,right=14]',
        'elk.partitioning.activate': 'true',
        'elk.spacing.nodeNode': '14',
        'elk.layered.spacing.nodeNodeBetweenLayers': '70',
        'elk.spacing.edgeLabel': '4',
        'elk.edgeLabels.placement': 'CENTER',
        'elk.layered.edgeLabels.sideSelection': 'SMART_DOWN',
        'elk.aspectRatio': String(aspect),
        ...(large ? { 'elk.layered.thoroughness': '1', 'elk.layered.nodePlacement.strategy': 'SIMPLE' } : {}),
      },
      children: [
        ...members.map((n) => ({
          id: n.id, width: NODE_WIDTH, height: nodeHeight(n, open.has(n.id)),
          layoutOptions: { 'elk.partitioning.partition': String(rankOf(n)) },
        })),
        ...proxiesIn(key).map(([id, p]) => ({
          id, width: proxyWidth(proxyText(p.direction, p.of.label)), height: PROXY_HEIGHT,
          layoutOptions: { 'elk.partitioning.partition': String(rankOf(p.of)) },
        })),
      ],
      edges: inside.get(key) ?? [],
    };
  };
  const root: ElkNode = await elk!.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'rectpacking', 'elk.aspectRatio': String(aspect), 'elk.spacing.nodeNode': '28', 'elk.padding': '[top=8,left=8,bottom=8,right=8]' },
    children: [
      ...keys.map(box),
      ...collapsed.map((ns) => ({ id: `collapsed:${ns}`, width: COLLAPSED_WIDTH, height: COLLAPSED_HEIGHT })),
    ],
  });
  const placed: Record<string, Placed> = {};
  const routed: Record<string, RoutedEdge> = {};
  const bands: Band[] = [];
  const placedProxies: Proxy[] = [];
  for (const b of root.children ?? []) {
    const bx = b.x ?? 0;
    const by = b.y ?? 0;
    if (b.id.startsWith('collapsed:')) {
      bands.push({ namespace: b.id.slice('collapsed:'.length), collapsed: true, x: bx, y: by, width: COLLAPSED_WIDTH, height: COLLAPSED_HEIGHT });
      continue;
    }
    bands.push({ namespace: b.id === 'band:' ? null : b.id.slice('band:'.length), x: bx, y: by, width: b.width ?? 0, height: b.height ?? 0 });
    for (const c of b.children ?? []) {
      const at = { x: bx + (c.x ?? 0), y: by + (c.y ?? 0), width: c.width ?? NODE_WIDTH, height: c.height ?? NODE_HEIGHT };
      const p = proxies.get(c.id);
      if (p) placedProxies.push({ id: c.id, of: p.of.id, direction: p.direction, ...at });
      else placed[c.id] = { id: c.id, ...at };
    }
    for (const e of b.edges ?? []) {
      const s = e.sections?.[0];
      if (!s) continue;
      const points = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => ({ x: bx + p.x, y: by + p.y }));
      const l = e.labels?.[0];
      routed[e.id] = { points, label: l ? { x: bx + (l.x ?? 0), y: by + (l.y ?? 0), width: l.width ?? 0, height: l.height ?? 0 } : undefined };
    }
  }
  return { nodes: placed, bands, edges: routed, proxies: placedProxies, width: root.width ?? 0, height: root.height ?? 0 };
}
