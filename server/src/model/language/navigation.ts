// Go to definition, find references, code lenses and the outline.
import type { Node } from 'yaml';
import { nameOrKindRange } from '../rules/report';
import type { ClusterModel } from '../model';
import { backendServicePort, hasSelector, ingressBackends, PodTemplate, ServiceInfo } from '../objects';
import { objectRange, type K8sObject } from '../parse';
import type { Position, Range } from '../types';
import { describeService } from '../views';
import { asMap, get, type Span } from '../yamlNodes';
import { callsUnder, ingressOf, policyOf, referrersOf, serviceOf, workloadOf } from './context';
import { locate, pathStarts } from './locate';
import { discoverCalls } from '../calls/discover';
import { callFindings } from '../calls/findings';

export interface Location {
  uri: string;
  range: Range;
}

const loc = (o: K8sObject, node?: Node | Span): Location => ({ uri: o.uri, range: node ? o.src.nodeRange(node) : nameOrKindRange(o) });
const nameLoc = (o: K8sObject) => loc(o, get(asMap(get(o.node, 'metadata')), 'name'));
const labelsLoc = (w: PodTemplate) => loc(w.obj, w.labelsNode ?? w.templateMetaNode);

function backendsOf(model: ClusterModel, svc: ServiceInfo): K8sObject[] {
  return model.view(svc.namespace).endpoints.filter((e) => e.serviceName === svc.name).map((e) => e.obj);
}

export function definition(model: ClusterModel, uri: string, pos: Position): Location[] {
  const c = locate(model, uri, pos);
  if (!c) return [];
  const { obj, path } = c;
  const view = model.view(obj.namespace);
  const svcNamed = (name?: string) => (name ? view.services.get(name) : undefined);
  if (obj.kind === 'Service') {
    const svc = serviceOf(model, obj);
    if (!svc) return [];
    const res = view.resolve(svc);
    if (pathStarts(path, 'spec', 'selector')) return res.workloads.map(labelsLoc);
    if (pathStarts(path, 'spec', 'ports', '#', 'targetPort')) {
      const port = res.ports[path[2] as number];
      return (port?.targets ?? []).flatMap((t) => (t.declared ? [loc(t.workload.obj, t.declared.node)] : []));
    }
    if (pathStarts(path, 'metadata', 'name')) return hasSelector(svc) ? res.workloads.map(labelsLoc) : backendsOf(model, svc).map(nameLoc);
    return [];
  }
  if (obj.kind === 'Ingress') {
    const ing = ingressOf(model, obj);
    const b = ing && ingressBackends(ing).find((x) => x.node.range && c.offset >= x.node.range[0] && c.offset <= x.node.range[1]);
    const svc = svcNamed(b?.serviceName);
    if (!svc) return [];
    if (path.includes('port')) {
      const p = backendServicePort(svc, b!);
      if (p) return [loc(svc.obj, p.node)];
    }
    return [nameLoc(svc.obj)];
  }
  if (obj.kind === 'Endpoints' || obj.kind === 'EndpointSlice') {
    const ep = view.endpoints.find((e) => e.obj === obj);
    const svc = svcNamed(ep?.serviceName);
    return svc ? [nameLoc(svc.obj)] : [];
  }
  if (obj.kind === 'NetworkPolicy') {
    const pol = policyOf(model, obj);
    if (pol && pathStarts(path, 'spec', 'podSelector')) return view.select(pol.podSelector).map(labelsLoc);
    return [];
  }
  const w = workloadOf(model, obj);
  if (!w) return [];
  if (path[path.length - 1] === 'serviceName' || path[path.length - 1] === 'subdomain') {
    const svc = svcNamed(path[path.length - 1] === 'serviceName' ? w.serviceName : w.subdomain);
    return svc ? [nameLoc(svc.obj)] : [];
  }
  // A call written in an env value or arg: the Service it reaches.
  return callsUnder(model, w, c).flatMap((k) => (k.service ? [nameLoc(k.service.obj)] : []));
}

export function references(model: ClusterModel, uri: string, pos: Position): Location[] {
  const c = locate(model, uri, pos);
  if (!c) return [];
  const view = model.view(c.obj.namespace);
  if (c.obj.kind === 'Service') {
    const svc = serviceOf(model, c.obj);
    if (!svc) return [];
    const out: Location[] = [];
    for (const ing of view.ingresses) {
      for (const b of ingressBackends(ing)) if (b.serviceName === svc.name) out.push(loc(ing.obj, b.serviceNameNode));
    }
    for (const e of backendsOf(model, svc)) out.push(nameLoc(e));
    for (const w of view.workloads) {
      if (w.serviceName === svc.name) out.push(loc(w.obj, w.serviceNameNode));
      if (w.subdomain === svc.name) out.push(loc(w.obj, w.subdomainNode));
    }
    return out;
  }
  const w = workloadOf(model, c.obj);
  if (!w) return [];
  const { services, policies } = referrersOf(view, w);
  return [
    ...services.map((s) => loc(s.obj, s.selectorNode)),
    ...policies.map((p) => loc(p.obj, p.podSelectorNode)),
  ];
}

export interface CodeLens {
  range: Range;
  title: string;
  /** Where the lens leads (shown as references when clicked). */
  locations: Location[];
  /** A "Simulate request" lens: the pre-filled source or target. */
  simulate?: { from?: string; to?: string };
}

export function codeLenses(model: ClusterModel, uri: string): CodeLens[] {
  const file = model.file(uri);
  if (!file) return [];
  const lenses: CodeLens[] = [];
  for (const o of file.objects) {
    // Above the object's first line (VS Code draws a lens above its line; on the name's line
    // it would sit between `metadata:` and `name:`).
    const line = objectRange(o).start.line;
    const range = { start: { line, character: 0 }, end: { line, character: 0 } };
    if (o.kind === 'Service') {
      const svc = serviceOf(model, o);
      if (!svc) continue;
      const v = describeService(model, svc);
      const res = model.view(o.namespace).resolve(svc);
      let title: string;
      if (v.type === 'ExternalName') title = `→ CNAME ${v.externalName ?? '(none)'}`;
      else if (v.selector) {
        title = res.workloads.length
          ? `→ ${v.endpoints.length} pod${v.endpoints.length === 1 ? '' : 's'} (${res.workloads.map((w) => `${w.kind} ${w.name}`).join(', ')})`
          : '→ no pods match the selector';
      } else title = v.endpoints.length ? `→ ${v.endpoints.length} address${v.endpoints.length === 1 ? '' : 'es'} (Endpoints)` : '→ no endpoints';
      lenses.push({ range, title, locations: v.selector ? res.workloads.map(labelsLoc) : backendsOf(model, svc).map(nameLoc) });
      lenses.push({ range, title: '▷ Simulate request', locations: [], simulate: { to: `${svc.name}.${svc.namespace}` } });
      continue;
    }
    const w = workloadOf(model, o);
    if (!w) continue;
    const { services, ingresses, policies } = referrersOf(model.view(o.namespace), w);
    const parts = [...services.map((s) => `Service ${s.name}`), ...ingresses.map((i) => `Ingress ${i.name}`)];
    lenses.push({
      range,
      title: parts.length ? `← ${parts.join(', ')}${policies.length ? ` · ${policies.length} NetworkPolic${policies.length === 1 ? 'y' : 'ies'}` : ''}` : '← no Service selects these pods',
      locations: [...services.map((s) => loc(s.obj, s.selectorNode)), ...ingresses.map((i) => nameLoc(i.obj))],
    });
    const calls = callsOfWorkload(model, w);
    if (calls.all.length) {
      const services = [...new Set(calls.all.flatMap((k) => (k.service ? [k.service] : [])))];
      const count = (n: number, word: string) => `${n} ${word}`;
      const title = `→ calls ${services.length} service${services.length === 1 ? '' : 's'}` +
        (calls.blocked ? ` · ${count(calls.blocked, 'blocked')}` : '') + (calls.broken ? ` · ${count(calls.broken, 'broken')}` : '');
      lenses.push({ range, title, locations: services.map((svc) => nameLoc(svc.obj)) });
    }
    lenses.push({ range, title: '▷ Simulate request from here', locations: [], simulate: { from: `${w.namespace}/${w.kind.toLowerCase()}/${w.name}` } });
  }
  return lenses;
}

export interface SymbolInfo {
  name: string;
  detail: string;
  kind: string;
  range: Range;
  selectionRange: Range;
}

export function documentSymbols(model: ClusterModel, uri: string): SymbolInfo[] {
  const file = model.file(uri);
  if (!file) return [];
  return file.objects.map((o) => ({
    name: `${o.kind} ${o.name ?? '(unnamed)'}`,
    detail: o.namespace ? `namespace ${o.namespace}` : o.apiVersion,
    kind: o.kind,
    range: objectRange(o),
    selectionRange: nameOrKindRange(o),
  }));
}

/** A workload's declared calls, and how many a policy blocks or are broken otherwise (the
 *  call rules' findings, kept between edits). */
function callsOfWorkload(model: ClusterModel, w: PodTemplate) {
  model.allDiagnostics(); // the findings are those of the model as it is now
  const findings = callFindings(model, model.clusterScoped()).filter((f) => f.call.from.obj === w.obj);
  return {
    all: discoverCalls(model, w),
    blocked: findings.filter((f) => f.code === 'call-denied-by-policy').length,
    broken: findings.filter((f) => f.code !== 'call-denied-by-policy').length,
  };
}
