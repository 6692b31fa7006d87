// Addresses claimed across the cluster (node ports, cluster IPs), kept up to date namespace by
// namespace: rebuilding them from every namespace on each edit would be most of the global pass.
import type { EndpointsInfo, ServiceInfo } from './objects';
import type { NamespaceView } from './namespaceView';
import { parseIPv4 } from './net';

/** What one namespace claims; computed with the namespace and cached with it. */
export interface ClaimFacts {
  nodePorts: NodePortClaim[];
  clusterIPs: { ip: string; svc: ServiceInfo }[];
  /** Manual endpoint addresses (which may not be a Service's virtual IP). */
  endpointAddresses: { ip: string; ep: EndpointsInfo; node: unknown }[];
}

export interface NodePortClaim {
  /** `port/protocol` */
  key: string;
  svc: ServiceInfo;
  node: unknown;
}

export function claimsOf(view: NamespaceView): ClaimFacts {
  const facts: ClaimFacts = { nodePorts: [], clusterIPs: [], endpointAddresses: [] };
  for (const svc of view.services.values()) {
    if (svc.type === 'NodePort' || svc.type === 'LoadBalancer') {
      for (const p of svc.ports) if (p.nodePort !== undefined) facts.nodePorts.push({ key: `${p.nodePort}/${p.protocol}`, svc, node: p.nodePortNode });
    }
    if (svc.clusterIP && parseIPv4(svc.clusterIP) !== undefined) facts.clusterIPs.push({ ip: svc.clusterIP, svc });
  }
  for (const ep of view.endpoints) for (const subset of ep.subsets) for (const a of subset.addresses) facts.endpointAddresses.push({ ip: a.ip, ep, node: a.node });
  return facts;
}

export class ClaimIndex {
  readonly nodePorts = new Map<string, NodePortClaim[]>();
  readonly clusterIPs = new Map<string, ServiceInfo[]>();
  /** Node ports claimed more than once (the only ones the global pass looks at). */
  readonly sharedNodePorts = new Set<string>();
  /** Every namespace's facts, for checks that walk them all. */
  readonly all = new Set<ClaimFacts>();

  add(facts: ClaimFacts): void {
    this.all.add(facts);
    for (const np of facts.nodePorts) {
      if (push(this.nodePorts, np.key, np) > 1) this.sharedNodePorts.add(np.key);
    }
    for (const c of facts.clusterIPs) push(this.clusterIPs, c.ip, c.svc);
  }

  remove(facts: ClaimFacts): void {
    this.all.delete(facts);
    for (const np of facts.nodePorts) {
      if (pull(this.nodePorts, np.key, np) < 2) this.sharedNodePorts.delete(np.key);
    }
    for (const c of facts.clusterIPs) pull(this.clusterIPs, c.ip, c.svc);
  }
}

/** Adds a claim; returns how many claims the key has now. */
function push<T>(map: Map<string, T[]>, key: string, item: T): number {
  const list = map.get(key);
  if (list) return list.push(item);
  map.set(key, [item]);
  return 1;
}

/** Removes a claim; returns how many claims the key has left. */
function pull<T>(map: Map<string, T[]>, key: string, item: T): number {
  const list = map.get(key)?.filter((x) => x !== item);
  if (list?.length) map.set(key, list);
  else map.delete(key);
  return list?.length ?? 0;
}

/** Claims in namespace, then object order, whatever order namespaces were indexed in. */
export function byObjectOrder<T>(list: T[], svcOf: (x: T) => ServiceInfo): T[] {
  const key = (x: T) => { const s = svcOf(x); return `${s.namespace}\u0000${s.obj.id}`; };
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
