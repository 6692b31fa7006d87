// NetworkPolicy evaluation for one connection (SEMANTICS §7): isolation, peers, ports.
import type { ClusterModel } from '../model';
import { cidrContains, formatIPv4, parseCidr, parseIPv4 } from '../net';
import { LabelSelector, namespaceLabels, NetworkPolicyInfo, PolicyPeer, PolicyPort, selectorMatches } from '../objects';
import type { K8sObject } from '../parse';
import type { Settings } from '../types';
import { rejectionOf } from './admitted';
import { ALL_PORTS, has, NO_PORTS, PortSet, portSetOf, union } from './portSet';

/** What a policy sees of one end of a connection. */
export type Party =
  | { kind: 'pod'; namespace: string; labels: Record<string, string>; ip?: string; name: string; node?: string }
  /** An address outside the pods of the model; `invented` says why the address is made up. */
  | { kind: 'ip'; ip?: string; what: string; invented?: string }
  /** A node's own address (also the source of SNATed outside traffic). */
  | { kind: 'node'; ip: string; name: string; invented?: string }
  /** An in-cluster pod the manifests do not declare (the Ingress controller). */
  | { kind: 'controller'; what: string };

/** The pod a policy is evaluated for (its namespace, labels and, when known, its node). */
export interface PolicyPod {
  namespace: string;
  labels: Record<string, string>;
  node?: string;
}

/** A container port of the destination pod, for named policy ports. */
export interface NamedPort {
  name?: string;
  containerPort?: number;
  protocol: string;
}

export interface PortInfo {
  port: number;
  protocol: string;
  /** The destination pod's container ports: a named policy port resolves there by name and protocol. */
  podPorts: readonly NamedPort[];
}

export interface PolicyVerdict {
  allowed: boolean;
  /** Policies that isolate the pod in this direction (empty: not isolated). */
  isolating: NetworkPolicyInfo[];
  /** The policy and rule index that allowed it. */
  allowedBy?: { policy: NetworkPolicyInfo; rule: number };
  note?: string;
  /** The verdict holds only under this assumption (the trace shows it as "depends"). */
  assumption?: string;
  /** Invented values the verdict rests on, and readings that another CNI may not share. */
  caveats: string[];
}

/** What evaluation needs to know of the cluster: the policies of a namespace and the labels
 *  of namespaces (for namespaceSelector peers). The simulator and the checks both use it. */
export interface PolicyScope {
  policiesIn(namespace: string): readonly NetworkPolicyInfo[];
  namespaceLabels(namespace: string): Record<string, string>;
}

export function policyScopeOf(model: ClusterModel): PolicyScope {
  return {
    // A policy the API server rejects does not exist, so it isolates nothing.
    policiesIn: (ns) => model.view(ns).policies.filter((p) => !rejectionOf(model, p.obj)),
    namespaceLabels: (ns) => namespaceLabelsOf(model, ns),
  };
}

export function namespaceLabelsOf(model: ClusterModel, namespace: string): Record<string, string> {
  return labelsOfNamespace(model.clusterScoped(), namespace);
}

/** A namespace's labels: those its Namespace object declares, and the one the API server adds. */
export function labelsOfNamespace(clusterObjects: readonly K8sObject[], namespace: string): Record<string, string> {
  const declared = clusterObjects.find((o) => o.kind === 'Namespace' && o.name === namespace && !o.custom);
  return { ...(declared ? namespaceLabels(declared) : {}), 'kubernetes.io/metadata.name': namespace };
}

/** The cluster DNS Service's address (the tenth of the service CIDR, as kubeadm gives it). */
export function dnsServiceIPOf(settings: Settings): string {
  const cidr = parseCidr(settings.serviceCIDR) ?? parseCidr('10.96.0.0/12')!;
  return formatIPv4(cidr.base + 10);
}

/** CoreDNS's container ports as its standard manifest names them. */
const COREDNS_PORTS: NamedPort[] = [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }, { name: 'metrics', containerPort: 9153, protocol: 'TCP' }];

/** May a pod send a DNS query (UDP 53) to the cluster DNS pods (CoreDNS in kube-system)? */
export function dnsEgress(scope: PolicyScope, pod: PolicyPod, settings: Settings): PolicyVerdict {
  // Policies see the CoreDNS pod after DNAT, so its (invented) pod address, not the Service's.
  const podCidr = parseCidr(settings.podCIDR) ?? parseCidr('10.244.0.0/16')!;
  const coredns: Party = { kind: 'pod', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: formatIPv4(podCidr.base + 2), name: 'coredns' };
  return evaluate(scope, 'egress', pod, coredns, { port: 53, protocol: 'UDP', podPorts: COREDNS_PORTS });
}

const EMPTY: LabelSelector = { matchLabels: {}, matchExpressions: [] };

/** How one peer of a rule matches a party: `caveat` names what the answer rests on. A match
 *  with `assumed` set holds only if something outside the manifests is as described. */
export interface PeerMatch {
  matches: boolean;
  caveat?: string;
  assumed?: boolean;
}

const NO: PeerMatch = { matches: false };
const YES: PeerMatch = { matches: true };

function inBlock(block: { cidr: string; except: string[] }, ip: string | undefined): boolean {
  const n = ip ? parseIPv4(ip) : undefined;
  const cidr = parseCidr(block.cidr);
  if (n === undefined || !cidr || !cidrContains(cidr, n)) return false;
  return !block.except.some((e) => {
    const ex = parseCidr(e);
    return ex && cidrContains(ex, n);
  });
}

function selectorText(sel: LabelSelector | undefined): string {
  if (!sel) return 'any';
  const parts = [...Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`), ...sel.matchExpressions.map((e) => `${e.key} ${e.operator}${e.values.length ? ` (${e.values.join(', ')})` : ''}`)];
  return parts.length ? parts.join(', ') : 'any';
}

export function peerMatches(scope: PolicyScope, policy: NetworkPolicyInfo, peer: PolicyPeer, party: Party): PeerMatch {
  if (peer.ipBlock) {
    switch (party.kind) {
      case 'pod':
        // The API reference meant ipBlocks for cluster-external addresses; CNIs differ on pod
        // IPs (SNAT and Service rewrites happen before or after policy), so pods never match.
        return inBlock(peer.ipBlock, party.ip)
          ? { matches: false, caveat: `ipBlock ${peer.ipBlock.cidr} of ${policy.name} contains ${party.name}'s simulated IP ${party.ip}, but ipBlocks are meant for addresses outside the cluster and whether a CNI applies them to pod traffic varies: not counted` }
          : NO;
      case 'controller':
        return NO;
      default:
        if (!inBlock(peer.ipBlock, party.ip)) return NO;
        return party.invented ? { matches: true, caveat: `${party.ip} is ${party.invented}` } : YES;
    }
  }
  if (party.kind === 'controller') {
    // The controller is some pod in some namespace: a peer admitting every namespace admits it;
    // one naming namespaces admits it only if it runs there.
    if (!peer.namespaceSelector) return NO;
    const everyNamespace = isEmptySelector(peer.namespaceSelector) && isEmptySelector(peer.podSelector ?? EMPTY);
    return everyNamespace ? YES : {
      matches: true, assumed: true,
      caveat: `${party.what} runs outside the manifests: allowed by ${policy.name} if its namespace matches ${selectorText(peer.namespaceSelector)}${peer.podSelector && !isEmptySelector(peer.podSelector) ? ` and its pods match ${selectorText(peer.podSelector)}` : ''}`,
    };
  }
  if (party.kind !== 'pod') return NO;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, scope.namespaceLabels(party.namespace))) return NO;
    return selectorMatches(peer.podSelector ?? EMPTY, party.labels) ? YES : NO;
  }
  return party.namespace === policy.namespace && selectorMatches(peer.podSelector ?? EMPTY, party.labels) ? YES : NO;
}

function isEmptySelector(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

/** The ports a rule's `ports` list allows on a destination pod (SEMANTICS §7: the pod port after
 *  DNAT): numbers and ranges as given, a named port resolved on the pod's container ports by
 *  name and protocol (as kube-proxy and CNIs do). */
export function rulePortSet(ports: readonly PolicyPort[], podPorts: readonly NamedPort[]): PortSet {
  if (ports.length === 0) return ALL_PORTS;
  const entries: { protocol: string; lo: number; hi: number }[] = [];
  for (const p of ports) {
    if (p.port === undefined) entries.push({ protocol: p.protocol, lo: 1, hi: 65535 });
    else if (typeof p.port === 'number') entries.push({ protocol: p.protocol, lo: p.port, hi: p.endPort ?? p.port });
    else {
      for (const c of podPorts) {
        if (c.name === p.port && c.protocol === p.protocol && c.containerPort !== undefined) entries.push({ protocol: p.protocol, lo: c.containerPort, hi: c.containerPort });
      }
    }
  }
  return portSetOf(entries);
}

/** The policies isolating a pod in one direction (SEMANTICS §7). */
export function isolatingPolicies(scope: PolicyScope, direction: 'ingress' | 'egress', pod: PolicyPod): NetworkPolicyInfo[] {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  return scope.policiesIn(pod.namespace).filter((p) => p.policyTypes.includes(type) && selectorMatches(p.podSelector, pod.labels));
}

/** May `pod` send (`egress`) to / receive (`ingress`) from `peer` on `port`? */
export function evaluate(scope: PolicyScope, direction: 'ingress' | 'egress', pod: PolicyPod, peer: Party, port: PortInfo): PolicyVerdict {
  const isolating = isolatingPolicies(scope, direction, pod);
  if (isolating.length === 0) return { allowed: true, isolating, caveats: [] };
  if (peer.kind === 'node' && peer.name === pod.node) {
    return { allowed: true, isolating, caveats: [], note: `traffic between a pod and its own node (${peer.name}) is always allowed${peer.invented ? ' (simulated placement)' : ''}` };
  }
  const caveats: string[] = [];
  let assumed: { policy: NetworkPolicyInfo; rule: number; caveat: string } | undefined;
  for (const policy of isolating) {
    const rules = direction === 'ingress' ? policy.ingress : policy.egress;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      if (!has(rulePortSet(r.ports, port.podPorts), port.protocol, port.port)) continue;
      if (r.peers.length === 0) return { allowed: true, isolating, allowedBy: { policy, rule: i }, caveats: [] };
      for (const p of r.peers) {
        const m = peerMatches(scope, policy, p, peer);
        if (m.matches && !m.assumed) return { allowed: true, isolating, allowedBy: { policy, rule: i }, caveats: m.caveat ? [m.caveat] : [] };
        if (m.matches) assumed ??= { policy, rule: i, caveat: m.caveat! };
        else if (m.caveat) caveats.push(m.caveat);
      }
    }
  }
  if (assumed) return { allowed: true, isolating, allowedBy: { policy: assumed.policy, rule: assumed.rule }, assumption: assumed.caveat, caveats };
  return { allowed: false, isolating, caveats };
}

/** Every port `pod` may send to (`egress`) / receive from (`ingress`) `peer`, for the
 *  connection matrix: the union of the ports of every rule whose peers match. */
export function allowedPorts(scope: PolicyScope, direction: 'ingress' | 'egress', pod: PolicyPod, peer: Party, podPorts: readonly NamedPort[]): PortSet {
  const isolating = isolatingPolicies(scope, direction, pod);
  if (isolating.length === 0) return ALL_PORTS;
  let set = NO_PORTS;
  for (const policy of isolating) {
    for (const r of direction === 'ingress' ? policy.ingress : policy.egress) {
      if (r.peers.length === 0 || r.peers.some((p) => { const m = peerMatches(scope, policy, p, peer); return m.matches && !m.assumed; })) set = union(set, rulePortSet(r.ports, podPorts));
    }
  }
  return set;
}
