// The findings about declared calls, shared by their four rules: each call discovered, played
// from the caller's pods, and what fails. A call's verdict depends only on the caller's
// namespace (its pods, egress policies, search list), the namespace its name points into, the
// destination's namespace (Service, endpoints, ingress policies) and the namespaces' labels;
// it is kept while those are the same objects, so an edit elsewhere replays it.
import type { ClusterModel } from '../model';
import type { NamespaceView } from '../namespaceView';
import { namespaceLabels } from '../objects';
import type { K8sObject } from '../parse';
import { simulate, type SimulationResult } from '../simulate/simulate';
import { type DiscoveredCall, discoverCalls } from './discover';

export type CallCode = 'service-reference-not-found' | 'service-reference-port-mismatch' | 'call-denied-by-policy' | 'call-no-endpoints';

export interface CallFinding {
  code: CallCode;
  call: DiscoveredCall;
  /** The failed simulation (absent for a name that resolves to no Service). */
  result?: SimulationResult;
}

interface Kept {
  /** The namespace views its calls' resolution and verdicts read (all of them when a name
   *  resolves nowhere: a Service added anywhere may be the suggestion). */
  deps: NamespaceView[] | 'all';
  views?: NamespaceView[];
  labels: string;
  findings: CallFinding[];
}

/** Per caller namespace view: its calls' findings, kept while what they read is unchanged. */
const kept = new WeakMap<NamespaceView, Kept>();
let last: { views: NamespaceView[]; labels: string; findings: CallFinding[] } | undefined;

/** Failures the simulator decides from the manifests alone; others (simulated node
 *  placement with a Local traffic policy) are not findings. */
const CODE_OF: Partial<Record<string, CallCode>> = {
  'port-not-found': 'service-reference-port-mismatch',
  'policy-denied': 'call-denied-by-policy',
  'no-endpoints': 'call-no-endpoints',
};

const sameViews = (a: NamespaceView[], b: NamespaceView[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export function callFindings(model: ClusterModel, clusterObjects: K8sObject[]): CallFinding[] {
  const views = model.views();
  const labels = JSON.stringify(clusterObjects.filter((o) => o.kind === 'Namespace').map((o) => [o.name, namespaceLabels(o)]));
  if (last && last.labels === labels && sameViews(last.views, views)) return last.findings;
  const byName = new Map(views.map((v) => [v.name, v]));
  const configMaps = new Map<string, K8sObject>();
  let mapsRead = false;
  const configMap = (ns: string, name: string) => {
    if (!mapsRead) {
      for (const o of model.objects()) if (o.kind === 'ConfigMap') configMaps.set(`${o.namespace}/${o.name}`, o);
      mapsRead = true;
    }
    return configMaps.get(`${ns}/${name}`);
  };
  const findings: CallFinding[] = [];
  for (const view of views) {
    const hit = kept.get(view);
    const fresh = hit && hit.labels === labels && (hit.deps === 'all' ? sameViews(hit.views!, views) : hit.deps.every((d) => byName.get(d.name) === d));
    if (fresh) {
      findings.push(...hit.findings);
      continue;
    }
    const deps = new Set<NamespaceView>([view]);
    let all = false;
    const mine: CallFinding[] = [];
    for (const w of view.workloads) {
      if (w.createdBy) continue;
      for (const call of discoverCalls(model, w, configMap)) {
        // The namespaces the name's resolution tried: `svc.ns…` names look into ns.
        for (const label of call.address.host.split('.').slice(1, 3)) {
          const v = byName.get(label);
          if (v) deps.add(v);
        }
        if (call.service) deps.add(byName.get(call.service.namespace) ?? view);
        else all = true;
        mine.push(...judge(model, call));
      }
    }
    kept.set(view, { deps: all ? 'all' : [...deps], views: all ? views : undefined, labels, findings: mine });
    findings.push(...mine);
  }
  last = { views, labels, findings };
  return findings;
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

function judge(model: ClusterModel, call: DiscoveredCall): CallFinding[] {
  if (!call.service) return [{ code: 'service-reference-not-found', call }];
  const failed = playCall(model, { ...call, service: call.service });
  const code = failed?.error ? CODE_OF[failed.error.code] : undefined;
  // A port the text did not write is not the text's mistake.
  if (!code || (code === 'service-reference-port-mismatch' && call.address.port === null)) return [];
  return [{ code, call, result: failed }];
}
