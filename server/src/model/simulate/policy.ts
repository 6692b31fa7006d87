// NetworkPolicy evaluation for one connection (SEMANTICS §7): isolation, peers, ports.
import type { ClusterModel } from '../model';
import { cidrContains, formatIPv4, parseCidr, parseIPv4 } from '../net';
import { LabelSelector, namespaceLabels, NetworkPolicyInfo, PolicyPeer, PolicyPort, selectorMatches } from '../objects';
import type { K8sObject } from '../parse';
import type { Settings } from '../types';

/** What a policy sees of one end of a connection. */
export type Party =
  | { kind: 'pod'; namespace: string; labels: Record<string, string>; ip?: string; name: string }
  | { kind: 'ip'; ip?: string; what: string }
  /** Traffic to and from a pod's own node is always allowed. */
  | { kind: 'node'; ip: string; name: string };

export interface PortInfo {
  port: number;
  /** The container port's name on the destination pod, for named policy ports. */
  name?: string;
  protocol: string;
}

export interface PolicyVerdict {
  allowed: boolean;
  /** Policies that isolate the pod in this direction (empty: not isolated). */
  isolating: NetworkPolicyInfo[];
  /** The policy and rule index that allowed it. */
  allowedBy?: { policy: NetworkPolicyInfo; rule: number };
  note?: string;
}

/** What evaluation needs to know of the cluster: the policies of a namespace and the labels
 *  of namespaces (for namespaceSelector peers). The simulator and the checks both use it. */
export interface PolicyScope {
  policiesIn(namespace: string): readonly NetworkPolicyInfo[];
  namespaceLabels(namespace: string): Record<string, string>;
}

export function policyScopeOf(model: ClusterModel): PolicyScope {
  return {
    policiesIn: (ns) => model.view(ns).policies,
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

/** May a pod send a DNS query (UDP 53) to the cluster DNS pods (CoreDNS in kube-system)? */
export function dnsEgress(scope: PolicyScope, pod: { namespace: string; labels: Record<string, string> }, settings: Settings): PolicyVerdict {
  const coredns: Party = { kind: 'pod', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: dnsServiceIPOf(settings), name: 'coredns' };
  return evaluate(scope, 'egress', pod, coredns, { port: 53, protocol: 'UDP', name: 'dns' });
}

const EMPTY: LabelSelector = { matchLabels: {}, matchExpressions: [] };

function peerMatches(scope: PolicyScope, policy: NetworkPolicyInfo, peer: PolicyPeer, party: Party): boolean {
  if (peer.ipBlock) {
    const n = party.ip ? parseIPv4(party.ip) : undefined;
    const cidr = parseCidr(peer.ipBlock.cidr);
    if (n === undefined || !cidr || !cidrContains(cidr, n)) return false;
    return !peer.ipBlock.except.some((e) => {
      const ex = parseCidr(e);
      return ex && cidrContains(ex, n);
    });
  }
  if (party.kind !== 'pod') return false;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, scope.namespaceLabels(party.namespace))) return false;
    return selectorMatches(peer.podSelector ?? EMPTY, party.labels);
  }
  return party.namespace === policy.namespace && selectorMatches(peer.podSelector ?? EMPTY, party.labels);
}

function portMatches(ports: PolicyPort[], port: PortInfo): boolean {
  if (ports.length === 0) return true;
  return ports.some((p) => p.protocol === port.protocol && (
    p.port === undefined ||
    (typeof p.port === 'number' && (p.endPort !== undefined ? port.port >= p.port && port.port <= p.endPort : port.port === p.port)) ||
    (typeof p.port === 'string' && p.port === port.name)));
}

/** May `pod` send (`egress`) to / receive (`ingress`) from `peer` on `port`? */
export function evaluate(
  scope: PolicyScope,
  direction: 'ingress' | 'egress',
  pod: { namespace: string; labels: Record<string, string> },
  peer: Party,
  port: PortInfo,
): PolicyVerdict {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const isolating = scope.policiesIn(pod.namespace).filter((p) => p.policyTypes.includes(type) && selectorMatches(p.podSelector, pod.labels));
  if (isolating.length === 0) return { allowed: true, isolating };
  if (peer.kind === 'node') return { allowed: true, isolating, note: `traffic between a pod and its own node (${peer.name}) is always allowed` };
  for (const policy of isolating) {
    const rules = direction === 'ingress' ? policy.ingress : policy.egress;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      const peerOk = r.peers.length === 0 || r.peers.some((p) => peerMatches(scope, policy, p, peer));
      if (peerOk && portMatches(r.ports, port)) return { allowed: true, isolating, allowedBy: { policy, rule: i } };
    }
  }
  return { allowed: false, isolating };
}
