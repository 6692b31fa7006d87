// Who may talk to whom: for every ordered pair of workloads, and between workloads and the
// outside address ranges that ipBlocks name, the ports NetworkPolicies allow (SEMANTICS §7).
// The same primitives as the simulator's evaluation (isolation, peer matching, rule ports),
// with each rule's matches computed once so a thousand workloads stay fast.
import type { ClusterModel } from '../model';
import { controllerOf, type NetworkPolicyInfo, type PolicyRule, type PodTemplate } from '../objects';
import { formatIPv4, parseCidr } from '../net';
import { rejectionOf } from './admitted';
import { isolatingPolicies, labelsOfNamespace, NamedPort, Party, peerMatches, PolicyScope, rulePortSet } from './policy';
import { ALL_PORTS, isAll, isEmpty, NO_PORTS, PortAlgebra, PortSet, PROTOCOLS, Protocol } from './portSet';

/** The JSON contract (`version: 1`): a pair with no entry is fully denied. */
export type AllowedPorts = 'all' | { protocol: Protocol; ports: 'all' | [number, number][] }[];
export interface Connection {
  from: string;
  to: string;
  allowed: AllowedPorts;
}
export interface ConnectionReport {
  version: 1;
  connections: Connection[];
}

/** One end of a connection: a workload (`ns/kind/name`) or an outside range (`A.B.C.D-E.F.G.H`). */
interface End {
  id: string;
  party: Party;
  /** Workloads only. */
  pod?: { namespace: string; labels: Record<string, string> };
  ports: readonly NamedPort[];
}

/** The id a workload is reported as (`simulate`'s source spelling). */
export function connectionId(w: PodTemplate): string {
  const owner = controllerOf(w.obj);
  return owner ? `${w.namespace}/${owner.kind.toLowerCase()}/${owner.name}` : `${w.namespace}/${w.kind.toLowerCase()}/${w.name}`;
}

/** Workloads whose pods exist: declared in the manifests and admitted by the API server. */
function workloadEnds(model: ClusterModel): End[] {
  const byId = new Map<string, End>();
  for (const v of model.views()) {
    for (const w of v.workloads) {
      if (w.createdBy || rejectionOf(model, w.obj)) continue;
      const id = connectionId(w);
      if (byId.has(id)) continue; // pods of one controller share their template
      byId.set(id, { id, party: { kind: 'pod', namespace: w.namespace, labels: w.labels, name: id }, pod: { namespace: w.namespace, labels: w.labels }, ports: w.ports });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** IPv4 space cut at every ipBlock `cidr` and `except` edge: each piece is treated alike by
 *  every policy. */
function outsideEnds(policies: readonly NetworkPolicyInfo[]): End[] {
  const cuts = new Set<number>([0, 2 ** 32]);
  for (const p of policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers) {
        if (!peer.ipBlock) continue;
        for (const c of [peer.ipBlock.cidr, ...peer.ipBlock.except]) {
          const cidr = parseCidr(c);
          if (cidr) { cuts.add(cidr.base); cuts.add(cidr.base + cidr.size); }
        }
      }
    }
  }
  const edges = [...cuts].sort((a, b) => a - b);
  return edges.slice(0, -1).map((lo, i) => ({
    id: `${formatIPv4(lo)}-${formatIPv4(edges[i + 1] - 1)}`,
    party: { kind: 'ip', ip: formatIPv4(lo), what: 'an outside address' } as Party,
    ports: [],
  }));
}

/** The policies in effect: those the API server admits, looked up once per namespace. */
function cachedScope(model: ClusterModel): PolicyScope & { all: NetworkPolicyInfo[] } {
  const policies = new Map<string, NetworkPolicyInfo[]>();
  const labels = new Map<string, Record<string, string>>();
  const cluster = model.clusterScoped();
  for (const v of model.views()) policies.set(v.name, v.policies.filter((p) => !rejectionOf(model, p.obj)));
  return {
    all: [...policies.values()].flat(),
    policiesIn: (ns) => policies.get(ns) ?? [],
    namespaceLabels: (ns) => {
      let l = labels.get(ns);
      if (!l) labels.set(ns, (l = labelsOfNamespace(cluster, ns)));
      return l;
    },
  };
}

/** The matrix of one model version, evaluated lazily and kept: which ends each rule admits
 *  (per end, on first need), each workload's isolating policies, and the port sets, interned. */
class PolicyMatrix {
  readonly workloads: End[];
  readonly outside: End[];
  readonly ends: End[];
  private readonly scope: ReturnType<typeof cachedScope>;
  private readonly algebra = new PortAlgebra();
  /** Per rule and end: 0 not yet known, 1 no, 2 yes. */
  private readonly admitted = new Map<PolicyRule, Uint8Array>();
  private readonly isolation = new Map<End, { ingress: NetworkPolicyInfo[]; egress: NetworkPolicyInfo[] }>();
  private readonly plainPorts = new Map<PolicyRule, PortSet>();
  private readonly namedPorts = new Map<PolicyRule, Map<End, PortSet>>();
  private readonly index = new Map<End, number>();
  private readonly shared = { ingress: new Map<NetworkPolicyInfo[], Map<End, Map<string, PortSet>>>(), egress: new Map<NetworkPolicyInfo[], Map<End, Map<string, PortSet>>>() };
  private readonly policySets = new Map<string, NetworkPolicyInfo[]>();
  private readonly policyIds = new Map<NetworkPolicyInfo, number>();
  private readonly layouts = new Map<End, string>();

  constructor(model: ClusterModel) {
    this.scope = cachedScope(model);
    this.workloads = workloadEnds(model);
    this.outside = outsideEnds(this.scope.all);
    this.ends = [...this.workloads, ...this.outside];
    this.ends.forEach((e, i) => this.index.set(e, i));
  }

  /** What `from` may open to `to`: egress of the one, ingress of the other (outside ends have neither). */
  between(from: End, to: End): PortSet {
    const out = from.pod ? this.allowedBy('egress', from, to) : ALL_PORTS;
    const inn = to.pod ? this.allowedBy('ingress', to, from) : ALL_PORTS;
    return this.algebra.intersect(out, inn);
  }

  /** The union of the ports of every isolating rule of `self` whose peers admit `other`.
   *  Workloads isolated by the same policies share the answer for a given peer and
   *  destination ports, so it is kept per (policy set, peer, destination port layout). */
  private allowedBy(direction: 'ingress' | 'egress', self: End, other: End): PortSet {
    const policies = this.isolating(self)[direction];
    if (!policies.length) return ALL_PORTS;
    const destination = direction === 'ingress' ? self : other;
    const shared = this.shared[direction];
    let byOther = shared.get(policies);
    if (!byOther) shared.set(policies, (byOther = new Map()));
    let byPorts = byOther.get(other);
    if (!byPorts) byOther.set(other, (byPorts = new Map()));
    const layout = this.layoutOf(destination);
    let set = byPorts.get(layout);
    if (!set) byPorts.set(layout, (set = this.computeAllowed(direction, policies, other, destination)));
    return set;
  }

  private computeAllowed(direction: 'ingress' | 'egress', policies: NetworkPolicyInfo[], other: End, destination: End): PortSet {
    let set = NO_PORTS;
    for (const policy of policies) {
      for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
        if (this.admits(policy, rule, other)) set = this.algebra.union(set, this.ports(rule, destination));
      }
    }
    return set;
  }

  private isolating(e: End): { ingress: NetworkPolicyInfo[]; egress: NetworkPolicyInfo[] } {
    let i = this.isolation.get(e);
    if (!i) this.isolation.set(e, (i = { ingress: this.policySet(isolatingPolicies(this.scope, 'ingress', e.pod!)), egress: this.policySet(isolatingPolicies(this.scope, 'egress', e.pod!)) }));
    return i;
  }

  /** Equal lists of policies as one array (the key of the shared answers). */
  private policySet(list: NetworkPolicyInfo[]): NetworkPolicyInfo[] {
    if (!list.length) return list;
    const key = list.map((p) => this.policyIds.get(p) ?? this.policyIds.set(p, this.policyIds.size).get(p)!).join(',');
    const known = this.policySets.get(key);
    if (known) return known;
    this.policySets.set(key, list);
    return list;
  }

  /** The container ports as named policy ports see them: ends with equal layouts share answers. */
  private layoutOf(e: End): string {
    let l = this.layouts.get(e);
    if (l === undefined) this.layouts.set(e, (l = e.ports.filter((p) => p.name).map((p) => `${p.name}/${p.protocol}/${p.containerPort}`).join(',')));
    return l;
  }

  private admits(policy: NetworkPolicyInfo, rule: PolicyRule, e: End): boolean {
    if (rule.peers.length === 0) return true;
    let known = this.admitted.get(rule);
    if (!known) this.admitted.set(rule, (known = new Uint8Array(this.ends.length)));
    const i = this.index.get(e)!;
    if (!known[i]) {
      known[i] = rule.peers.some((p) => { const m = peerMatches(this.scope, policy, p, e.party); return m.matches && !m.assumed; }) ? 2 : 1;
    }
    return known[i] === 2;
  }

  /** The rule's ports on a destination (named ports resolve there, so only those vary). */
  private ports(rule: PolicyRule, destination: End): PortSet {
    if (rule.ports.some((p) => typeof p.port === 'string')) {
      let byEnd = this.namedPorts.get(rule);
      if (!byEnd) this.namedPorts.set(rule, (byEnd = new Map()));
      let n = byEnd.get(destination);
      if (!n) byEnd.set(destination, (n = this.algebra.intern(rulePortSet(rule.ports, destination.ports))));
      return n;
    }
    let s = this.plainPorts.get(rule);
    if (!s) this.plainPorts.set(rule, (s = this.algebra.intern(rulePortSet(rule.ports, []))));
    return s;
  }
}

// One matrix per model version: hovers and requests between edits reuse it.
const matrices = new WeakMap<ClusterModel, { version: number; settings: object; matrix: PolicyMatrix }>();
function matrixOf(model: ClusterModel): PolicyMatrix {
  const kept = matrices.get(model);
  if (kept && kept.version === model.version && kept.settings === model.settings) return kept.matrix;
  const matrix = new PolicyMatrix(model);
  matrices.set(model, { version: model.version, settings: model.settings, matrix });
  return matrix;
}

export interface ConnectionOptions {
  /** Only connections from or to a workload in this namespace. */
  namespace?: string;
  /** Only connections from or to this workload (its `ns/kind/name`). */
  workload?: string;
}

export function connectionsOf(model: ClusterModel, options: ConnectionOptions = {}): ConnectionReport {
  const m = matrixOf(model);
  const focus = (e: End) => (!options.namespace || e.pod?.namespace === options.namespace) && (!options.workload || e.id === options.workload);
  const contract = new Map<PortSet, AllowedPorts>();
  const connections: Connection[] = [];
  // Entries with equal ports share one `allowed` value (it is only read).
  const push = (from: End, to: End) => {
    const set = m.between(from, to);
    if (isEmpty(set)) return;
    let allowed = contract.get(set);
    if (!allowed) contract.set(set, (allowed = toContract(set)));
    connections.push({ from: from.id, to: to.id, allowed });
  };
  const focused = m.workloads.filter(focus);
  const inFocus = new Set(focused);
  for (const src of m.workloads) {
    const srcFocus = inFocus.has(src);
    for (const dst of srcFocus ? m.workloads : focused) if (dst !== src) push(src, dst);
    // The outside is cut the same way for every workload (as netpol-analyzer reports it).
    if (srcFocus) for (const o of m.outside) push(src, o);
  }
  for (const o of m.outside) for (const dst of focused) push(o, dst);
  return { version: 1, connections };
}

/** One workload's row and column of the matrix (for its hover): counts, and the first few
 *  peers of each list, without building the whole report. */
export interface WorkloadReachSummary extends WorkloadReach {
  reachesCount: number;
  reachedByCount: number;
  /** The workloads compared with: the unit's, or only the namespace's (`namespaceOnly`). */
  others: number;
  namespaceOnly: boolean;
}

/** Above this many workloads a hover compares a workload with its own namespace only (the
 *  whole row and column would take tens of milliseconds; `ksi connections` has them). */
export const HOVER_REACH_LIMIT = 500;

export function reachOfWorkload(model: ClusterModel, id: string, listed = 6): WorkloadReachSummary | undefined {
  const m = matrixOf(model);
  const self = m.workloads.find((w) => w.id === id);
  if (!self) return undefined;
  const namespaceOnly = m.workloads.length > HOVER_REACH_LIMIT;
  const peers = namespaceOnly ? m.workloads.filter((w) => w.pod!.namespace === self.pod!.namespace) : m.workloads;
  const out: WorkloadReachSummary = {
    id, reaches: [], reachedBy: [], fromOutside: [], toOutside: [], reachesCount: 0, reachedByCount: 0, others: peers.length - 1, namespaceOnly,
  };
  for (const w of peers) {
    if (w === self) continue;
    const to = m.between(self, w);
    if (!isEmpty(to) && out.reachesCount++ < listed) out.reaches.push({ from: id, to: w.id, allowed: toContract(to) });
    const from = m.between(w, self);
    if (!isEmpty(from) && out.reachedByCount++ < listed) out.reachedBy.push({ from: w.id, to: id, allowed: toContract(from) });
  }
  for (const o of m.outside) {
    const to = m.between(self, o);
    if (!isEmpty(to)) out.toOutside.push({ from: id, to: o.id, allowed: toContract(to) });
    const from = m.between(o, self);
    if (!isEmpty(from)) out.fromOutside.push({ from: o.id, to: id, allowed: toContract(from) });
  }
  return out;
}

/** A port set as the JSON contract spells it. */
export function toContract(set: PortSet): AllowedPorts {
  if (isAll(set)) return 'all';
  return PROTOCOLS.filter((p) => set[p].length).map((protocol) => ({
    protocol,
    ports: set[protocol].length === 1 && set[protocol][0][0] === 1 && set[protocol][0][1] === 65535 ? 'all' as const : set[protocol].map(([lo, hi]) => [lo, hi] as [number, number]),
  }));
}

/** `TCP 80, 8000-8080; UDP 53` or `all ports`, for text output and hovers. */
export function allowedText(a: AllowedPorts): string {
  if (a === 'all') return 'all ports';
  return a.map((p) => `${p.protocol} ${p.ports === 'all' ? 'all' : p.ports.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(', ')}`).join('; ');
}

export interface WorkloadReach {
  id: string;
  reaches: Connection[];
  reachedBy: Connection[];
  fromOutside: Connection[];
  toOutside: Connection[];
}

/** Per workload: whom it reaches, who reaches it, and the outside in both directions. */
export function reachOf(report: ConnectionReport): WorkloadReach[] {
  const isRange = (id: string) => /^\d+\.\d+\.\d+\.\d+-/.test(id);
  const by = new Map<string, WorkloadReach>();
  const entry = (id: string) => {
    let r = by.get(id);
    if (!r) by.set(id, (r = { id, reaches: [], reachedBy: [], fromOutside: [], toOutside: [] }));
    return r;
  };
  for (const c of report.connections) {
    if (isRange(c.from)) entry(c.to).fromOutside.push(c);
    else if (isRange(c.to)) entry(c.from).toOutside.push(c);
    else { entry(c.from).reaches.push(c); entry(c.to).reachedBy.push(c); }
  }
  return [...by.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** "reachable from outside on TCP 8080" (the union over outside ranges, with how many). */
export function outsideText(list: Connection[], direction: 'from' | 'to'): string {
  if (!list.length) return direction === 'from' ? 'not reachable from outside' : 'reaches nothing outside';
  const range = (c: Connection) => (direction === 'from' ? c.from : c.to);
  const texts = new Set(list.map((c) => allowedText(c.allowed)));
  if (texts.size === 1 && coversEverything(list.map(range))) {
    return `${direction === 'from' ? 'reachable from anywhere outside' : 'reaches anywhere outside'} on ${[...texts][0]}`;
  }
  const ranges = list.map((c) => `${range(c)} (${allowedText(c.allowed)})`);
  return `${direction === 'from' ? 'reachable from outside' : 'reaches outside'}: ${ranges.slice(0, 4).join(', ')}${ranges.length > 4 ? `, … ${ranges.length - 4} more ranges` : ''}`;
}

/** Whether contiguous `A-B` ranges cover all of IPv4. */
function coversEverything(ranges: string[]): boolean {
  const spans = ranges.map((r) => r.split('-').map((ip) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0))).sort((a, b) => a[0] - b[0]);
  let next = 0;
  for (const [lo, hi] of spans) {
    if (lo !== next) return false;
    next = hi + 1;
  }
  return next === 2 ** 32;
}
