// Service calls the manifests declare: addresses in a container's configuration that name a
// Service of the cluster (resolved as the container's own resolver would: its DNS search
// list), or nearly do (a Service of that name exists elsewhere, or one a letter away). A word
// becomes a call only when the text marks it as an address or its name is unmistakably a
// cluster name; anything else is left alone, so no call is invented.
import type { ClusterModel } from '../model';
import type { PodTemplate, ServiceInfo } from '../objects';
import type { K8sObject } from '../parse';
import { resolve, resolvConfOf, suggestName } from '../simulate/dns';
import type { Span } from '../yamlNodes';
import { type Address, addressesIn } from './addresses';
import { type CallLookups, callLookups } from './lookups';
import { readConfigMapData, readContainerSources } from './sources';

export interface DiscoveredCall {
  from: PodTemplate;
  container: string;
  /** `env NAME`, `args`, `command`, `configmap NAME/KEY`. */
  where: string;
  /** The whole string the address is in. */
  value: string;
  address: Address;
  /** The Service the name resolves to from the caller's pods; null: none does. */
  service: ServiceInfo | null;
  /** The name the caller's resolver answered (a FQDN). */
  resolvedAs: string | null;
  /** When no Service answers: a name that would (`carts-db.sock-shop`), if any. */
  suggestion?: string;
  /** Where it is written: the object, the scalar, and the host:port inside it when the file
   *  holds the text as written. */
  at: { obj: K8sObject; span?: Span; start?: number; end?: number };
}

/** Names a call across discoveries of the same workload (each discovery makes new objects). */
export const callKey = (c: DiscoveredCall) => `${c.from.obj.id}|${c.where}|${c.address.start}`;

/** Every call the workload's containers declare. */
export function discoverCalls(model: ClusterModel, w: PodTemplate, lookups: CallLookups = callLookups(model)): DiscoveredCall[] {
  return discoverCallsOf(model, w, lookups).calls;
}

/** The calls, and whether some address was left out for want of a Service (so a Service added
 *  anywhere may make it a call). */
export function discoverCallsOf(model: ClusterModel, w: PodTemplate, lookups: CallLookups): { calls: DiscoveredCall[]; missesServices: boolean } {
  const sources = readContainerSources(w.obj);
  if (!sources) return { calls: [], missesServices: false };
  const out: DiscoveredCall[] = [];
  let missesServices = false;
  const conf = resolvConfOf(model.settings, w);
  const consider = (container: string, where: string, text: string, key: string | undefined, obj: K8sObject, span: Span | undefined, textStart: number | undefined) => {
    for (const address of scanned(obj, where, text, key)) {
      const call = judge(model, w, conf, address, lookups);
      if (!call) {
        if (address.evidence !== 'bare' || address.host.includes('.')) missesServices = true;
        continue;
      }
      out.push({
        from: w, container, where, value: text, address, ...call,
        at: { obj, span, ...(textStart !== undefined ? { start: textStart + address.start, end: textStart + address.end } : {}) },
      });
    }
  };
  for (const s of sources.strings) if (!s.expandedElsewhere) consider(s.container, s.where, s.text, s.key, w.obj, s.span, s.textStart);
  for (const use of sources.configMaps) {
    const cm = lookups.configMap(w.namespace, use.configMap);
    if (!cm) continue;
    const data = readConfigMapData(cm);
    for (const [key, v] of data) {
      if (use.key !== undefined && key !== use.key) continue;
      consider(use.container, `configmap ${use.configMap}/${key}`, v.text, use.env ?? key, cm, v.span, v.textStart);
    }
  }
  return { calls: out, missesServices };
}

/** Addresses of each string, scanned once per object (the rules look again after every edit). */
const scans = new WeakMap<K8sObject, Map<string, Address[]>>();
function scanned(obj: K8sObject, where: string, text: string, key: string | undefined): Address[] {
  const mine = scans.get(obj) ?? scans.set(obj, new Map()).get(obj)!;
  const id = `${where}\u0000${key ?? ''}\u0000${text}`;
  let found = mine.get(id);
  if (!found) mine.set(id, (found = addressesIn(text, key)));
  return found;
}

const clusterSuffix = (host: string, domain: string) => host.endsWith('.svc') || host.endsWith(`.svc.${domain}`);

function judge(model: ClusterModel, w: PodTemplate, conf: ReturnType<typeof resolvConfOf>, a: Address, lookups: CallLookups): Pick<DiscoveredCall, 'service' | 'resolvedAs' | 'suggestion'> | undefined {
  const domain = model.settings.clusterDomain;
  const labels = a.host.split('.');
  // A bare word is an address only when it spells a cluster name (`svc.ns`, `…svc.cluster.local`).
  if (a.evidence === 'bare' && labels.length < 2) return undefined;
  if (!conf.clusterDns) return undefined;
  const { queries, answer } = resolve(model, a.host, conf);
  if (answer && (answer.type === 'service' || answer.type === 'cname')) {
    if (a.evidence === 'bare' && !(labels.length >= 2 && (model.view(labels[1]).services.has(labels[0]) || clusterSuffix(a.host, domain)))) return undefined;
    return { service: answer.service, resolvedAs: queries[queries.length - 1].name };
  }
  if (answer?.type === 'pod') {
    const svc = [...model.view(answer.pod.workload.namespace).services.values()].find((s) => labels[1] === s.name) ?? null;
    return { service: svc, resolvedAs: queries[queries.length - 1].name };
  }
  if (answer) return undefined; // outside the cluster, or a pod IP name
  // No Service answers. It is a call that misses only when it is meant for the cluster: a
  // cluster suffix, or a first label that is a Service's name somewhere (or nearly).
  if (a.evidence === 'bare' && !clusterSuffix(a.host, domain)) return undefined;
  if (!clusterSuffix(a.host, domain) && !lookups.serviceNamedNearly(labels[0])) return undefined;
  return { service: null, resolvedAs: null, suggestion: suggestName(model, a.host, w.namespace) };
}
