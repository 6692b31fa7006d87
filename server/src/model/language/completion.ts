// Completion items drawn from what the workspace really contains: labels, ports, Services.
import type { Node } from 'yaml';
import type { ClusterModel } from '../model';
import type { NamespaceView } from '../namespaceView';
import { hasSelector, PodTemplate } from '../objects';
import { ENUMS } from '../schema';
import type { Position, Range } from '../types';
import { asMap, asSeq, get, str, stringMap } from '../yamlNodes';
import { replicasText, serviceOf } from './context';
import { locate, PathItem, pathIs } from './locate';
import { simulationOf } from '../simulated';
import { namespaceLabelsOf } from '../simulate/policy';
import type { K8sObject } from '../parse';

export interface CompletionItem {
  label: string;
  kind: 'label-key' | 'label-value' | 'port' | 'service' | 'enum' | 'namespace';
  detail?: string;
  documentation?: string;
  insertText: string;
  sortText: string;
  /** The text the item replaces (the partly typed word). */
  range: Range;
}

interface Context {
  model: ClusterModel;
  obj: K8sObject;
  /** Path of the map being filled (key mode) or of the key whose value is typed (value mode). */
  path: PathItem[];
  mode: 'key' | 'value';
  key?: string;
  range: Range;
  typed: string;
}

const KEY_LINE = /^(\s*)(-\s+)?([\w./-]*)$/;
const VALUE_LINE = /^(\s*)(-\s+)?([\w./-]+):\s+([^\s#]*)$/;
const PARENT_LINE = /^(\s*)(-\s+)?([\w./-]+):\s*(#.*)?$/;

function contextAt(model: ClusterModel, uri: string, pos: Position): Context | undefined {
  const file = model.file(uri);
  if (!file) return undefined;
  const text = file.src.text;
  const lineStart = file.src.offsetAt({ line: pos.line, character: 0 });
  const prefix = text.slice(lineStart, file.src.offsetAt(pos));
  const lines = text.split('\n');
  let m = VALUE_LINE.exec(prefix);
  if (m) {
    const keyCol = m[1].length + (m[2]?.length ?? 0);
    const c = locate(model, uri, { line: pos.line, character: keyCol });
    if (!c || !c.onKey) return undefined;
    const typed = m[4];
    return { model, obj: c.obj, path: c.path, mode: 'value', key: m[3], typed, range: { start: { line: pos.line, character: pos.character - typed.length }, end: pos } };
  }
  m = KEY_LINE.exec(prefix);
  if (!m) return undefined;
  const indent = m[1].length + (m[2] ? 1 : 0);
  const typed = m[3];
  // The parent is the nearest line above that is less indented and ends in `key:`.
  for (let l = pos.line - 1; l >= 0; l--) {
    const line = lines[l];
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const lineIndent = line.length - line.trimStart().length;
    if (lineIndent >= indent && !(m[2] && lineIndent === indent && line.trimStart().startsWith('-'))) continue;
    const p = PARENT_LINE.exec(line);
    if (!p) return undefined;
    const keyCol = p[1].length + (p[2]?.length ?? 0);
    const c = locate(model, uri, { line: l, character: keyCol });
    if (!c || !c.onKey) return undefined;
    // `- Eg|` under `policyTypes:` is a list value, not a key.
    const mode = m[2] ? 'value' : 'key';
    return { model, obj: c.obj, path: c.path, mode, key: mode === 'value' ? p[3] : undefined, typed, range: { start: { line: pos.line, character: pos.character - typed.length }, end: pos } };
  }
  return undefined;
}

export function complete(model: ClusterModel, uri: string, pos: Position): CompletionItem[] {
  const ctx = contextAt(model, uri, pos);
  if (!ctx) return [];
  const items = itemsFor(ctx);
  return items.filter((i) => !ctx.typed || i.label.toLowerCase().includes(ctx.typed.toLowerCase()));
}

function nodeAt(obj: K8sObject, path: PathItem[]): Node | undefined {
  let cur: Node | undefined = obj.node;
  for (const p of path) {
    cur = typeof p === 'number' ? asSeq(cur)?.items[p] as Node | undefined : get(asMap(cur), p);
    if (!cur) return undefined;
  }
  return cur;
}

type LabelTarget = 'pods' | 'namespaces';

/** Is this path a label map (selector) and what does it select? */
function labelMapAt(ctx: Context, mapPath: PathItem[]): LabelTarget | undefined {
  const k = ctx.obj.kind;
  if (k === 'Service' && pathIs(mapPath, 'spec', 'selector')) return 'pods';
  const last = mapPath[mapPath.length - 1];
  const parent = mapPath[mapPath.length - 2];
  if (last === 'matchLabels') return parent === 'namespaceSelector' ? 'namespaces' : 'pods';
  if (k === 'ReplicationController' && pathIs(mapPath, 'spec', 'selector')) return 'pods';
  return undefined;
}

function itemsFor(ctx: Context): CompletionItem[] {
  const { model, obj, path, mode, key } = ctx;
  const view = model.view(obj.namespace);
  if (mode === 'key') {
    const target = labelMapAt(ctx, path);
    if (target) return labelKeys(ctx, view, target);
    return [];
  }
  // Value mode: the path ends at `key`.
  const mapPath = path.slice(0, -1);
  const target = labelMapAt(ctx, mapPath);
  if (target && key) return labelValues(ctx, view, target, key, mapPath);
  const last = key;
  if (obj.kind === 'Service' && pathIs(path, 'spec', 'ports', '#', 'targetPort')) return targetPorts(ctx, view, path[2] as number);
  if (obj.kind === 'Service' && pathIs(path, 'spec', 'type')) return enumItems(ctx, ENUMS.serviceType, 'Service type');
  if (obj.kind === 'Service' && pathIs(path, 'spec', 'sessionAffinity')) return enumItems(ctx, ENUMS.sessionAffinity, 'sessionAffinity');
  if (obj.kind === 'Service' && (pathIs(path, 'spec', 'externalTrafficPolicy') || pathIs(path, 'spec', 'internalTrafficPolicy'))) return enumItems(ctx, ENUMS.trafficPolicy, last!);
  if (last === 'protocol') return enumItems(ctx, ENUMS.protocol, 'protocol');
  if (obj.kind === 'Ingress' && last === 'pathType') return enumItems(ctx, ENUMS.pathType, 'pathType');
  if (obj.kind === 'NetworkPolicy' && last === 'policyTypes') return enumItems(ctx, ENUMS.policyType, 'policy type');
  if (obj.kind === 'Ingress' && path[path.length - 2] === 'service' && last === 'name') return serviceNames(ctx, view, () => true);
  if (obj.kind === 'Ingress' && path[path.length - 2] === 'port' && (last === 'number' || last === 'name')) {
    const svcName = str(get(asMap(nodeAt(obj, path.slice(0, -2))), 'name'));
    const svc = svcName ? view.services.get(svcName) : undefined;
    return (svc?.ports ?? []).filter((p) => (last === 'number' ? p.port !== undefined : !!p.name)).map((p, i) => ({
      label: last === 'number' ? String(p.port) : p.name!, kind: 'port' as const, insertText: last === 'number' ? String(p.port) : p.name!,
      detail: `Service ${svc!.name} port ${p.port}${p.name ? ` (${p.name})` : ''} → targetPort ${p.targetPort}`, sortText: String(i).padStart(4, '0'), range: ctx.range,
    }));
  }
  if (obj.kind === 'StatefulSet' && pathIs(path, 'spec', 'serviceName')) return serviceNames(ctx, view, (s) => s.headless, 'headless');
  if (last === 'subdomain') return serviceNames(ctx, view, (s) => s.headless, 'headless');
  if ((obj.kind === 'Endpoints' || obj.kind === 'EndpointSlice') && pathIs(path, 'metadata', 'name')) {
    return serviceNames(ctx, view, (s) => !hasSelector(s) && s.type !== 'ExternalName', 'selectorless');
  }
  if (last === 'dnsPolicy') return enumItems(ctx, ENUMS.dnsPolicy, 'dnsPolicy');
  return [];
}

function enumItems(ctx: Context, values: string[], what: string): CompletionItem[] {
  return values.map((v, i) => ({ label: v, kind: 'enum', insertText: v, detail: what, sortText: String(i).padStart(4, '0'), range: ctx.range }));
}

function serviceNames(ctx: Context, view: NamespaceView, keep: (s: import('../objects').ServiceInfo) => boolean, what?: string): CompletionItem[] {
  return [...view.services.values()].filter(keep).sort((a, b) => (a.name < b.name ? -1 : 1)).map((s, i) => ({
    label: s.name, kind: 'service', insertText: s.name,
    detail: `${what ? `${what} ` : ''}Service in ${s.namespace} · ${s.type} · ports ${s.ports.map((p) => p.port).join(', ') || 'none'}`,
    sortText: String(i).padStart(4, '0'), range: ctx.range,
  }));
}

function podLabelSets(model: ClusterModel, view: NamespaceView, target: LabelTarget): { labels: Record<string, string>; what: string; workloads: PodTemplate[] }[] {
  if (target === 'pods') {
    const nodes = simulationOf(model).nodes.length;
    return view.workloads.map((w) => ({ labels: w.labels, what: replicasText(w, nodes), workloads: [w] }));
  }
  const names = new Set([...model.clusterScoped().filter((o) => o.kind === 'Namespace' && o.name).map((o) => o.name!), ...model.namespaceNames()]);
  return [...names].map((name) => ({ labels: namespaceLabelsOf(model, name), what: `Namespace ${name}`, workloads: [] }));
}

function labelKeys(ctx: Context, view: NamespaceView, target: LabelTarget): CompletionItem[] {
  const existing = stringMap(nodeAt(ctx.obj, ctx.path)) ?? {};
  const counts = new Map<string, string[]>();
  for (const set of podLabelSets(ctx.model, view, target)) {
    for (const k of Object.keys(set.labels)) {
      if (k in existing) continue;
      counts.set(k, [...(counts.get(k) ?? []), set.what]);
    }
  }
  return [...counts].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).map(([k, whats], i) => ({
    label: k, kind: 'label-key', insertText: `${k}: `,
    detail: `label on ${whats.length} ${target === 'pods' ? 'pod template' : 'namespace'}${whats.length === 1 ? '' : 's'}`,
    documentation: whats.slice(0, 5).join(', '), sortText: String(i).padStart(4, '0'), range: ctx.range,
  }));
}

function labelValues(ctx: Context, view: NamespaceView, target: LabelTarget, key: string, mapPath: PathItem[]): CompletionItem[] {
  const others = stringMap(nodeAt(ctx.obj, mapPath)) ?? {};
  delete others[key];
  const byValue = new Map<string, { whats: string[]; alongside: number }>();
  for (const set of podLabelSets(ctx.model, view, target)) {
    const v = set.labels[key];
    if (v === undefined) continue;
    const entry = byValue.get(v) ?? { whats: [], alongside: 0 };
    entry.whats.push(set.what);
    // Values that select something together with the pairs already written rank first.
    if (Object.entries(others).every(([k, ov]) => set.labels[k] === ov)) entry.alongside++;
    byValue.set(v, entry);
  }
  return [...byValue].sort((a, b) => b[1].alongside - a[1].alongside || b[1].whats.length - a[1].whats.length || (a[0] < b[0] ? -1 : 1))
    .map(([v, e], i) => ({
      label: v, kind: 'label-value', insertText: v,
      detail: `${key}: ${v} — ${e.whats.slice(0, 3).join(', ')}${e.whats.length > 3 ? ` +${e.whats.length - 3}` : ''}`,
      documentation: e.alongside ? undefined : 'Does not match together with the other selector labels',
      sortText: String(i).padStart(4, '0'), range: ctx.range,
    }));
}

function targetPorts(ctx: Context, view: NamespaceView, index: number): CompletionItem[] {
  const svc = serviceOf(ctx.model, ctx.obj);
  if (!svc) return [];
  const workloads = view.resolve(svc).workloads;
  const protocol = svc.ports[index]?.protocol ?? 'TCP';
  const seen = new Map<string, { detail: string[]; named: boolean }>();
  for (const w of workloads) {
    for (const p of w.ports) {
      if (p.protocol !== protocol) continue;
      const add = (label: string, named: boolean) => {
        const e = seen.get(label) ?? { detail: [], named };
        e.detail.push(`${w.kind}/${w.name} ${p.container}:${p.containerPort}${p.name ? ` (${p.name})` : ''}`);
        seen.set(label, e);
      };
      if (p.name) add(p.name, true);
      if (p.containerPort !== undefined) add(String(p.containerPort), false);
    }
  }
  return [...seen].sort((a, b) => Number(b[1].named) - Number(a[1].named)).map(([label, e], i) => ({
    label, kind: 'port', insertText: label,
    detail: `${e.named ? 'named port' : 'container port'} — ${e.detail.join(', ')}`,
    documentation: e.named ? 'A named targetPort follows each pod\'s own port number.' : undefined,
    sortText: String(i).padStart(4, '0'), range: ctx.range,
  }));
}
