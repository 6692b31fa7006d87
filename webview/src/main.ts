// The topology panel: draws the service graph and plays simulated requests through it.
// Talks to the extension host only through validated messages (protocol.ts).
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDropdown, vsCodeOption, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import type { SimulationResult, TopoEdge, Topology, TopoNode } from '../../server/src/model';
import { clear, h, s } from './dom';
import { Layout, layoutTopology } from './layout';
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
const svg = s('svg', { id: 'graph', role: 'img', 'aria-label': 'Service topology', tabindex: 0 }) as SVGSVGElement;
const viewport = s('g', { id: 'viewport' });
const bandLayer = s('g', { class: 'bands' });
const edgeLayer = s('g', { class: 'edges' });
const nodeLayer = s('g', { class: 'nodes' });
viewport.append(bandLayer, edgeLayer, nodeLayer);
svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }))), viewport);
const emptyNote = h('p', { id: 'empty', class: 'empty', hidden: true }, 'No Kubernetes objects in this workspace yet.');

const fromSelect = h('vscode-dropdown', { id: 'sim-from', 'aria-label': 'Source' });
const toField = h('vscode-text-field', { id: 'sim-to', placeholder: 'web-svc.default:80/path', 'aria-label': 'Target' }, 'Target');
const requestsField = h('vscode-text-field', { id: 'sim-requests', 'aria-label': 'Requests', size: 6 }, 'Requests');
const runButton = h('vscode-button', { id: 'sim-run', appearance: 'primary' }, 'Simulate');
const simStatus = h('div', { id: 'sim-status', class: 'sim-status', role: 'status' });
const simTable = h('table', { id: 'sim-trace', class: 'trace' });
const simChart = h('div', { id: 'sim-chart', class: 'chart', 'aria-label': 'Request distribution' });

const app = document.getElementById('app')!;
app.append(
  h('header', { class: 'toolbar' },
    search, nsSelect,
    button('fit', 'Fit', () => fit()), button('zoom-in', '+', () => zoomBy(1.25), 'Zoom in'), button('zoom-out', '−', () => zoomBy(0.8), 'Zoom out'),
    counts),
  h('main', { class: 'graph-wrap' }, svg, emptyNote),
  h('section', { class: 'simulation', 'aria-label': 'Simulate a request' },
    h('h2', {}, 'Simulate a request'),
    h('div', { class: 'form' }, h('label', { for: 'sim-from' }, 'From'), fromSelect, toField, requestsField, runButton),
    simStatus, simTable, simChart),
);

function button(id: string, text: string, onClick: () => void, label?: string): HTMLElement {
  const b = h('vscode-button', { id, appearance: 'secondary', 'aria-label': label ?? text }, text);
  b.addEventListener('click', onClick);
  return b;
}

(search as HTMLInputElement).value = state.filter;
search.addEventListener('input', () => { state.filter = (search as HTMLInputElement).value; applyFilter(); persist(); });
nsSelect.addEventListener('change', () => { state.namespace = (nsSelect as HTMLSelectElement).value; applyFilter(); persist(); });
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

function drawnNodes(t: Topology): TopoNode[] {
  // NetworkPolicies are drawn as badges on the workloads they isolate.
  return t.nodes.filter((n) => n.kind !== 'policy');
}

function requestLayout(t: Topology): Promise<Layout> {
  const nodes = drawnNodes(t);
  const edges = t.edges.filter((e) => e.kind !== 'isolates');
  const request = ++layoutRequest;
  performance.mark(`layout-start-${request}`);
  const done = (l: Layout) => {
    performance.measure('ksi-layout', `layout-start-${request}`);
    return l;
  };
  if (nodes.length > 300 && typeof Worker !== 'undefined') {
    try {
      const worker = new Worker(URL.createObjectURL(new Blob([__LAYOUT_WORKER__], { type: 'text/javascript' })));
      return new Promise((resolve) => {
        worker.onmessage = (e) => { worker.terminate(); resolve(done(e.data as Layout)); };
        worker.onerror = () => { worker.terminate(); resolve(done(layoutTopology(nodes, edges, state.expanded))); };
        worker.postMessage({ nodes, edges, expanded: state.expanded });
      });
    } catch {
      /* no worker (CSP or sandbox): lay out here */
    }
  }
  return Promise.resolve(done(layoutTopology(nodes, edges, state.expanded)));
}

async function showTopology(t: Topology) {
  topology = t;
  const l = await requestLayout(t);
  if (topology !== t) return; // a newer topology arrived meanwhile
  layout = l;
  render();
}

function edgePath(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): string {
  const x1 = a.x + a.width;
  const y1 = a.y + Math.min(a.height, 46) / 2;
  const x2 = b.x;
  const y2 = b.y + Math.min(b.height, 46) / 2;
  if (x2 <= x1) {
    // Same or earlier column: loop around below.
    return `M ${x1} ${y1} C ${x1 + 60} ${y1}, ${x2 - 60} ${y2}, ${x2} ${y2}`;
  }
  const dx = (x2 - x1) / 2;
  return `M ${x1} ${y1} C ${x1 + dx} ${y1}, ${x2 - dx} ${y2}, ${x2} ${y2}`;
}

function render() {
  if (!topology || !layout) return;
  performance.mark('render-start');
  const t = topology;
  const l = layout;
  clear(bandLayer);
  clear(edgeLayer);
  clear(nodeLayer);
  const nodes = drawnNodes(t);
  emptyNote.hidden = nodes.length > 0;
  const policiesOf = new Map<string, TopoNode[]>();
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  for (const e of t.edges) {
    if (e.kind !== 'isolates') continue;
    const p = byId.get(e.from);
    if (p) policiesOf.set(e.to, [...(policiesOf.get(e.to) ?? []), p]);
  }
  for (const b of l.bands) {
    bandLayer.append(s('g', { class: 'band', 'data-namespace': b.namespace ?? '' },
      s('rect', { x: 0, y: b.y, width: l.width, height: b.height, rx: 6 }),
      s('text', { x: 10, y: b.y + 17, class: 'band-label' }, b.namespace ? `namespace ${b.namespace}` : 'outside the cluster')));
  }
  const showLabels = t.edges.length <= 400;
  for (const e of t.edges) {
    if (e.kind === 'isolates') continue;
    const a = l.nodes[e.from];
    const b = l.nodes[e.to];
    if (!a || !b) continue;
    const g = s('g', { class: `edge kind-${e.kind}${e.broken ? ' broken' : ''}`, 'data-id': e.id, 'data-from': e.from, 'data-to': e.to },
      s('path', { d: edgePath(a, b), 'marker-end': 'url(#arrow)' }),
      s('title', {}, e.broken ? `✗ ${e.problem}` : e.label));
    if (showLabels && e.label) {
      g.append(s('text', { x: (a.x + a.width + b.x) / 2, y: (a.y + b.y) / 2 + Math.min(a.height, 46) / 2 - 4, class: 'edge-label' }, e.label));
    }
    edgeLayer.append(g);
  }
  nodeEls = new Map();
  edgeEls = [...edgeLayer.querySelectorAll<SVGGElement>('g.edge')];
  uriOf = new Map(t.nodes.map((n) => [n.id, n.uri]));
  const fragment = document.createDocumentFragment();
  for (const n of nodes) {
    const p = l.nodes[n.id];
    if (!p) continue;
    const el = drawNode(n, p, policiesOf.get(n.id) ?? []) as SVGGElement;
    nodeEls.set(n.id, el);
    fragment.append(el);
  }
  nodeLayer.append(fragment);
  refreshNamespaceChoices(t);
  counts.textContent = `${t.unit ? `unit ${t.unit} · ` : ''}${nodes.length} nodes · ${t.edges.filter((e) => e.kind !== 'isolates').length} links · ${t.edges.filter((e) => e.broken).length} broken`;
  applyFilter();
  markActive();
  if (state.view) applyView(); else fit();
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
    s('text', { x: 10, y: 18, class: 'node-label' }, truncate(n.label, 28)),
    s('text', { x: 10, y: 35, class: 'node-detail' }, truncate(n.detail, 32)),
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
  g.addEventListener('keydown', (e) => {
    const k = (e as KeyboardEvent).key;
    if (k === 'Enter') open(n);
    if (k === ' ' && n.pods?.length) { e.preventDefault(); toggleExpand(n.id); }
  });
  return g;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function open(n: TopoNode) {
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

function applyFilter() {
  const q = state.filter.trim().toLowerCase();
  const hiddenIds = new Set<string>();
  for (const [id, el] of nodeEls) {
    const ns = el.dataset.namespace ?? '';
    const hidden = !!state.namespace && ns !== state.namespace && ns !== '';
    if (hidden) hiddenIds.add(id);
    el.classList.toggle('hidden', hidden);
    el.classList.toggle('dim', !!q && !id.toLowerCase().includes(q));
    el.classList.toggle('match', !!q && id.toLowerCase().includes(q));
  }
  for (const el of bandLayer.querySelectorAll<SVGGElement>('g.band')) {
    const ns = el.dataset.namespace ?? '';
    el.classList.toggle('hidden', !!state.namespace && ns !== state.namespace && ns !== '');
  }
  for (const el of edgeEls) {
    el.classList.toggle('hidden', hiddenIds.has(el.dataset.from ?? '') || hiddenIds.has(el.dataset.to ?? ''));
  }
}

function markActive() {
  for (const [id, el] of nodeEls) el.classList.toggle('active', !!activeUri && uriOf.get(id) === activeUri);
}

// ---------------------------------------------------------------- pan and zoom

function applyView() {
  const v = state.view!;
  viewport.setAttribute('transform', `translate(${v.x},${v.y}) scale(${v.k})`);
}

function fit() {
  if (!layout) return;
  const box = svg.getBoundingClientRect();
  const w = box.width || 800;
  const hgt = box.height || 500;
  const k = Math.max(0.05, Math.min(w / (layout.width + 20), hgt / (layout.height + 20), 1.4));
  state.view = { x: (w - layout.width * k) / 2, y: 10, k };
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

svg.addEventListener('wheel', (e) => {
  e.preventDefault();
  const box = svg.getBoundingClientRect();
  zoomBy(e.deltaY < 0 ? 1.1 : 0.9, e.clientX - box.left, e.clientY - box.top);
}, { passive: false });

let drag: { x: number; y: number; vx: number; vy: number } | null = null;
svg.addEventListener('pointerdown', (e) => {
  if ((e.target as Element).closest('g.node')) return;
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
  state.simulation = r;
  persist();
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
    body.append(h('tr', { class: `step status-${st.status}`, 'data-step': st.step },
      h('td', {}, String(i + 1)), h('td', {}, st.title), details,
      h('td', { class: 'result' }, st.status === 'ok' ? '✔ pass' : st.status === 'fail' ? '✘ fail' : st.status === 'skip' ? '– skipped' : '• note')));
  });
  simTable.append(body);
  clear(simChart);
  if (r.ok && r.distribution.length) {
    const max = Math.max(1, ...r.distribution.map((d) => d.count));
    simChart.append(h('h3', {}, `Distribution of ${r.requests} request${r.requests === 1 ? '' : 's'}`));
    for (const d of r.distribution) {
      const bar = h('div', { class: 'bar-fill' });
      bar.style.width = `${(d.count / max) * 100}%`;
      simChart.append(h('div', { class: 'bar', role: 'img', 'aria-label': `${d.endpoint}: ${d.count}` },
        h('span', { class: 'bar-label' }, d.endpoint), h('span', { class: 'bar-track' }, bar), h('span', { class: 'bar-count' }, String(d.count))));
    }
  }
  simChart.append(h('p', { class: 'note' }, r.note));
  highlightPath(r, true);
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
  const stepIds: { ids: string[]; failed: boolean }[] = r.steps.map((st) => ({
    ids: st.objects.flatMap((o) => (o.kind === 'NetworkPolicy' ? isolated(o.nodeId) : [o.nodeId])),
    failed: st.status === 'fail',
  }));
  if (endpointNodes.length) stepIds.push({ ids: endpointNodes, failed: false });
  if (r.source.kind === 'external') stepIds.unshift({ ids: ['external'], failed: false });
  const lit = new Set<string>();
  stepIds.forEach((st, i) => {
    const apply = () => {
      for (const id of st.ids) {
        lit.add(id);
        const el = nodeEls.get(id);
        if (st.failed) { el?.classList.remove('on-path'); el?.classList.add('failed'); } else if (!el?.classList.contains('failed')) el?.classList.add('on-path');
      }
      for (const el of edgeEls) {
        if (lit.has(el.dataset.from ?? '') && lit.has(el.dataset.to ?? '')) el.classList.add('on-path');
      }
    };
    if (animate) highlightTimers.push(window.setTimeout(apply, i * 300)); else apply();
  });
  if (animate) focusOn(stepIds.flatMap((st) => st.ids));
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
vscode.postMessage({ type: 'ready' });
