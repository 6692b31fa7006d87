// The findings about declared calls, shared by their four rules: each call discovered, played
// from the caller's pods, and what fails. A call's verdict depends only on the caller's
// workload and its namespace's policies, the Services its name could mean, the destination
// Service with its pods and endpoints and its namespace's policies, the namespaces' labels and
// which objects the API server rejects; a workload's findings are kept while all of those are
// the same objects, so an edit replays only the calls that read what it changed.
import type { ClusterModel } from '../model';
import type { NamespaceView } from '../namespaceView';
import { namespaceLabels } from '../objects';
import type { K8sObject } from '../parse';
import { simulate, type SimulationResult } from '../simulate/simulate';
import type { PodTemplate } from '../objects';
import { rejectionsKey } from '../simulate/admitted';
import { type DiscoveredCall, discoverCallsOf } from './discover';
import { type CallLookups, callLookups, sameServices, type ServiceNames } from './lookups';
import { readContainerSources } from './sources';

export type CallCode = 'service-reference-not-found' | 'service-reference-port-mismatch' | 'call-denied-by-policy' | 'call-no-endpoints';

export interface CallFinding {
  code: CallCode;
  call: DiscoveredCall;
  /** The failed simulation (absent for a name that resolves to no Service). */
  result?: SimulationResult;
}

/** A workload's calls as discovered, kept while the workload and the ConfigMaps it reads are
 *  the same objects, each call's name still finds the same Services, and (when discovery
 *  depended on it: a name resolved nowhere, or an address left out for want of a Service) the
 *  same Services exist. */
interface KeptDiscovery {
  inputs: unknown[];
  services?: readonly ServiceNames[];
  calls: { call: DiscoveredCall; probes: unknown[] }[];
}

/** A call's findings, kept while what its verdict reads is the same (`verdictInputs`). */
interface KeptVerdict {
  inputs: unknown[];
  findings: CallFinding[];
}

const discoveries = new WeakMap<K8sObject, KeptDiscovery>();
/** Per caller namespace view: its findings and the namespace views they read, reused whole
 *  while those are the same views; and per workload, the views its calls read. */
interface Kept {
  key: string;
  reads: NamespaceView[];
  /** Which Services existed, when a result depends on it. */
  services?: readonly ServiceNames[];
  /** The simulated addresses' version, when a policy matched by IP block. */
  allocation?: number;
  findings: CallFinding[];
}
/** A caller namespace's workloads, what each reads, and which workloads read each namespace. */
interface KeptNamespace {
  key: string;
  workloads: PodTemplate[];
  kept: Kept[];
  readers: Map<string, { view: NamespaceView; workloads: number[] }>;
  services?: readonly ServiceNames[];
  allocation?: number;
  findings: CallFinding[];
}
const byCallerView = new WeakMap<NamespaceView, KeptNamespace>();

/** The namespace entry's summary of its workloads' entries. */
function index(ns: KeptNamespace): void {
  ns.readers = new Map();
  ns.services = undefined;
  ns.allocation = undefined;
  ns.findings = [];
  ns.kept.forEach((k, i) => {
    for (const v of k.reads) {
      const r = ns.readers.get(v.name);
      if (r) r.workloads.push(i); else ns.readers.set(v.name, { view: v, workloads: [i] });
    }
    ns.services ??= k.services;
    ns.allocation ??= k.allocation;
    for (const f of k.findings) ns.findings.push(f);
  });
}
const byWorkload = new WeakMap<K8sObject, Kept>();
const verdicts = new WeakMap<DiscoveredCall, KeptVerdict>();
let last: { views: NamespaceView[]; key: string; findings: CallFinding[] } | undefined;

/** Failures the simulator decides from the manifests alone; others (simulated node
 *  placement with a Local traffic policy) are not findings. */
const CODE_OF: Partial<Record<string, CallCode>> = {
  'port-not-found': 'service-reference-port-mismatch',
  'policy-denied': 'call-denied-by-policy',
  'no-endpoints': 'call-no-endpoints',
};

const sameViews = (a: NamespaceView[], b: NamespaceView[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function callFindings(model: ClusterModel, clusterObjects: K8sObject[]): CallFinding[] {
  const views = model.views();
  // Namespace labels (policies' namespace selectors) and the objects the API server rejects
  // (the simulated cluster lacks them) are read by every verdict.
  let key = JSON.stringify(clusterObjects.filter((o) => o.kind === 'Namespace').map((o) => [o.name, namespaceLabels(o)])) + rejectionsKey(model);
  // The same instance as before when equal: the entries below compare it thousands of times.
  if (last && last.key === key) key = last.key;
  if (last && last.key === key && sameViews(last.views, views)) return last.findings;
  const byName = new Map(views.map((v) => [v.name, v]));
  const lookups = callLookups(model);
  const findings: CallFinding[] = [];
  const fresh = (kept: Kept | undefined) => !!kept && kept.key === key && kept.reads.every((v) => byName.get(v.name) === v)
    && (!kept.services || sameServices(kept.services, lookups.services())) && (kept.allocation === undefined || kept.allocation === model.allocationVersion);
  /** The workload's calls judged against the current views (kept parts reused). */
  const judged = (view: NamespaceView, w: PodTemplate): Kept => {
    const wKept = byWorkload.get(w.obj);
    if (fresh(wKept)) return wKept!;
    const entry: Kept = { key, reads: [], findings: [] };
    const reads = new Set<NamespaceView>([view]);
    const discovered = keptDiscovery(model, view, byName, w, lookups);
    if (discovered.services) entry.services = discovered.services;
    for (const call of discovered.calls) {
      for (const ns of readNamespaces(call)) {
        const v = byName.get(ns);
        if (v) reads.add(v);
      }
      if (!call.service) {
        entry.findings.push({ code: 'service-reference-not-found', call });
        continue;
      }
      const inputs = verdictInputs(model, key, view, byName, call);
      let verdict = verdicts.get(call);
      if (!verdict || !same(verdict.inputs, inputs)) verdicts.set(call, (verdict = { inputs, findings: judge(model, call as DiscoveredCall & { service: NonNullable<DiscoveredCall['service']> }) }));
      if (inputs[inputs.length - 1] !== -1) entry.allocation = model.allocationVersion;
      entry.findings.push(...verdict.findings);
    }
    entry.reads = [...reads];
    byWorkload.set(w.obj, entry);
    return entry;
  };
  for (const view of views) {
    let ns = byCallerView.get(view);
    if (ns && !(ns.key === key && (!ns.services || sameServices(ns.services, lookups.services())) && (ns.allocation === undefined || ns.allocation === model.allocationVersion))) ns = undefined;
    if (!ns) {
      ns = { key, workloads: view.workloads.filter((w) => !w.createdBy), kept: [], readers: new Map(), findings: [] };
      ns.kept = ns.workloads.map((w) => judged(view, w));
      index(ns);
      byCallerView.set(view, ns);
    } else {
      // The caller's namespace is unchanged: only workloads whose calls read a namespace
      // that changed are judged again.
      const changed = [...ns.readers.values()].filter((r) => byName.get(r.view.name) !== r.view);
      if (changed.length) {
        const again = new Set(changed.flatMap((r) => r.workloads));
        for (const i of again) ns.kept[i] = judged(view, ns.workloads[i]);
        index(ns);
      }
    }
    findings.push(...ns.findings);
  }
  last = { views, key, findings };
  return findings;
}

/** The namespaces a call's resolution and verdict read: those its name probes, and the
 *  destination's. */
function readNamespaces(call: DiscoveredCall): string[] {
  const labels = call.address.host.split('.');
  return [...labels.slice(1, 3), ...(call.service ? [call.service.namespace] : [])];
}

function keptDiscovery(model: ClusterModel, view: NamespaceView, byName: Map<string, NamespaceView>, w: PodTemplate, lookups: CallLookups): { calls: DiscoveredCall[]; services?: readonly ServiceNames[] } {
  const inputs = [w.obj, ...(readContainerSources(w.obj)?.configMaps.map((u) => lookups.configMap(w.namespace, u.configMap)) ?? [])];
  const hit = discoveries.get(w.obj);
  if (hit && same(hit.inputs, inputs) && (!hit.services || sameServices(hit.services, lookups.services()))
    && hit.calls.every((c) => same(c.probes, probesOf(view, byName, c.call)))) return { calls: hit.calls.map((c) => c.call), services: hit.services };
  const { calls, missesServices } = discoverCallsOf(model, w, lookups);
  const services = missesServices || calls.some((c) => !c.service) ? lookups.services() : undefined;
  discoveries.set(w.obj, { inputs, services, calls: calls.map((call) => ({ call, probes: probesOf(view, byName, call) })) });
  return { calls, services };
}

/** The Services a resolved name could mean in the namespaces its caller's search list probes
 *  (`svc` and `pod.headless` in the caller's namespace, `svc.ns` in ns) and the one it reached. */
function probesOf(caller: NamespaceView, byName: Map<string, NamespaceView>, call: DiscoveredCall): unknown[] {
  if (!call.service) return [];
  const [first, second] = call.address.host.split('.');
  return [
    caller.services.get(first)?.obj,
    second !== undefined ? caller.services.get(second)?.obj : undefined,
    second !== undefined ? byName.get(second)?.services.get(first)?.obj : undefined,
    byName.get(call.service.namespace)?.services.get(call.service.name)?.obj,
  ];
}

/** What a call's verdict reads besides its workload and name: the key above, the policies of
 *  the caller's namespace (egress, DNS) and of the destination's (ingress), the Service's pods
 *  and endpoints, and the simulated addresses when a policy matches by IP block. */
function verdictInputs(model: ClusterModel, key: string, caller: NamespaceView, byName: Map<string, NamespaceView>, call: DiscoveredCall): unknown[] {
  const target = byName.get(call.service!.namespace)!;
  const current = target.services.get(call.service!.name)!;
  const mine = policiesOf(caller);
  const theirs = policiesOf(target);
  return [key, mine, theirs, target.resolve(current), mine.byIp || theirs.byIp ? model.allocationVersion : -1];
}

/** A namespace's policies: the same object while they are the same policies (by their text:
 *  a file's objects are read again whenever it changes, its unchanged policies too). */
interface Policies { namespace: string; texts: string[]; byIp: boolean }
const policiesOfView = new WeakMap<NamespaceView, Policies>();
const latestPolicies = new Map<string, Policies>();
function policiesOf(view: NamespaceView): Policies {
  let p = policiesOfView.get(view);
  if (p) return p;
  const texts = view.policies.map((x) => x.obj.src.text.slice(x.obj.range[0], x.obj.range[2]));
  const before = latestPolicies.get(view.name);
  p = before && same(before.texts, texts) ? before
    : { namespace: view.name, texts, byIp: view.policies.some((x) => [...x.ingress, ...x.egress].some((r) => r.peers.some((peer) => peer.ipBlock))) };
  latestPolicies.set(view.name, p);
  policiesOfView.set(view, p);
  return p;
}

/** Plays the call from the caller's pods: undefined when it works, else the failed run.
 *  Without a port in the text the call may use any of the Service's ports: it fails only when
 *  every one does, and then for the first one's reason. */
export function playCall(model: ClusterModel, call: DiscoveredCall & { service: NonNullable<DiscoveredCall['service']> }): SimulationResult | undefined {
  const w = call.from;
  const source = `${w.namespace}/${w.kind.toLowerCase()}/${w.name}`;
  const ports = call.address.port !== null ? [call.address.port] : [...new Set(call.service.ports.map((p) => p.port).filter((p): p is number => !!p))];
  let failed: SimulationResult | undefined;
  for (const port of ports.length ? ports : [null]) {
    const r = simulate(model, source, port !== null ? `${call.address.host}:${port}` : call.address.host);
    if (r.ok) return undefined;
    failed ??= r;
  }
  return failed;
}

function judge(model: ClusterModel, call: DiscoveredCall & { service: NonNullable<DiscoveredCall['service']> }): CallFinding[] {
  const failed = playCall(model, call);
  const code = failed?.error ? CODE_OF[failed.error.code] : undefined;
  // A port the text did not write is not the text's mistake.
  if (!code || (code === 'service-reference-port-mismatch' && call.address.port === null)) return [];
  return [{ code, call, result: failed }];
}
