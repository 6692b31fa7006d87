// The topology panel: draws the service graph and plays simulated requests through it.
// Talks to the extension host only through validated messages (protocol.ts).
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDropdown, vsCodeOption, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import type { SimulationResult, TopoEdge, Topology, TopoNode } from '../../server/src/model';
import { clear, h, s } from './dom';
import { Layout, layoutTopology, NODE_HEIGHT, proxyText } from './layout';
import { createMinimap } from './minimap';
import { blockingPolicies, pathNodes, Picture, pictureOf } from './picture';
import { parseHostMessage, WebviewMessage } from './protocol';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());

interface VsCodeApi {
  postMessage(m: WebviewMessage): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
declare const __LAYOUT_WORKER__: string;

interface ViewState {
  view: { x: number; y: number; k: number } | null;
  filter: string;
  namespace: string;
  expanded: string[];
  /** Namespaces drawn open (the others as one box each); null: chosen on open (all of them
   *  when the picture is small). */
  openNamespaces: string[] | null;
  /** Focus mode: only this node and what is within `hops` links up- and downstream of it. */
  focus: { id: string; hops: number } | null;
  form: { from: string; to: string; requests: number };
  simulation: SimulationResult | null;
}

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as Partial<ViewState>;
const state: ViewState = {
  view: saved.view ?? null,
  filter: typeof saved.filter === 'string' ? saved.filter : '',
  namespace: typeof saved.namespace === 'string' ? saved.namespace : '',
  expanded: Array.isArray(saved.expanded) ? saved.expanded.filter((x) => typeof x === 'string') : [],
  openNamespaces: Array.isArray(saved.openNamespaces) ? saved.openNamespaces.filter((x) => typeof x === 'string') : null,
  focus: saved.focus && typeof saved.focus.id === 'string' && Number.isInteger(saved.focus.hops) ? saved.focus : null,
  form: saved.form ?? { from: '', to: '', requests: 100 },
  simulation: saved.simulation ?? null,
};
const persist = () => vscode.setState(state);

let topology: Topology | null = null;
let layout: Layout | null = null;
let activeUri: string | null = null;
let sources: string[] = [];
let targets: string[] = [];
let layoutRequest = 0;
/** Drawn node and edge elements by id: filtering and highlighting must stay linear. */
let nodeEls = new Map<string, SVGGElement>();
let edgeEls: SVGGElement[] = [];
let uriOf = new Map<string, string | null>();

// ---------------------------------------------------------------- skeleton

const search = h('vscode-text-field', { id: 'search', placeholder: 'Filter by name', 'aria-label': 'Filter nodes by name' });
const nsSelect = h('vscode-dropdown', { id: 'namespace', 'aria-label': 'Namespace' });
const counts = h('span', { id: 'counts', class: 'counts' });
const focusBar = h('span', { id: 'focus-bar', class: 'focus-bar' });
const matchCount = h('span', { id: 'match-count', class: 'counts', 'aria-live': 'polite' });
const matchList = h('ul', { id: 'matches', class: 'matches', role: 'listbox', 'aria-label': 'Matching nodes', hidden: true });
const legend = h('details', { id: 'legend', class: 'legend' },
  h('summary', {}, 'Legend'),
  h('ul', {},
    ...([['kind-external', 'outside the cluster'], ['kind-ingress', 'Ingress'], ['kind-service', 'Service'], ['kind-workload', 'workload (its pods)'],
      ['kind-endpoints', 'Endpoints'], ['kind-external-name', 'ExternalName target'], ['kind-missing', 'referenced, not in the workspace']] as const)
      .map(([cls, text]) => h('li', {}, h('span', { class: `swatch ${cls}` }), text)),
    h('li', {}, h('span', { class: 'line' }), 'link: routes, selects, feeds'),
    h('li', {}, h('span', { class: 'line calls' }), 'call the manifests declare (env, args, ConfigMaps)'),
    h('li', {}, h('span', { class: 'line broken' }), 'broken link (hover it for why)'),
    h('li', {}, h('span', { class: 'line on-path' }), 'path of the last simulated request'),
    h('li', {}, h('span', { class: 'mark' }, '⚠'), 'has problems (hover the node)'),
    h('li', {}, h('span', { class: 'mark' }, 'NP 2'), 'isolated by 2 NetworkPolicies'),
    h('li', {}, h('span', { class: 'mark' }, '*'), 'simulated value (IP, node): not from the manifests'),
    h('li', {}, h('span', { class: 'mark' }, 'F'), 'on a node: only its neighbourhood (Esc or Show all: everything)')));
const svg = s('svg', { id: 'graph', role: 'img', 'aria-label': 'Service topology', tabindex: 0 }) as SVGSVGElement;
const viewport = s('g', { id: 'viewport' });
const bandLayer = s('g', { class: 'bands' });
const edgeLayer = s('g', { class: 'edges' });
const nodeLayer = s('g', { class: 'nodes' });
const requestLayer = s('g', { class: 'request-edges' });
viewport.append(bandLayer, edgeLayer, nodeLayer, requestLayer);
svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }))), viewport);
const minimap = createMinimap((x, y) => {
  const v = state.view;
  if (!v) return;
  const box = svg.getBoundingClientRect();
  state.view = { k: v.k, x: box.width / 2 - x * v.k, y: box.height / 2 - y * v.k };
  applyView();
  persist();
});
const emptyNote = h('div', { id: 'empty', class: 'empty', hidden: true },
  h('p', {}, h('strong', {}, 'No Kubernetes objects in this workspace yet.')),
  h('p', {}, 'Open a folder with manifests (Deployments, Services, Ingresses, NetworkPolicies, or a Kustomize tree or Helm chart): the objects, the links between them and a request simulator appear here, and update as you edit.'));

const fromSelect = h('vscode-dropdown', { id: 'sim-from', 'aria-label': 'Source' });
const toField = h('vscode-text-field', { id: 'sim-to', placeholder: 'web-svc.default:80/path', 'aria-label': 'Target' }, 'Target');
const requestsField = h('vscode-text-field', { id: 'sim-requests', 'aria-label': 'Requests', size: 6 }, 'Requests');
const runButton = h('vscode-button', { id: 'sim-run', appearance: 'primary' }, 'Simulate');
const simStatus = h('div', { id: 'sim-status', class: 'sim-status', role: 'status' });
const simTable = h('table', { id: 'sim-trace', class: 'trace' });
const traceSummary = h('summary', {}, 'Trace');
const traceBox = h('details', { id: 'sim-trace-box', class: 'trace-box' }, traceSummary, simTable);
const simChart = h('div', { id: 'sim-chart', class: 'chart', 'aria-label': 'Request distribution' });

const app = document.getElementById('app')!;
app.append(
  h('header', { class: 'toolbar' },
    h('span', { class: 'find' }, search, matchCount, matchList), nsSelect,
    button('fit', 'Fit', () => fit()), focusBar, button('zoom-in', '+', () => zoomBy(1.25), 'Zoom in'), button('zoom-out', '−', () => zoomBy(0.8), 'Zoom out'),
    counts, legend),
  h('main', { class: 'graph-wrap' }, svg, minimap.element, emptyNote),
  h('section', { id: 'simulation', class: 'simulation', 'aria-label': 'Simulate a request' },
    h('h2', {}, 'Simulate a request'),
    h('div', { class: 'form' }, h('label', { for: 'sim-from' }, 'From'), fromSelect, toField, requestsField, runButton),
    simStatus, simChart, traceBox),
);

function button(id: string, text: string, onClick: () => void, label?: string): HTMLElement {
  const b = h('vscode-button', { id, appearance: 'secondary', 'aria-label': label ?? text }, text);
  b.addEventListener('click', onClick);
  return b;
}

(search as HTMLInputElement).value = state.filter;
search.addEventListener('input', () => { state.filter = (search as HTMLInputElement).value; applyFilter(); persist(); });
search.addEventListener('keydown', (e) => {
  const k = (e as KeyboardEvent).key;
  if (k === 'Enter' || k === 'ArrowDown') { e.preventDefault(); goToMatch(currentMatch + ((e as KeyboardEvent).shiftKey ? -1 : 1)); }
  if (k === 'ArrowUp') { e.preventDefault(); goToMatch(currentMatch - 1); }
});
// A namespace chosen is laid out alone: the others leave the picture and the counts.
nsSelect.addEventListener('change', () => {
  state.namespace = (nsSelect as HTMLSelectElement).value;
  state.view = null;
  persist();
  if (topology) void showTopology(topology);
});
(toField as HTMLInputElement).value = state.form.to;
(requestsField as HTMLInputElement).value = String(state.form.requests);
runButton.addEventListener('click', runSimulation);
toField.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') runSimulation(); });

function runSimulation() {
  const from = (fromSelect as HTMLSelectElement).value;
  const to = (toField as HTMLInputElement).value.trim();
  const n = Number((requestsField as HTMLInputElement).value);
  const requests = Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 100;
  if (!from || !to) {
    showStatus('fail', 'Choose a source and type a target (a Service name, URL, host or IP).', null);
    return;
  }
  state.form = { from, to, requests };
  persist();
  showStatus('info', `Simulating ${from} → ${to} …`, null);
  vscode.postMessage({ type: 'simulate', from, to, requests });
}

// ---------------------------------------------------------------- graph

function setFocus(focus: ViewState['focus']) {
  state.focus = focus;
  state.view = null;
  persist();
  refreshFocusBar();
  if (topology) void showTopology(topology);
}

/** The node last clicked or focused: what the Focus button focuses on. */
let selected: string | null = null;

function refreshFocusBar() {
  clear(focusBar);
  const f = state.focus;
  const label = (id: string) => topology?.nodes.find((n) => n.id === id)?.label ?? id;
  if (!f) {
    const b = button('focus', 'Focus', () => { if (selected) setFocus({ id: selected, hops: 2 }); }, 'Show only the neighbourhood of the selected node');
    if (!selected) b.setAttribute('disabled', '');
    b.title = selected ? `Show only ${label(selected)} and what is within 2 links of it` : 'Click or Tab to a node first (or press F on it)';
    focusBar.append(b);
    return;
  }
  focusBar.append(
    h('span', { id: 'focus-label', class: 'focus-label' }, `Focus: ${label(f.id)} · ${f.hops} hop${f.hops === 1 ? '' : 's'}`),
    button('focus-less', '−', () => setFocus({ ...f, hops: Math.max(1, f.hops - 1) }), 'One hop fewer'),
    button('focus-more', '+', () => setFocus({ ...f, hops: Math.min(6, f.hops + 1) }), 'One hop more'),
    button('focus-clear', 'Show all', () => setFocus(null), 'Leave focus mode'));
}

/** The namespaces drawn open now. */
function openNamespaces(): string[] {
  const drawn = new Set(shown.nodes.map((n) => n.namespace).filter((ns): ns is string => ns !== null));
  return [...drawn];
}

function setNamespaceOpen(ns: string, open: boolean) {
  const now = new Set(openNamespaces());
  if (open) now.add(ns); else now.delete(ns);
  state.openNamespaces = [...now];
  persist();
  if (topology) void showTopology(topology);
}

/** One layout worker for the panel's life (ELK stays compiled between layouts); undefined
 *  where workers cannot run (then layouts run here). */
let worker: Worker | null | undefined;
const pendingLayouts = new Map<number, (l: Layout | undefined) => void>();

function layoutWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(URL.createObjectURL(new Blob([__LAYOUT_WORKER__], { type: 'text/javascript' })));
    worker.onmessage = (e) => {
      const { request, layout: l } = e.data as { request: number; layout?: Layout };
      pendingLayouts.get(request)?.(l);
      pendingLayouts.delete(request);
    };
    worker.onerror = () => {
      worker = null;
      for (const resolve of pendingLayouts.values()) resolve(undefined);
      pendingLayouts.clear();
    };
  } catch {
    worker = null; // no worker (CSP or sandbox): lay out here
  }
  return worker;
}

function panelAspect(): number {
  const box = svg.getBoundingClientRect();
  return box.width > 0 && box.height > 0 ? Math.min(4, Math.max(0.5, box.width / box.height)) : 1.6;
}

async function requestLayout(nodes: TopoNode[], edges: TopoEdge[], collapsed: string[] = []): Promise<Layout> {
  const request = ++layoutRequest;
  const aspect = panelAspect();
  performance.mark(`layout-start-${request}`);
  let l: Layout | undefined;
  const w = layoutWorker();
  if (w) {
    l = await new Promise<Layout | undefined>((resolve) => {
      pendingLayouts.set(request, resolve);
      w.postMessage({ request, nodes, edges, expanded: state.expanded, aspect, collapsed });
    });
  }
  l ??= await layoutTopology(nodes, edges, state.expanded, aspect, collapsed);
  performance.measure('ksi-layout', `layout-start-${request}`);
  return l;
}

let shown: Picture = { nodes: [], edges: [], collapsed: [] };
/** A node to centre once the next layout is drawn (a match in a namespace just opened). */
let centreAfterRender: string | null = null;
let layoutRun = 0;

async function showTopology(t: Topology) {
  topology = t;
  const run = ++layoutRun;
  const picture = pictureOf(t, { ...state, activeUri });
  const l = await requestLayout(picture.nodes, picture.edges, picture.collapsed);
  if (run !== layoutRun) return; // a newer topology or choice arrived meanwhile
  layout = l;
  shown = picture;
  render();
}

function edgePath(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'} ${Math.round(p.x * 10) / 10} ${Math.round(p.y * 10) / 10}`).join(' ');
}

function render() {
  if (!topology || !layout) return;
  performance.mark('render-start');
  const t = topology;
  const l = layout;
  clear(bandLayer);
  clear(edgeLayer);
  clear(nodeLayer);
  clear(requestLayer);
  const { nodes, edges } = shown;
  emptyNote.hidden = t.nodes.length > 0;
  // Nothing to simulate from or to: no live form with nothing to pick.
  document.getElementById('simulation')!.hidden = t.nodes.length === 0;
  const policiesOf = new Map<string, TopoNode[]>();
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  for (const e of t.edges) {
    if (e.kind !== 'isolates') continue;
    const p = byId.get(e.from);
    if (p) policiesOf.set(e.to, [...(policiesOf.get(e.to) ?? []), p]);
  }
  const totals = new Map<string | null, { objects: number; problems: number }>();
  for (const n of t.nodes) {
    if (n.kind === 'policy') continue;
    const c = totals.get(n.namespace) ?? { objects: 0, problems: 0 };
    c.objects++;
    c.problems += n.problems.length;
    totals.set(n.namespace, c);
  }
  const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  for (const b of l.bands) {
    const c = totals.get(b.namespace) ?? { objects: 0, problems: 0 };
    const label = b.namespace ? `namespace ${b.namespace}` : 'outside the cluster';
    const g = s('g', { class: `band${b.collapsed ? ' collapsed' : ''}`, 'data-namespace': b.namespace ?? '' },
      s('rect', { x: b.x, y: b.y, width: b.width, height: b.height, rx: 6 }),
      s('text', { x: b.x + 10, y: b.y + 19, class: 'band-label' }, label));
    if (b.collapsed) {
      const summary = `${plural(c.objects, 'object')}${c.problems ? ` · ${plural(c.problems, 'problem')}` : ''}`;
      g.append(s('text', { x: b.x + 10, y: b.y + 40, class: `band-summary${c.problems ? ' has-problems' : ''}` }, summary),
        s('text', { x: b.x + 10, y: b.y + 56, class: 'band-toggle' }, '▸ show its objects'),
        s('title', {}, `${label}: ${summary}. Click to show its objects.`));
      Object.assign(g.dataset, { toggle: 'open' });
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', `${label}, ${summary}, collapsed: show its objects`);
      const expand = () => setNamespaceOpen(b.namespace!, true);
      g.addEventListener('click', expand);
      g.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') expand(); });
    } else {
      g.append(s('text', { x: b.x + b.width - 10, y: b.y + 19, class: 'band-count', 'text-anchor': 'end' }, plural(c.objects, 'object')));
      if (b.namespace && !state.namespace && l.bands.length > 1) {
        const toggle = s('text', { x: b.x + 10 + label.length * 7 + 14, y: b.y + 19, class: 'band-toggle', tabindex: 0, role: 'button', 'aria-label': `collapse ${label}` }, '▾ collapse');
        const collapse = (e: Event) => { e.stopPropagation(); setNamespaceOpen(b.namespace!, false); };
        toggle.addEventListener('click', collapse);
        toggle.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') collapse(e); });
        g.append(toggle);
      }
    }
    bandLayer.append(g);
  }
  const labelLayer = s('g', { class: 'edge-labels' });
  for (const e of edges) {
    const route = l.edges[e.id];
    if (!route) continue;
    const g = s('g', { class: `edge kind-${e.kind}${e.broken ? ' broken' : ''}`, 'data-id': e.id, 'data-from': e.from, 'data-to': e.to },
      s('path', { d: edgePath(route.points), 'marker-end': 'url(#arrow)' }),
      s('title', {}, e.broken ? `✗ ${e.problem}` : e.label));
    if (route.label && e.label) {
      // Labels above every edge line, each on its own background.
      labelLayer.append(s('g', { class: `edge-label-box${e.broken ? ' broken' : ''}`, 'data-edge': e.id },
        s('rect', { x: route.label.x, y: route.label.y, width: route.label.width, height: route.label.height, rx: 3 }),
        s('text', { x: route.label.x + route.label.width / 2, y: route.label.y + route.label.height - 3.5, class: 'edge-label' }, e.label)));
    }
    edgeLayer.append(g);
  }
  edgeLayer.append(labelLayer);
  nodeEls = new Map();
  edgeEls = [...edgeLayer.querySelectorAll<SVGGElement>('g.edge')];
  uriOf = new Map(t.nodes.map((n) => [n.id, n.uri]));
  const fragment = document.createDocumentFragment();
  // In reading order (namespace boxes, then rows top to bottom, left to right): the order Tab
  // follows.
  const bandIndex = new Map(l.bands.map((b, i) => [b.namespace, i]));
  const row = (id: string) => Math.round(l.nodes[id].y / 20);
  const ordered = nodes.filter((n) => l.nodes[n.id]).sort((a, b) => (bandIndex.get(a.namespace) ?? 0) - (bandIndex.get(b.namespace) ?? 0)
    || row(a.id) - row(b.id) || l.nodes[a.id].x - l.nodes[b.id].x);
  neighbours = new Map();
  for (const e of edges) {
    const link = (from: string, to: string, dir: 'down' | 'up') => {
      const m = neighbours.get(from) ?? { down: [], up: [] };
      m[dir].push(to);
      neighbours.set(from, m);
    };
    link(e.from, e.to, 'down');
    link(e.to, e.from, 'up');
  }
  // Top to bottom: the first is the topmost.
  const top = (a: string, b: string) => (l.nodes[a]?.y ?? 0) - (l.nodes[b]?.y ?? 0);
  for (const m of neighbours.values()) { m.down.sort(top); m.up.sort(top); }
  for (const n of ordered) {
    const p = l.nodes[n.id];
    const el = drawNode(n, p, policiesOf.get(n.id) ?? []) as SVGGElement;
    nodeEls.set(n.id, el);
    fragment.append(el);
  }
  for (const p of l.proxies) {
    const of = t.nodes.find((n) => n.id === p.of);
    if (!of) continue;
    const text = proxyText(p.direction, of.label);
    const g = s('g', { class: `proxy direction-${p.direction}`, 'data-of': p.of, transform: `translate(${p.x},${p.y})`, role: 'link', tabindex: 0,
      'aria-label': `${text} (elsewhere in the picture): show it` },
      s('rect', { width: p.width, height: p.height, rx: p.height / 2 }),
      s('text', { x: p.width / 2, y: p.height / 2 + 4, 'text-anchor': 'middle' }, truncate(text, Math.floor((p.width - 12) / 6.4))),
      s('title', {}, `${text}: click to show it`));
    g.addEventListener('click', () => centreOn(p.of));
    g.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') centreOn(p.of); });
    fragment.append(g);
  }
  nodeLayer.append(fragment);
  refreshNamespaceChoices(t);
  const hiddenCount = shown.collapsed.reduce((a, ns) => a + (totals.get(ns)?.objects ?? 0), 0);
  counts.textContent = `${t.unit ? `unit ${t.unit} · ` : ''}${state.namespace ? `namespace ${state.namespace} · ` : ''}${nodes.length} nodes · ${edges.length} links · ${edges.filter((e) => e.broken).length} broken`
    + (shown.collapsed.length ? ` · ${plural(shown.collapsed.length, 'namespace')} collapsed (${plural(hiddenCount, 'object')})` : '');
  applyFilter();
  markActive();
  const kinds = new Map(nodes.map((n) => [n.id, n]));
  minimap.draw(l, (id) => kinds.get(id)?.kind ?? 'missing', (id) => (kinds.get(id)?.problems.length ?? 0) > 0);
  if (centreAfterRender) {
    const id = centreAfterRender;
    centreAfterRender = null;
    if (matches.includes(id)) goToMatch(matches.indexOf(id)); else centreOn(id);
  } else if (state.view) applyView();
  else initialView();
  if (state.simulation) highlightPath(state.simulation, false);
  performance.measure('ksi-render', 'render-start');
  document.body.dataset.rendered = String((Number(document.body.dataset.rendered) || 0) + 1);
}

function drawNode(n: TopoNode, p: { x: number; y: number; width: number; height: number }, policies: TopoNode[]): SVGElement {
  const expanded = state.expanded.includes(n.id);
  const label = `${n.label}${n.namespace ? ` in ${n.namespace}` : ''}: ${n.detail}${n.problems.length ? `; ${n.problems.length} problem(s)` : ''}`;
  const g = s('g', {
    class: `node kind-${n.kind}${n.problems.length ? ' has-problems' : ''}`, 'data-id': n.id, 'data-namespace': n.namespace ?? '',
    transform: `translate(${p.x},${p.y})`, tabindex: 0, role: 'button', 'aria-label': label,
  });
  g.append(
    s('rect', { width: p.width, height: p.height, rx: 5, class: 'node-box' }),
    // The badges at the right end of the title line take room from it.
    s('text', { x: 10, y: 18, class: 'node-label' }, fitText(n.label, p.width - 20 - (policies.length ? 34 : 0) - (n.problems.length ? 18 : 0), 12, 600)),
    s('text', { x: 10, y: 35, class: 'node-detail' }, fitText(n.detail, p.width - 20 - (n.pods?.length ? 40 : 0), 11)),
    s('title', {}, [label, ...n.problems.map((x) => `⚠ ${x}`), ...policies.map((x) => `isolated by ${x.label} (${x.detail})`)].join('\n')),
  );
  if (n.problems.length) g.append(s('text', { x: p.width - 10, y: 18, class: 'problem-mark', 'text-anchor': 'end' }, '⚠'));
  if (policies.length) g.append(s('text', { x: p.width - (n.problems.length ? 28 : 10), y: 17, class: 'policy-badge', 'text-anchor': 'end' }, `NP ${policies.length}`));
  if (n.pods?.length) {
    const toggle = s('text', { x: p.width - 10, y: 36, class: 'expand', 'text-anchor': 'end', 'data-expand': n.id }, expanded ? '▾ pods' : '▸ pods');
    toggle.addEventListener('click', (e) => { e.stopPropagation(); toggleExpand(n.id); });
    g.append(toggle);
    if (expanded) {
      n.pods.slice(0, 8).forEach((pod, i) => g.append(s('text', { x: 14, y: 58 + i * 15, class: 'pod' }, `${truncate(pod.name, 24)} ${pod.ip ?? ''} @${pod.node}`)));
      if (n.pods.length > 8) g.append(s('text', { x: 14, y: 58 + 8 * 15, class: 'pod' }, `… ${n.pods.length - 8} more`));
    }
  }
  g.addEventListener('click', () => open(n));
  g.addEventListener('focus', () => { keepInView(n.id); select(n.id); });
  g.addEventListener('keydown', (e) => {
    const k = (e as KeyboardEvent).key;
    if (k === 'Enter') open(n);
    if (k === ' ' && n.pods?.length) { e.preventDefault(); toggleExpand(n.id); }
    if (k === 'f' || k === 'F') { e.preventDefault(); setFocus({ id: n.id, hops: state.focus?.hops ?? 2 }); }
    if (k === 'Escape' && state.focus) { e.preventDefault(); setFocus(null); }
    // Arrows follow the links: right/down the flow to what this node sends to, left/up back.
    const next = k === 'ArrowRight' ? neighbours.get(n.id)?.down[0] : k === 'ArrowLeft' ? neighbours.get(n.id)?.up[0]
      : k === 'ArrowDown' || k === 'ArrowUp' ? sibling(n.id, k === 'ArrowDown' ? 1 : -1) : undefined;
    if (next) {
      e.preventDefault();
      e.stopPropagation();
      if (k === 'ArrowRight') arrivedFrom = n.id;
      else if (k === 'ArrowLeft') arrivedFrom = undefined;
      nodeEls.get(next)?.focus();
    }
  });
  return g;
}

/** Text width in px in the drawing's font: a canvas measures without a layout pass. */
const measureText = (() => {
  const context = document.createElement('canvas').getContext('2d');
  let family: string | undefined;
  return (text: string, size: number, weight: number): number => {
    if (!context) return text.length * size * 0.62;
    family ??= getComputedStyle(document.body).fontFamily || 'sans-serif';
    context.font = `${weight} ${size}px ${family}`;
    return context.measureText(text).width;
  };
})();

/** The text, cut with … to fit the width. */
function fitText(text: string, width: number, size: number, weight = 400): string {
  if (measureText(text, size, weight) <= width) return text;
  let keep = text.length - 1;
  while (keep > 1 && measureText(`${text.slice(0, keep)}…`, size, weight) > width) keep--;
  return `${text.slice(0, keep)}…`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function open(n: TopoNode) {
  select(n.id);
  if (n.uri !== null && n.line !== null) vscode.postMessage({ type: 'open', uri: n.uri, line: n.line });
}

function toggleExpand(id: string) {
  state.expanded = state.expanded.includes(id) ? state.expanded.filter((x) => x !== id) : [...state.expanded, id];
  persist();
  if (topology) void showTopology(topology);
}

function refreshNamespaceChoices(t: Topology) {
  clear(nsSelect);
  nsSelect.append(h('vscode-option', { value: '' }, 'All namespaces'));
  for (const ns of t.namespaces) nsSelect.append(h('vscode-option', { value: ns, selected: ns === state.namespace }, ns));
  (nsSelect as HTMLSelectElement).value = state.namespace;
}

function select(id: string) {
  if (selected === id) return;
  selected = id;
  if (!state.focus) refreshFocusBar();
}

/** Each drawn node's links: where its traffic goes (down) and where it comes from (up). */
let neighbours = new Map<string, { down: string[]; up: string[] }>();
/** The node an arrow right came from: up and down then move among its other targets. */
let arrivedFrom: string | undefined;

/** The other nodes linked to the same node as this one (the next Service of an Ingress, the
 *  next workload of a Service), in the order they are drawn; else the next in its column. */
function sibling(id: string, step: 1 | -1): string | undefined {
  const ups = neighbours.get(id)?.up ?? [];
  // The node the arrows came from, else an upstream node in the same box.
  const sameBox = (x: string) => nodeEls.get(x)?.dataset.namespace === nodeEls.get(id)?.dataset.namespace;
  const parent = arrivedFrom && ups.includes(arrivedFrom) ? arrivedFrom : ups.find(sameBox) ?? ups[0];
  const group = parent ? neighbours.get(parent)!.down : [...nodeEls.keys()].filter((x) => layout?.nodes[x]?.x === layout?.nodes[id]?.x);
  const ids = [...new Set(group)].filter((x) => nodeEls.has(x)).sort((a, b) => layout!.nodes[a].y - layout!.nodes[b].y);
  const i = ids.indexOf(id);
  return i < 0 ? undefined : ids[i + step];
}

/** Pans (at the same scale) so that a node that took the focus is in view. */
function keepInView(id: string) {
  const b = layout?.nodes[id];
  const v = state.view;
  if (!b || !v) return;
  const box = svg.getBoundingClientRect();
  const [x1, y1, x2, y2] = [b.x * v.k + v.x, b.y * v.k + v.y, (b.x + b.width) * v.k + v.x, (b.y + b.height) * v.k + v.y];
  if (x1 >= 0 && y1 >= 0 && x2 <= box.width && y2 <= box.height) return;
  state.view = { ...v, x: box.width / 2 - (b.x + b.width / 2) * v.k, y: box.height / 2 - (b.y + b.height / 2) * v.k };
  applyView();
  persist();
}

/** Nodes whose name or id holds the filter text, in the order they are drawn. */
let matches: string[] = [];
let byIdForFind = new Map<string, TopoNode>();
let currentMatch = -1;

function applyFilter() {
  const q = state.filter.trim().toLowerCase();
  matches = [];
  const hits = new Set<string>();
  // Matches in collapsed namespaces count too (going to one opens its namespace).
  for (const n of topology?.nodes ?? []) {
    if (n.kind !== 'policy' && q && (n.id.toLowerCase().includes(q) || n.label.toLowerCase().includes(q))) hits.add(n.id);
  }
  for (const [id, el] of nodeEls) {
    el.classList.toggle('dim', !!q && !hits.has(id));
    el.classList.toggle('match', hits.has(id));
    el.classList.remove('current-match');
  }
  // Reading order: drawn ones top to bottom, then left to right; then those collapsed.
  const at = (id: string) => layout?.nodes[id] ?? { x: Infinity, y: Infinity };
  matches = [...hits].sort((a, b) => at(a).y - at(b).y || at(a).x - at(b).x || (a < b ? -1 : 1));
  byIdForFind = new Map((topology?.nodes ?? []).map((n) => [n.id, n]));
  currentMatch = -1;
  clear(matchList);
  matchCount.textContent = q ? `${matches.length} match${matches.length === 1 ? '' : 'es'}` : '';
  matchList.hidden = !q || !matches.length;
  for (const [i, id] of matches.slice(0, 8).entries()) {
    const n = byIdForFind.get(id)!;
    const item = h('li', { role: 'option', 'data-match': id, tabindex: -1 }, `${n.label}${n.namespace ? ` · ${n.namespace}` : ''}`);
    item.addEventListener('click', () => goToMatch(i));
    matchList.append(item);
  }
  if (matches.length > 8) matchList.append(h('li', { class: 'more' }, `… ${matches.length - 8} more (Enter steps through all)`));
}

/** Pans and zooms to a match at a readable scale, and marks it. */
function goToMatch(i: number) {
  if (!matches.length) return;
  currentMatch = ((i % matches.length) + matches.length) % matches.length;
  const id = matches[currentMatch];
  for (const el of nodeLayer.querySelectorAll('.current-match')) el.classList.remove('current-match');
  nodeEls.get(id)?.classList.add('current-match');
  for (const li of matchList.querySelectorAll('li')) li.classList.toggle('current', li.dataset.match === id);
  matchCount.textContent = `${currentMatch + 1} of ${matches.length}`;
  const ns = byIdForFind.get(id)?.namespace;
  if (!layout?.nodes[id] && ns && !state.namespace) {
    centreAfterRender = id;
    setNamespaceOpen(ns, true);
    return;
  }
  centreOn(id);
}

function markActive() {
  for (const [id, el] of nodeEls) el.classList.toggle('active', !!activeUri && uriOf.get(id) === activeUri);
}

// ---------------------------------------------------------------- pan and zoom

function applyView() {
  const v = state.view!;
  viewport.setAttribute('transform', `translate(${v.x},${v.y}) scale(${v.k})`);
  const box = svg.getBoundingClientRect();
  minimap.show(v, box.width, box.height);
}

/** The smallest scale at which node labels (12 px) stay readable, about 10 px on screen. */
const READABLE = 0.85;

function fitScale(width: number, height: number): number {
  const box = svg.getBoundingClientRect();
  return Math.max(0.05, Math.min((box.width || 800) / (width + 20), (box.height || 500) / (height + 20), 1.4));
}

/** Everything drawn in view, however small. */
function fit() {
  if (!layout) return;
  showArea({ x: 0, y: 0, width: layout.width, height: layout.height }, 0.05);
}

/** Shows an area of the graph, centred, at the scale that fits it (never below `minScale`:
 *  then its top left corner is shown). */
function showArea(a: { x: number; y: number; width: number; height: number }, minScale: number) {
  const box = svg.getBoundingClientRect();
  const w = box.width || 800;
  const hgt = box.height || 500;
  const fits = fitScale(a.width, a.height);
  const k = Math.max(minScale, fits);
  state.view = fits >= minScale
    ? { k, x: (w - a.width * k) / 2 - a.x * k, y: (hgt - a.height * k) / 2 - a.y * k }
    : { k, x: 10 - a.x * k, y: 10 - a.y * k };
  applyView();
  persist();
}

function areaOf(boxes: { x: number; y: number; width: number; height: number }[], pad = 30) {
  const x = Math.min(...boxes.map((b) => b.x)) - pad;
  const y = Math.min(...boxes.map((b) => b.y)) - pad;
  return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) + pad - x, height: Math.max(...boxes.map((b) => b.y + b.height)) + pad - y };
}

/** The first view: all of it when that is readable; else the active file's objects and their
 *  neighbours, else the namespace with the most problems, at a readable scale. */
function initialView() {
  if (!layout) return;
  if (fitScale(layout.width, layout.height) >= READABLE) return fit();
  const l = layout;
  const mine = shown.nodes.filter((n) => activeUri && n.uri === activeUri).map((n) => n.id);
  if (mine.length) {
    const near = new Set(mine);
    // Declared calls are drawn over the layout, often to far Services: the neighbours that
    // frame the view are those laid out beside the objects.
    for (const e of shown.edges) if (e.kind !== 'calls' && (near.has(e.from) || near.has(e.to))) { near.add(e.from); near.add(e.to); }
    return showArea(areaOf([...near].map((id) => l.nodes[id]).filter(Boolean)), READABLE);
  }
  const problems = new Map<string | null, number>();
  for (const n of shown.nodes) problems.set(n.namespace, (problems.get(n.namespace) ?? 0) + n.problems.length);
  const worst = [...l.bands].sort((a, b) => (problems.get(b.namespace) ?? 0) - (problems.get(a.namespace) ?? 0))[0];
  showArea(worst ?? { x: 0, y: 0, width: l.width, height: l.height }, READABLE);
}

/** One node in the middle of the view, at a readable scale at least. */
function centreOn(id: string) {
  const b = layout?.nodes[id];
  if (!b) return;
  const box = svg.getBoundingClientRect();
  const k = Math.max(READABLE, state.view?.k ?? 1);
  state.view = { k, x: (box.width || 800) / 2 - (b.x + b.width / 2) * k, y: (box.height || 500) / 2 - (b.y + b.height / 2) * k };
  applyView();
  persist();
}

function zoomBy(f: number, cx?: number, cy?: number) {
  if (!state.view) fit();
  const v = state.view!;
  const box = svg.getBoundingClientRect();
  const px = cx ?? box.width / 2;
  const py = cy ?? box.height / 2;
  const k = Math.max(0.05, Math.min(4, v.k * f));
  state.view = { k, x: px - ((px - v.x) * k) / v.k, y: py - ((py - v.y) * k) / v.k };
  applyView();
  persist();
}

window.addEventListener('resize', () => { if (state.view) applyView(); });

svg.addEventListener('wheel', (e) => {
  e.preventDefault();
  const box = svg.getBoundingClientRect();
  zoomBy(e.deltaY < 0 ? 1.1 : 0.9, e.clientX - box.left, e.clientY - box.top);
}, { passive: false });

let drag: { x: number; y: number; vx: number; vy: number } | null = null;
svg.addEventListener('pointerdown', (e) => {
  if ((e.target as Element).closest('g.node, g.proxy, g.band.collapsed, .band-toggle')) return;
  if (!state.view) fit();
  drag = { x: e.clientX, y: e.clientY, vx: state.view!.x, vy: state.view!.y };
  svg.setPointerCapture(e.pointerId);
});
svg.addEventListener('pointermove', (e) => {
  if (!drag || !state.view) return;
  state.view = { ...state.view, x: drag.vx + e.clientX - drag.x, y: drag.vy + e.clientY - drag.y };
  applyView();
});
svg.addEventListener('pointerup', () => { drag = null; persist(); });
svg.addEventListener('keydown', (e) => {
  if (e.target !== svg) return;
  const step = 40;
  const v = state.view;
  switch (e.key) {
    case '+': case '=': zoomBy(1.25); break;
    case '-': zoomBy(0.8); break;
    case '0': fit(); break;
    case 'ArrowLeft': if (v) { state.view = { ...v, x: v.x + step }; applyView(); } break;
    case 'ArrowRight': if (v) { state.view = { ...v, x: v.x - step }; applyView(); } break;
    case 'ArrowUp': if (v) { state.view = { ...v, y: v.y + step }; applyView(); } break;
    case 'ArrowDown': if (v) { state.view = { ...v, y: v.y - step }; applyView(); } break;
    default: return;
  }
  e.preventDefault();
});

// ---------------------------------------------------------------- simulation

function showStatus(kind: 'ok' | 'fail' | 'info', message: string, hint: string | null) {
  clear(simStatus);
  simStatus.className = `sim-status ${kind}`;
  simStatus.append(h('strong', {}, kind === 'ok' ? '✔ ' : kind === 'fail' ? '✘ ' : ''), message);
  if (hint) simStatus.append(h('div', { class: 'hint' }, `Hint: ${hint}`));
}

function showSimulation(r: SimulationResult) {
  const before = blockingPolicies(state.simulation).join();
  state.simulation = r;
  persist();
  // A blocking policy joins (or leaves) the picture: lay it out again (the render lights the path).
  const relayout = !!topology && blockingPolicies(r).join() !== before;
  if (r.ok) {
    showStatus('ok', `${r.source.label} → ${r.target.input}: reaches ${r.service ? `Service ${r.service}` : r.fqdn ?? r.target.host} (${r.endpoints.length} endpoint${r.endpoints.length === 1 ? '' : 's'})`, null);
  } else {
    showStatus('fail', `${r.error!.code}: ${r.error!.message}`, r.error!.hint);
  }
  clear(simTable);
  simTable.append(h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Step'), h('th', {}, 'What was checked'), h('th', {}, 'Result'))));
  const body = h('tbody');
  r.steps.forEach((st, i) => {
    const details = h('td', { class: 'details' });
    for (const d of st.details) details.append(h('div', {}, d));
    // Each object the step checked: a link to its YAML.
    if (st.objects.length) {
      const links = h('div', { class: 'objects' });
      for (const o of st.objects) {
        const a = h('a', { href: '#', class: 'open-yaml', 'data-node': o.nodeId, title: `Open ${o.kind} ${o.name} in the editor` }, `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`);
        a.addEventListener('click', (e) => { e.preventDefault(); e.stopPropagation(); vscode.postMessage({ type: 'open', uri: o.uri, line: o.line }); });
        links.append(a);
      }
      details.append(links);
    }
    const row = h('tr', { class: `step status-${st.status}`, 'data-step': st.step, tabindex: 0, title: 'Show on the graph' },
      h('td', {}, String(i + 1)), h('td', {}, st.title), details,
      h('td', { class: 'result' }, st.status === 'ok' ? '✔ pass' : st.status === 'fail' ? '✘ fail' : st.status === 'skip' ? '– skipped' : '• note'));
    const reveal = () => revealStep(st.objects.map((o) => o.nodeId), r);
    row.addEventListener('click', reveal);
    row.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') reveal(); });
    body.append(row);
  });
  simTable.append(body);
  // The summary and the chart first; the trace folded when the request got through.
  (traceBox as HTMLDetailsElement).open = !r.ok;
  traceSummary.textContent = `Trace: ${r.steps.length} steps${r.ok ? ', all passed' : `, failed at “${r.steps.find((x) => x.status === 'fail')?.title ?? '?'}”`}`;
  clear(simChart);
  if (r.ok && r.distribution.length) {
    const max = Math.max(1, ...r.distribution.map((d) => d.count));
    simChart.append(h('h3', {}, `Distribution of ${r.requests} request${r.requests === 1 ? '' : 's'}`));
    // How the requests were spread (session affinity, kube-proxy mode), beside the bars.
    const how = r.steps.find((x) => x.step === 'endpoints')?.details[0];
    if (how) simChart.append(h('p', { class: 'balancing' }, how));
    for (const d of r.distribution) {
      const bar = h('div', { class: 'bar-fill' });
      bar.style.width = `${(d.count / max) * 100}%`;
      simChart.append(h('div', { class: 'bar', role: 'img', 'aria-label': `${d.endpoint}: ${d.count}` },
        h('span', { class: 'bar-label' }, d.endpoint), h('span', { class: 'bar-track' }, bar), h('span', { class: 'bar-count' }, String(d.count))));
    }
  }
  simChart.append(h('p', { class: 'note' }, r.note));
  if (relayout) void showTopology(topology!).then(() => focusOn(pathNodes(r).concat(blockingPolicies(r))));
  else highlightPath(r, true);
}

let highlightTimers: number[] = [];

/** Lights the request's path on the graph, step by step. */
function highlightPath(r: SimulationResult, animate: boolean) {
  highlightTimers.forEach((t) => clearTimeout(t));
  highlightTimers = [];
  for (const el of svg.querySelectorAll('.on-path, .failed')) el.classList.remove('on-path', 'failed');
  // Policies are badges, so a policy in a step lights the workloads on this path it isolates.
  const endpointNodes = r.endpoints.map((e) => e.workloadNode).filter((id): id is string => !!id);
  const onPath = new Set([
    ...r.steps.filter((st) => st.step === 'source').flatMap((st) => st.objects.map((o) => o.nodeId)),
    ...endpointNodes,
  ]);
  const isolated = (policyId: string) => (topology?.edges ?? [])
    .filter((e) => e.kind === 'isolates' && e.from === policyId && onPath.has(e.to)).map((e) => e.to);
  // A step that policies fail marks the policies drawn (the workloads were reached); any other
  // failing step marks its objects.
  const stepIds: { ids: string[]; failed: Set<string> }[] = r.steps.map((st) => {
    const ids = st.objects.flatMap((o) => (o.kind === 'NetworkPolicy' ? [...isolated(o.nodeId), ...(nodeEls.has(o.nodeId) ? [o.nodeId] : [])] : [o.nodeId]));
    const policies = st.objects.filter((o) => o.kind === 'NetworkPolicy' && nodeEls.has(o.nodeId)).map((o) => o.nodeId);
    return { ids, failed: new Set(st.status !== 'fail' ? [] : policies.length ? policies : ids) };
  });
  if (endpointNodes.length) stepIds.push({ ids: endpointNodes, failed: new Set() });
  if (r.source.kind === 'external') stepIds.unshift({ ids: ['external'], failed: new Set() });
  drawRequestEdges(r);
  const lit = new Set<string>();
  stepIds.forEach((st, i) => {
    const apply = () => {
      for (const id of st.ids) {
        lit.add(id);
        const el = nodeEls.get(id);
        if (st.failed.has(id)) { el?.classList.remove('on-path'); el?.classList.add('failed'); } else if (!el?.classList.contains('failed')) el?.classList.add('on-path');
      }
      for (const el of [...edgeEls, ...requestLayer.querySelectorAll<SVGGElement>('g.request-edge')]) {
        if (lit.has(el.dataset.from ?? '') && lit.has(el.dataset.to ?? '')) el.classList.add('on-path');
      }
    };
    if (animate) highlightTimers.push(window.setTimeout(apply, i * 300)); else apply();
  });
  if (animate) focusOn(stepIds.flatMap((st) => st.ids));
}

/** The request's own hops where the picture has no link (a pod calling a Service): drawn as
 *  dashed arrows over the graph, lit with the path. */
function drawRequestEdges(r: SimulationResult) {
  clear(requestLayer);
  if (!layout) return;
  // From the client to its first hop (a pod calling a Service); the rest of the path runs
  // along drawn links.
  const [from, to] = pathNodes(r).filter((id) => layout!.nodes[id]);
  // A name that does not resolve has no object to mark: the failed lookup is drawn as its own
  // hop after the client.
  const dns = r.steps.find((st) => st.step === 'dns' && st.status === 'fail');
  if (dns && from) {
    const a = layout.nodes[from];
    const x = a.x + a.width + 50;
    const y = a.y + NODE_HEIGHT / 2;
    const label = fitText(`✗ ${dns.title}`, 220, 11, 600);
    const width = Math.min(240, measureText(label, 11, 600) + 20);
    requestLayer.append(s('g', { class: 'request-edge request-dns failed', 'data-from': from, 'data-to': 'dns' },
      s('path', { d: `M ${a.x + a.width} ${y} L ${x} ${y}`, 'marker-end': 'url(#arrow)' }),
      s('rect', { x, y: y - 12, width, height: 24, rx: 12 }),
      s('text', { x: x + 10, y: y + 4 }, label),
      s('title', {}, [dns.title, ...dns.details].join('\n'))));
    return;
  }
  if (!from || !to) return;
  // A declared call is a drawn link already; other calls are drawn for this request.
  const link = shown.edges.find((e) => e.from === from && e.to === to);
  let middle: { x: number; y: number };
  if (link && layout.edges[link.id]) {
    const points = layout.edges[link.id].points;
    const a = points[Math.floor((points.length - 1) / 2)];
    const b = points[Math.ceil((points.length - 1) / 2)];
    middle = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  } else {
    const a = layout.nodes[from];
    const b = layout.nodes[to];
    const x1 = a.x + a.width;
    const y1 = a.y + NODE_HEIGHT / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_HEIGHT / 2;
    const bend = Math.max(60, Math.abs(x2 - x1) / 2);
    requestLayer.append(s('g', { class: 'request-edge', 'data-from': from, 'data-to': to },
      s('path', { d: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`, 'marker-end': 'url(#arrow)' }),
      s('title', {}, `the simulated request: ${from} → ${to}`)));
    middle = { x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
  }
  // The lookup that found the Service, on the call's way.
  const lookup = r.steps.find((st) => st.step === 'dns' && st.status !== 'fail');
  if (lookup) {
    const label = fitText(`DNS ✓ ${lookup.title.replace(/^Resolve /, '')}`, 200, 10, 600);
    const width = measureText(label, 10, 600) + 16;
    const answer = lookup.details.filter((d) => / → (A|AAAA|CNAME) /.test(d)).pop();
    requestLayer.append(s('g', { class: 'request-edge request-dns-ok', 'data-from': from, 'data-to': to },
      s('rect', { x: middle.x - width / 2, y: middle.y - 10, width, height: 20, rx: 10 }),
      s('text', { x: middle.x, y: middle.y + 4, 'text-anchor': 'middle' }, label),
      s('title', {}, [lookup.title, ...(answer ? [answer] : []), ...lookup.details.filter((d) => d !== answer)].join('\n'))));
  }
}

/** Shows the objects of one trace step on the graph (their workloads for a policy not drawn). */
function revealStep(ids: string[], r: SimulationResult) {
  const onPath = new Set(pathNodes(r));
  const drawn = ids.flatMap((id) => (layout?.nodes[id] ? [id]
    : (topology?.edges ?? []).filter((e) => e.kind === 'isolates' && e.from === id && onPath.has(e.to)).map((e) => e.to)));
  for (const el of nodeLayer.querySelectorAll('.revealed')) el.classList.remove('revealed');
  for (const id of drawn) nodeEls.get(id)?.classList.add('revealed');
  if (drawn.length) focusOn(drawn);
}

/** Pans and zooms so that the given nodes are all in view. */
function focusOn(ids: string[]) {
  if (!layout) return;
  const boxes = ids.map((id) => layout!.nodes[id]).filter((b) => !!b);
  if (!boxes.length) return;
  const x1 = Math.min(...boxes.map((b) => b.x)) - 30;
  const y1 = Math.min(...boxes.map((b) => b.y)) - 30;
  const x2 = Math.max(...boxes.map((b) => b.x + b.width)) + 30;
  const y2 = Math.max(...boxes.map((b) => b.y + b.height)) + 30;
  const box = svg.getBoundingClientRect();
  const k = Math.max(0.05, Math.min((box.width || 800) / (x2 - x1), (box.height || 400) / (y2 - y1), 1.2));
  state.view = { k, x: ((box.width || 800) - (x2 - x1) * k) / 2 - x1 * k, y: ((box.height || 400) - (y2 - y1) * k) / 2 - y1 * k };
  applyView();
  persist();
}

function refreshChoices() {
  clear(fromSelect);
  for (const src of sources) fromSelect.append(h('vscode-option', { value: src, selected: src === state.form.from }, src));
  if (state.form.from && sources.includes(state.form.from)) (fromSelect as HTMLSelectElement).value = state.form.from;
  toField.setAttribute('placeholder', targets[0] ?? 'web-svc.default:80/path');
}

// ---------------------------------------------------------------- messages

window.addEventListener('message', (event) => {
  const msg = parseHostMessage(event.data);
  if (!msg) return; // unknown or malformed: dropped
  switch (msg.type) {
    case 'topology':
      activeUri = msg.activeUri;
      void showTopology(msg.topology);
      break;
    case 'active':
      activeUri = msg.uri;
      markActive();
      break;
    case 'simulation':
      showSimulation(msg.result);
      break;
    case 'choices':
      sources = msg.sources;
      targets = msg.targets;
      refreshChoices();
      break;
    case 'prefill':
      state.form = { ...state.form, from: msg.from, to: msg.to };
      (toField as HTMLInputElement).value = msg.to;
      if (!sources.includes(msg.from)) { sources = [msg.from, ...sources]; }
      refreshChoices();
      (fromSelect as HTMLSelectElement).value = msg.from;
      persist();
      if (msg.run) runSimulation();
      break;
  }
});

if (state.simulation) showSimulation(state.simulation);
refreshFocusBar();
// ELK's code is compiled on its first layout: a tiny one now, while the host gathers the
// topology, makes the first real one faster.
// Its shape is a real one (an entry, an Ingress, a Service, two workloads; links with labels;
// a collapsed namespace), so the code a real layout runs is the code warmed.
{
  const node = (kind: TopoNode['kind'], id: string, namespace: string | null = 'warm-up'): TopoNode => ({ id, kind, label: id, namespace, detail: '', uri: null, line: null, problems: [] });
  const link = (from: string, to: string, label: string): TopoEdge => ({ id: `${from}>${to}`, from, to, kind: 'routes', label, broken: false, problem: null });
  void requestLayout(
    [node('external', 'outside', null), node('ingress', 'in'), node('service', 'svc'), node('workload', 'a'), node('workload', 'b')],
    [link('outside', 'in', 'HTTP'), link('in', 'svc', '/ → 80'), link('svc', 'a', '80→8080'), link('svc', 'b', '80→8080')],
    ['other'],
  );
}
vscode.postMessage({ type: 'ready' });
