// Who may talk to whom: for every ordered pair of workloads, and between workloads and the
// outside address ranges that ipBlocks name, the ports NetworkPolicies allow (SEMANTICS §7).
// The same primitives as the simulator's evaluation (isolation, peer matching, rule ports),
// with each rule's matches computed once so a thousand workloads stay fast.
import type { ClusterModel } from '../model';
import type { NetworkPolicyInfo, PolicyRule, PodTemplate } from '../objects';
import { formatIPv4, parseCidr } from '../net';
import { asMap, bool, get, seqItems, str } from '../yamlNodes';
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

/** A Pod's controller, by its `ownerReferences` (`controller: true`; a Node owner — a static
 *  pod — does not count). */
function controllerOf(w: PodTemplate): { kind: string; name: string } | undefined {
  if (w.kind !== 'Pod') return undefined;
  for (const ref of seqItems(get(asMap(get(w.obj.node, 'metadata')), 'ownerReferences'))) {
    const m = asMap(ref);
    const name = str(get(m, 'name'));
    const kind = str(get(m, 'kind'));
    if (!name || bool(get(m, 'controller')) !== true || kind === 'Node') continue;
    return { kind: kind ?? 'Pod', name };
  }
  return undefined;
}

/** The id a workload is reported as (`simulate`'s source spelling). */
export function connectionId(w: PodTemplate): string {
  const owner = controllerOf(w);
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

/** What one rule allows, per end: which ends its peers admit (computed once per rule). */
class RuleIndex {
  private readonly matched = new Map<PolicyRule, Uint8Array>();
  private readonly plainPorts = new Map<PolicyRule, PortSet>();
  private readonly namedPorts = new Map<PolicyRule, Map<End, PortSet>>();
  constructor(private readonly scope: PolicyScope, private readonly ends: readonly End[], private readonly algebra: PortAlgebra) {}

  admits(policy: NetworkPolicyInfo, rule: PolicyRule): Uint8Array {
    let m = this.matched.get(rule);
    if (!m) {
      m = new Uint8Array(this.ends.length);
      for (let i = 0; i < this.ends.length; i++) {
        const party = this.ends[i].party;
        m[i] = rule.peers.length === 0 || rule.peers.some((p) => { const r = peerMatches(this.scope, policy, p, party); return r.matches && !r.assumed; }) ? 1 : 0;
      }
      this.matched.set(rule, m);
    }
    return m;
  }

  /** The rule's ports on a destination (named ports resolve there, so only those vary). */
  ports(rule: PolicyRule, destination: End): PortSet {
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

export interface ConnectionOptions {
  /** Only connections from or to a workload in this namespace. */
  namespace?: string;
  /** Only connections from or to this workload (its `ns/kind/name`). */
  workload?: string;
}

export function connectionsOf(model: ClusterModel, options: ConnectionOptions = {}): ConnectionReport {
  const scope = cachedScope(model);
  const workloads = workloadEnds(model);
  const outside = outsideEnds(scope.all);
  const ends = [...workloads, ...outside];
  const algebra = new PortAlgebra();
  const index = new RuleIndex(scope, ends, algebra);
  const contract = new Map<PortSet, AllowedPorts>();
  const W = workloads.length;
  const focus = (e: End) => (!options.namespace || e.pod?.namespace === options.namespace) && (!options.workload || e.id === options.workload);

  // egress[i][j]: what workload i may send to end j; ingress[j][i]: what workload j accepts from end i.
  const allowedFrom = (direction: 'ingress' | 'egress', self: End, destinationOf: (other: number) => End): PortSet[] | null => {
    const isolating = isolatingPolicies(scope, direction, self.pod!);
    if (!isolating.length) return null; // not isolated: everything
    const acc: PortSet[] = new Array(ends.length).fill(NO_PORTS);
    for (const policy of isolating) {
      for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
        const admits = index.admits(policy, rule);
        for (let j = 0; j < ends.length; j++) if (admits[j]) acc[j] = algebra.union(acc[j], index.ports(rule, destinationOf(j)));
      }
    }
    return acc;
  };
  const ingress = workloads.map((w) => allowedFrom('ingress', w, () => w));
  const connections: Connection[] = [];
  // Entries with equal ports share one `allowed` value (it is only read).
  const push = (from: string, to: string, set: PortSet) => {
    if (isEmpty(set)) return;
    let allowed = contract.get(set);
    if (!allowed) contract.set(set, (allowed = toContract(set)));
    connections.push({ from, to, allowed });
  };
  for (let i = 0; i < W; i++) {
    const src = workloads[i];
    const egress = allowedFrom('egress', src, (j) => ends[j]);
    for (let j = 0; j < W; j++) {
      if (i === j || !(focus(src) || focus(workloads[j]))) continue;
      const out = egress ? egress[j] : ALL_PORTS;
      const inn = ingress[j] ? ingress[j]![i] : ALL_PORTS;
      push(src.id, workloads[j].id, algebra.intersect(out, inn));
    }
    // Outside pieces are cut the same way for every workload (as netpol-analyzer does), not merged.
    if (focus(src)) outside.forEach((o, k) => push(src.id, o.id, egress ? egress[W + k] : ALL_PORTS));
  }
  for (let j = 0; j < W; j++) {
    if (!focus(workloads[j])) continue;
    outside.forEach((o, k) => push(o.id, workloads[j].id, ingress[j] ? ingress[j]![W + k] : ALL_PORTS));
  }
  return { version: 1, connections };
}

function toContract(set: PortSet): AllowedPorts {
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
