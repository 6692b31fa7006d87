// Layout of the topology with ELK (Eclipse Layout Kernel, elkjs): each namespace is a box whose
// connected parts are laid out left to right by ELK's layered algorithm (columns fixed by kind:
// entry → Ingress → Service → workload/targets; edges routed orthogonally, edge labels placed
// where no node is) and packed in rows; the boxes are packed side by side by ELK to fill the
// panel's aspect ratio. Runs in the panel's worker.
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
/** A stand-in links at most this many nodes of its box. */
const MAX_SHARED_STAND_IN = 8;

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

// A namespace's box holds many small connected parts (a Service, its workloads, an Ingress),
// and most have the same shape. ELK lays out each part separately anyway (its layered
// algorithm splits a graph into connected components and packs them in rows), so each
// distinct shape is laid out once, by ELK, and the parts are packed in rows here. That keeps
// a 400-object namespace to a few dozen ELK layouts instead of hundreds.

const BOX_PADDING = { top: 34, left: 14, bottom: 14, right: 14 };
const PART_SPACING = 20;
const LAYERED: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.partitioning.activate': 'true',
  'elk.spacing.nodeNode': '14',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
  'elk.spacing.edgeLabel': '4',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.edgeLabels.sideSelection': 'SMART_DOWN',
};

/** A connected part of a box: its nodes and the links between them, in input order; `shape`
 *  names its layout (equal for parts that differ only in names). */
interface Part {
  children: ElkNode[];
  edges: ElkExtendedEdge[];
  shape: string;
}

/** A part's layout, relative to its top left corner: nodes and edges by their index. */
interface Shape {
  nodes: Box[];
  edges: (RoutedEdge | undefined)[];
  width: number;
  height: number;
}

/** Layouts of shapes seen before: the worker lives as long as the panel, so expanding a
 *  namespace or a pod list reuses what is already laid out. */
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 5000;

function connectedParts(children: ElkNode[], edges: ElkExtendedEdge[]): Part[] {
  const index = new Map(children.map((c, i) => [c.id, i]));
  const parent = children.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (const e of edges) parent[find(index.get(e.sources[0])!)] = find(index.get(e.targets[0])!);
  const byRoot = new Map<number, Part>();
  children.forEach((c, i) => {
    const r = find(i);
    const part = byRoot.get(r) ?? byRoot.set(r, { children: [], edges: [], shape: '' }).get(r)!;
    part.children.push(c);
  });
  for (const e of edges) byRoot.get(find(index.get(e.sources[0])!))!.edges.push(e);
  const parts = [...byRoot.values()];
  for (const p of parts) {
    const at = new Map(p.children.map((c, i) => [c.id, i]));
    p.shape = JSON.stringify([
      p.children.map((c) => [c.width, c.height, c.layoutOptions!['elk.partitioning.partition']]),
      p.edges.map((e) => [at.get(e.sources[0]), at.get(e.targets[0]), ...(e.labels ?? []).map((l) => [l.width, l.height])]),
    ]);
  }
  return parts;
}

/** Lays out, with ELK, one part of each shape not laid out before, in one call. */
async function layOutShapes(parts: Part[]): Promise<void> {
  const todo = new Map<string, Part>();
  for (const p of parts) if (!shapes.has(p.shape) && !todo.has(p.shape)) todo.set(p.shape, p);
  if (!todo.size) return;
  if (shapes.size + todo.size > MAX_SHAPES) shapes.clear();
  const graph: ElkNode = {
    id: 'shapes',
    layoutOptions: LAYERED,
    children: [...todo.values()].flatMap((p) => p.children.map((c) => ({ ...c }))),
    edges: [...todo.values()].flatMap((p) => p.edges.map((e) => ({ ...e, labels: e.labels?.map((l) => ({ ...l })) }))),
  };
  const out = await elk!.layout(graph);
  const nodeAt = new Map((out.children ?? []).map((c) => [c.id, c]));
  const edgeAt = new Map((out.edges ?? []).map((e) => [e.id, e]));
  for (const [key, p] of todo) {
    const nodes = p.children.map((c) => {
      const n = nodeAt.get(c.id)!;
      return { x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? NODE_WIDTH, height: n.height ?? NODE_HEIGHT };
    });
    const edges = p.edges.map((e): RoutedEdge | undefined => {
      const r = edgeAt.get(e.id);
      const s = r?.sections?.[0];
      if (!s) return undefined;
      const l = r!.labels?.[0];
      return {
        points: [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((q) => ({ x: q.x, y: q.y })),
        label: l ? { x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } : undefined,
      };
    });
    // ELK places the parts side by side: move this one to the origin.
    const boxes = [...nodes, ...edges.flatMap((e) => (e ? [...e.points.map((q) => ({ ...q, width: 0, height: 0 })), ...(e.label ? [e.label] : [])] : []))];
    const x0 = Math.min(...boxes.map((b) => b.x));
    const y0 = Math.min(...boxes.map((b) => b.y));
    const shift = <T extends { x: number; y: number }>(b: T): T => ({ ...b, x: b.x - x0, y: b.y - y0 });
    const moved = nodes.map(shift);
    const routes = edges.map((e) => e && { points: e.points.map(shift), label: e.label && shift(e.label) });
    shapes.set(key, {
      nodes: moved,
      edges: routes,
      width: Math.max(...boxes.map((b) => b.x + b.width)) - x0,
      height: Math.max(...boxes.map((b) => b.y + b.height)) - y0,
    });
  }
}

type Packed = { at: { part: Part; x: number; y: number }[]; width: number; height: number };

/** Rows of parts, tallest first, as close to `aspect` (width over height) as rows allow: the
 *  row width is chosen among a few around the square root of the area. */
function packParts(parts: Part[], aspect: number): Packed {
  const sized = parts.map((part) => ({ part, ...shapes.get(part.shape)! }));
  sized.sort((a, b) => b.height - a.height || b.width - a.width);
  const area = sized.reduce((a, p) => a + (p.width + PART_SPACING) * (p.height + PART_SPACING), 0);
  const widest = Math.max(...sized.map((p) => p.width));
  const miss = (r: Packed) => Math.abs(Math.log((r.width + BOX_PADDING.left + BOX_PADDING.right) / (r.height + BOX_PADDING.top + BOX_PADDING.bottom)) - Math.log(aspect));
  let best: Packed | undefined;
  for (const f of [0.6, 0.8, 1, 1.25, 1.5, 2]) {
    const r = packRows(sized, Math.max(widest, Math.sqrt(area * aspect) * f));
    if (!best || miss(r) < miss(best) - 1e-9) best = r;
  }
  return best!;
}

function packRows(sized: ({ part: Part } & Shape)[], rowWidth: number): Packed {
  const at: Packed['at'] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const p of sized) {
    if (x > 0 && x + p.width > rowWidth) {
      y += rowHeight + PART_SPACING;
      x = 0;
      rowHeight = 0;
    }
    at.push({ part: p.part, x, y });
    width = Math.max(width, x + p.width);
    x += p.width + PART_SPACING;
    rowHeight = Math.max(rowHeight, p.height);
  }
  return { at, width, height: y + rowHeight };
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
  // Declared calls join a namespace's workloads to its Services nearly all-to-all: laid out,
  // they would make the whole namespace one part (slow, and a tangle). They are drawn over
  // the layout instead, straight from caller to Service (or its stand-in).
  const overlay: { id: string; from: string; to: string }[] = [];
  const between: { e: TopoEdge; box: string; direction: Proxy['direction']; other: TopoNode; inner: string }[] = [];
  for (const e of edges) {
    const from = namespaceOf.get(e.from);
    const to = namespaceOf.get(e.to);
    if (from === undefined || to === undefined) continue;
    if (from === to && e.kind === 'calls') { overlay.push({ id: e.id, from: e.from, to: e.to }); continue; }
    if (from === to) { add(from, e, e.from, e.to); continue; }
    const box = to !== '' ? to : from;
    const direction = box === to ? 'in' : 'out';
    between.push({ e, box, direction, other: byId.get(direction === 'in' ? e.from : e.to)!, inner: direction === 'in' ? e.to : e.from });
  }
  // One stand-in per linked node and box; but when it would link to many nodes there (the
  // outside entering fifty Ingresses), each gets its own beside it instead of one far fan.
  const shared = (b: (typeof between)[number]) => `proxy:${b.box}:${b.direction}:${b.other.id}`;
  const links = new Map<string, number>();
  for (const b of between) links.set(shared(b), (links.get(shared(b)) ?? 0) + 1);
  for (const b of between) {
    const id = links.get(shared(b))! > MAX_SHARED_STAND_IN ? `${shared(b)}:${b.inner}` : shared(b);
    proxies.set(id, { box: b.box, of: b.other, direction: b.direction });
    const [from, to] = b.direction === 'in' ? [id, b.e.to] : [b.e.from, id];
    if (b.e.kind === 'calls') overlay.push({ id: b.e.id, from, to });
    else add(b.box, b.e, from, to);
  }
  const proxiesIn = (box: string) => [...proxies].filter(([, p]) => p.box === box); // few: one per linked node and box
  // Outside the cluster first, then namespaces by name.
  const keys = [...groups.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : compare(a, b)));
  const parts = new Map<string, Part[]>();
  for (const key of keys) {
    const children: ElkNode[] = [
      ...groups.get(key)!.map((n) => ({ id: n.id, width: NODE_WIDTH, height: nodeHeight(n, open.has(n.id)), column: rankOf(n) })),
      ...proxiesIn(key).map(([id, p]) => ({ id, width: proxyWidth(proxyText(p.direction, p.of.label)), height: PROXY_HEIGHT, column: rankOf(p.of) })),
    ].map(({ column, ...n }) => ({ ...n, layoutOptions: { 'elk.partitioning.partition': String(column) } }));
    parts.set(key, connectedParts(children, inside.get(key) ?? []));
  }
  await layOutShapes([...parts.values()].flat());
  const packed = new Map(keys.map((key) => [key, packParts(parts.get(key)!, aspect)]));
  const root: ElkNode = await elk!.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'rectpacking', 'elk.aspectRatio': String(aspect), 'elk.spacing.nodeNode': '28', 'elk.padding': '[top=8,left=8,bottom=8,right=8]' },
    children: [
      ...keys.map((key) => ({ id: `band:${key}`, width: packed.get(key)!.width + BOX_PADDING.left + BOX_PADDING.right, height: packed.get(key)!.height + BOX_PADDING.top + BOX_PADDING.bottom })),
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
    const key = b.id.slice('band:'.length);
    bands.push({ namespace: key === '' ? null : key, x: bx, y: by, width: b.width ?? 0, height: b.height ?? 0 });
    for (const { part, x, y } of packed.get(key)!.at) {
      const shape = shapes.get(part.shape)!;
      const ox = bx + BOX_PADDING.left + x;
      const oy = by + BOX_PADDING.top + y;
      part.children.forEach((c, i) => {
        const n = shape.nodes[i];
        const at = { x: ox + n.x, y: oy + n.y, width: n.width, height: n.height };
        const p = proxies.get(c.id);
        if (p) placedProxies.push({ id: c.id, of: p.of.id, direction: p.direction, ...at });
        else placed[c.id] = { id: c.id, ...at };
      });
      part.edges.forEach((e, i) => {
        const r = shape.edges[i];
        if (!r) return;
        routed[e.id] = {
          points: r.points.map((q) => ({ x: ox + q.x, y: oy + q.y })),
          label: r.label ? { ...r.label, x: ox + r.label.x, y: oy + r.label.y } : undefined,
        };
      });
    }
  }
  const boxOf = new Map<string, Box>([...Object.values(placed), ...placedProxies].map((b) => [b.id, b]));
  for (const o of overlay) {
    const a = boxOf.get(o.from);
    const b = boxOf.get(o.to);
    if (a && b) routed[o.id] = straightRoute(a, b);
  }
  return { nodes: placed, bands, edges: routed, proxies: placedProxies, width: root.width ?? 0, height: root.height ?? 0 };
}

/** A line from the side of `a` facing `b` to the side of `b` facing `a`. It has no label on
 *  the picture (a line across the box would put it over nodes): its tooltip says it. */
function straightRoute(a: Box, b: Box): RoutedEdge {
  const rightward = a.x + a.width / 2 <= b.x + b.width / 2;
  const start = { x: rightward ? a.x + a.width : a.x, y: a.y + a.height / 2 };
  const end = { x: rightward ? b.x : b.x + b.width, y: b.y + b.height / 2 };
  if (Math.abs(a.x - b.x) < 1) { // one column: from the bottom of the upper to the top of the lower
    const down = a.y < b.y;
    start.x = end.x = a.x + a.width / 2;
    start.y = down ? a.y + a.height : a.y;
    end.y = down ? b.y : b.y + b.height;
  }
  return { points: [start, end] };
}
