// The findings about declared calls, shared by their four rules: each call discovered, played
// from the caller's pods, and what fails. A call's verdict depends only on the caller's
// workload and its namespace's policies, the Services its name could mean, the destination
// Service with its pods and endpoints and its namespace's policies, the namespaces' labels and
// which objects the API server rejects; findings are kept while all of those are the same
// (policies compared by text), so an edit replays only the calls that read what it changed.
import type { ClusterModel } from '../model';
import type { NamespaceView } from '../namespaceView';
import { namespaceLabels, type PodTemplate } from '../objects';
import type { K8sObject } from '../parse';
import { rejectionsKey } from '../simulate/admitted';
import { simulate, type SimulationResult } from '../simulate/simulate';
import { type DiscoveredCall, discoverCallsOf } from './discover';
import { callLookups, sameServices, type ServiceNames } from './lookups';
import { readContainerSources } from './sources';

export type CallCode = 'service-reference-not-found' | 'service-reference-port-mismatch' | 'call-denied-by-policy' | 'call-no-endpoints';

export interface CallFinding {
  code: CallCode;
  call: DiscoveredCall;
  /** The failed simulation (absent for a name that resolves to no Service). */
  result?: SimulationResult;
}

/** What every kept result was made under: the key of `callFindings` (namespace labels and
 *  rejected objects), which Services existed when a result depends on that (a name resolved
 *  nowhere, or an address left out for want of a Service), and the simulated addresses'
 *  version when a policy matched by IP block. */
interface Made {
  key: string;
  services?: readonly ServiceNames[];
  allocation?: number;
}

/** A workload's calls and their findings, reused whole while the namespace views they read
 *  are the same. When one changed, its discovery is still reused while the workload and the
 *  ConfigMaps it reads (`inputs`) are the same objects and each name finds the same Services
 *  (`probes`): the calls keep their identity, and with it their kept verdicts. */
interface KeptWorkload extends Made {
  reads: NamespaceView[];
  inputs: unknown[];
  calls: { call: DiscoveredCall; probes: unknown[] }[];
  findings: CallFinding[];
}

/** A caller namespace's workloads and their entries, with which workloads read each
 *  namespace: while the caller's view is the same, only the readers of a namespace that
 *  changed are judged again. */
interface KeptNamespace extends Made {
  workloads: PodTemplate[];
  kept: KeptWorkload[];
  readers: Map<string, { view: NamespaceView; workloads: number[] }>;
  findings: CallFinding[];
}

/** A call's findings, kept while what its verdict reads is the same (`verdictInputs`). */
interface KeptVerdict {
  inputs: unknown[];
  findings: CallFinding[];
}

const byWorkload = new WeakMap<K8sObject, KeptWorkload>();
const byCallerView = new WeakMap<NamespaceView, KeptNamespace>();
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

/** Per model, the key of its current version (its four rules ask in turn). */
const keys = new WeakMap<ClusterModel, { version: number; key: string }>();

/** Namespace labels (policies' namespace selectors) and the objects the API server rejects
 *  (the simulated cluster lacks them): read by every verdict. Asked once the model's other
 *  findings are made (the call rules run last), so they are final for this version. */
function keyOf(model: ClusterModel, clusterObjects: K8sObject[]): string {
  const hit = keys.get(model);
  if (hit && hit.version === model.version) return hit.key;
  let key = JSON.stringify(clusterObjects.filter((o) => o.kind === 'Namespace').map((o) => [o.name, namespaceLabels(o)])) + rejectionsKey(model);
  // The same instance as before when equal: the entries below compare it thousands of times.
  if (hit && hit.key === key) key = hit.key;
  keys.set(model, { version: model.version, key });
  return key;
}

export function callFindings(model: ClusterModel, clusterObjects: K8sObject[]): CallFinding[] {
  const views = model.views();
  const key = keyOf(model, clusterObjects);
  if (last && last.key === key && sameViews(last.views, views)) return last.findings;
  const byName = new Map(views.map((v) => [v.name, v]));
  const lookups = callLookups(model);
  const stillMade = (m: Made) => m.key === key && (!m.services || sameServices(m.services, lookups.services()))
    && (m.allocation === undefined || m.allocation === model.allocationVersion);
  const findings: CallFinding[] = [];
  /** The workload's calls judged against the current views (kept parts reused). */
  const judged = (view: NamespaceView, w: PodTemplate): KeptWorkload => {
    const hit = byWorkload.get(w.obj);
    if (hit && stillMade(hit) && hit.reads.every((v) => byName.get(v.name) === v)) return hit;
    const inputs = [w.obj, ...(readContainerSources(w.obj)?.configMaps.map((u) => lookups.configMap(w.namespace, u.configMap)) ?? [])];
    const rediscover = !(hit && same(hit.inputs, inputs) && (!hit.services || sameServices(hit.services, lookups.services()))
      && hit.calls.every((c) => same(c.probes, probesOf(view, byName, c.call))));
    const discovered = rediscover ? discoverCallsOf(model, w, lookups) : undefined;
    const calls = discovered ? discovered.calls.map((call) => ({ call, probes: probesOf(view, byName, call) })) : hit!.calls;
    const entry: KeptWorkload = {
      key, inputs, calls, reads: [], findings: [],
      services: discovered ? (discovered.missesServices || discovered.calls.some((c) => !c.service) ? lookups.services() : undefined) : hit!.services,
    };
    const reads = new Set<NamespaceView>([view]);
    for (const { call } of calls) {
      for (const ns of readNamespaces(call)) {
        const v = byName.get(ns);
        if (v) reads.add(v);
      }
      if (!call.service) {
        entry.findings.push({ code: 'service-reference-not-found', call });
        continue;
      }
      const verdictOn = verdictInputs(model, key, view, byName, call);
      let verdict = verdicts.get(call);
      if (!verdict || !same(verdict.inputs, verdictOn)) verdicts.set(call, (verdict = { inputs: verdictOn, findings: judge(model, call as DiscoveredCall & { service: NonNullable<DiscoveredCall['service']> }) }));
      if (verdictOn[verdictOn.length - 1] !== -1) entry.allocation = model.allocationVersion;
      entry.findings.push(...verdict.findings);
    }
    entry.reads = [...reads];
    byWorkload.set(w.obj, entry);
    return entry;
  };
  for (const view of views) {
    let ns = byCallerView.get(view);
    if (ns && stillMade(ns)) {
      const changed = [...ns.readers.values()].filter((r) => byName.get(r.view.name) !== r.view);
      if (changed.length) {
        for (const i of new Set(changed.flatMap((r) => r.workloads))) ns.kept[i] = judged(view, ns.workloads[i]);
        summarize(ns);
      }
    } else {
      const workloads = view.workloads.filter((w) => !w.createdBy);
      ns = { key, workloads, kept: workloads.map((w) => judged(view, w)), readers: new Map(), findings: [] };
      summarize(ns);
      byCallerView.set(view, ns);
    }
    findings.push(...ns.findings);
  }
  last = { views, key, findings };
  return findings;
}

/** A namespace entry's summary of its workloads' entries. */
function summarize(ns: KeptNamespace): void {
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

/** The namespaces a call's resolution and verdict read: those its name probes, and the
 *  destination's. */
function readNamespaces(call: DiscoveredCall): string[] {
  const labels = call.address.host.split('.');
  return [...labels.slice(1, 3), ...(call.service ? [call.service.namespace] : [])];
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
