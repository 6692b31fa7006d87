// Cluster DNS as a pod sees it (SEMANTICS §4): the resolv.conf a pod gets, the order names
// are tried in, and what CoreDNS answers for each.
import type { ClusterModel } from '../model';
import { parseIPv4 } from '../net';
import type { PodTemplate, ServiceInfo } from '../objects';
import { PodInstance, simulationOf } from '../simulated';
import { closest } from '../suggest';
import { parse as parseDomain } from 'tldts';

export type DnsAnswer =
  | { type: 'service'; service: ServiceInfo; ips: string[]; simulated: boolean }
  | { type: 'cname'; service: ServiceInfo; target: string }
  | { type: 'pod'; pod: PodInstance; ip: string }
  | { type: 'pod-ip'; ip: string }
  /** A name outside the cluster domain, answered by upstream DNS (not simulated). */
  | { type: 'external'; name: string };

export interface DnsQuery {
  name: string;
  answer: DnsAnswer | null;
}

export interface ResolvConf {
  searches: string[];
  ndots: number;
  /** False when the pod does not use cluster DNS (dnsPolicy Default, or hostNetwork without ClusterFirstWithHostNet). */
  clusterDns: boolean;
  why: string;
}

export function resolvConfOf(settings: { clusterDomain: string }, w: PodTemplate): ResolvConf {
  const domain = settings.clusterDomain;
  const ndotsOpt = w.dnsOptions.find((o) => o.name === 'ndots')?.value;
  const ndots = ndotsOpt !== undefined && /^\d+$/.test(ndotsOpt) ? Number(ndotsOpt) : 5;
  const clusterSearch = [`${w.namespace}.svc.${domain}`, `svc.${domain}`, domain];
  if (w.dnsPolicy === 'Default') return { searches: w.dnsSearches, ndots: 1, clusterDns: false, why: 'dnsPolicy: Default uses the node\'s resolver, which knows no cluster names' };
  if (w.dnsPolicy === 'None') return { searches: w.dnsSearches, ndots, clusterDns: w.dnsSearches.some((s) => s.endsWith(domain)), why: 'dnsPolicy: None uses only spec.dnsConfig' };
  if (w.hostNetwork && w.dnsPolicy !== 'ClusterFirstWithHostNet') {
    return { searches: [], ndots: 1, clusterDns: false, why: 'hostNetwork pods use the node\'s resolver unless dnsPolicy is ClusterFirstWithHostNet' };
  }
  return { searches: [...clusterSearch, ...w.dnsSearches], ndots, clusterDns: true, why: `dnsPolicy: ${w.dnsPolicy}` };
}

/** The names a stub resolver tries, in order (glibc/musl with `search` and `ndots`). */
export function candidates(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = conf.searches.map((s) => `${name}.${s}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

/** What cluster DNS answers for a fully qualified name (no trailing dot). */
export function lookup(model: ClusterModel, fqdn: string, clusterDns: boolean): DnsAnswer | null {
  const domain = model.settings.clusterDomain;
  const name = fqdn.toLowerCase();
  if (!name.endsWith(`.${domain}`)) {
    // Outside the cluster domain: upstream DNS. Single labels never resolve there, nor do
    // cluster-relative names (`web.default`, `x.svc`) that escaped the search list.
    const last = name.split('.').pop()!;
    // A name ending in a namespace or Service name (`web-0.web`) is cluster-relative, whatever TLD it spells.
    const clusterRelative = model.namespaceNames().includes(last) || ['svc', 'pod', 'local', 'cluster'].includes(last)
      || model.views().some((v) => v.services.has(last));
    return name.includes('.') && !clusterRelative && underPublicSuffix(name) ? { type: 'external', name } : null;
  }
  if (!clusterDns) return null;
  const labels = name.slice(0, -(domain.length + 1)).split('.');
  const sim = simulationOf(model);
  if (labels.length === 3 && labels[2] === 'svc') {
    const svc = model.view(labels[1]).services.get(labels[0]);
    if (!svc) return null;
    if (svc.type === 'ExternalName') return svc.externalName ? { type: 'cname', service: svc, target: svc.externalName } : null;
    if (svc.headless) {
      const ips = model.view(svc.namespace).resolve(svc).workloads.flatMap((w) => sim.podsSelectedBy(w, svc.selector).map((p) => p.ip).filter((ip): ip is string => !!ip));
      return ips.length ? { type: 'service', service: svc, ips, simulated: true } : null;
    }
    const cip = sim.clusterIP(svc);
    return cip.ip ? { type: 'service', service: svc, ips: [cip.ip], simulated: cip.simulated } : null;
  }
  if (labels.length === 4 && labels[3] === 'svc') {
    // <hostname>.<headless service>.<ns>.svc: StatefulSet pods, or pods with hostname + subdomain.
    const [host, sub, ns] = labels;
    const svc = model.view(ns).services.get(sub);
    if (!svc?.headless) return null;
    // Only pods the Service selects have endpoints, and so names.
    for (const w of model.view(ns).resolve(svc).workloads) {
      if (w.kind === 'StatefulSet' && w.serviceName === sub) {
        const pod = sim.podsSelectedBy(w, svc.selector).find((p) => p.name === host);
        if (pod?.ip) return { type: 'pod', pod, ip: pod.ip };
      }
      if (w.subdomain === sub && w.hostname === host) {
        const pod = sim.podsOf(w)[0];
        if (pod?.ip) return { type: 'pod', pod, ip: pod.ip };
      }
    }
    return null;
  }
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = labels[0].replace(/-/g, '.');
    return parseIPv4(ip) !== undefined ? { type: 'pod-ip', ip } : null;
  }
  return null;
}

/** Whether public DNS can know `name`: it must be a registrable name under a suffix of the
 *  Public Suffix List (ICANN or private section); `x.nosuch` or `db.internal` is not. */
export function underPublicSuffix(name: string): boolean {
  const p = parseDomain(name, { allowPrivateDomains: true });
  return !!p.domain && (p.isIcann === true || p.isPrivate === true);
}

export function resolve(model: ClusterModel, name: string, conf: ResolvConf): { queries: DnsQuery[]; answer: DnsAnswer | null } {
  const queries: DnsQuery[] = [];
  for (const c of candidates(name, conf)) {
    const answer = lookup(model, c, conf.clusterDns);
    queries.push({ name: c, answer });
    if (answer) return { queries, answer };
  }
  return { queries, answer: null };
}

/** A nearby name that would resolve, for NXDOMAIN hints. */
export function suggestName(model: ClusterModel, name: string, fromNamespace: string | undefined): string | undefined {
  const first = name.replace(/\.$/, '').split('.')[0];
  const exact = model.views().filter((v) => v.services.has(first));
  if (exact.length) {
    const other = exact.find((v) => v.name !== fromNamespace) ?? exact[0];
    return other.name === fromNamespace ? first : `${first}.${other.name}`;
  }
  const all = model.views().flatMap((v) => [...v.services.keys()].map((s) => ({ s, ns: v.name })));
  const guess = closest(first, all.map((x) => x.s));
  if (!guess) return undefined;
  const ns = all.find((x) => x.s === guess)!.ns;
  return ns === fromNamespace ? guess : `${guess}.${ns}`;
}
