// Sets of (protocol, port) as sorted, disjoint, inclusive ranges per protocol: what a set of
// NetworkPolicy rules allows between two pods. `ALL_PORTS` is every port of every protocol.

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export type PortRange = [number, number];
export type PortSet = { readonly [P in Protocol]: readonly PortRange[] };

const FULL: PortRange = [1, 65535];
export const NO_PORTS: PortSet = { TCP: [], UDP: [], SCTP: [] };
export const ALL_PORTS: PortSet = { TCP: [FULL], UDP: [FULL], SCTP: [FULL] };

function normalize(ranges: PortRange[]): PortRange[] {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: PortRange[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function portSetOf(entries: readonly { protocol: string; lo: number; hi: number }[]): PortSet {
  const by: Record<Protocol, PortRange[]> = { TCP: [], UDP: [], SCTP: [] };
  for (const e of entries) if (e.protocol in by) by[e.protocol as Protocol].push([Math.max(1, e.lo), Math.min(65535, e.hi)]);
  return { TCP: normalize(by.TCP), UDP: normalize(by.UDP), SCTP: normalize(by.SCTP) };
}

export function union(a: PortSet, b: PortSet): PortSet {
  if (a === ALL_PORTS || b === NO_PORTS) return a;
  if (b === ALL_PORTS || a === NO_PORTS) return b;
  return {
    TCP: normalize([...a.TCP, ...b.TCP].map((r) => [r[0], r[1]])),
    UDP: normalize([...a.UDP, ...b.UDP].map((r) => [r[0], r[1]])),
    SCTP: normalize([...a.SCTP, ...b.SCTP].map((r) => [r[0], r[1]])),
  };
}

function intersectRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

export function intersect(a: PortSet, b: PortSet): PortSet {
  if (a === ALL_PORTS) return b;
  if (b === ALL_PORTS) return a;
  return { TCP: intersectRanges(a.TCP, b.TCP), UDP: intersectRanges(a.UDP, b.UDP), SCTP: intersectRanges(a.SCTP, b.SCTP) };
}

export function has(set: PortSet, protocol: string, port: number): boolean {
  const ranges = (set as Record<string, readonly PortRange[]>)[protocol];
  return !!ranges && ranges.some(([lo, hi]) => port >= lo && port <= hi);
}

export function isEmpty(set: PortSet): boolean {
  return !set.TCP.length && !set.UDP.length && !set.SCTP.length;
}

export function isAll(set: PortSet): boolean {
  return PROTOCOLS.every((p) => set[p].length === 1 && set[p][0][0] === 1 && set[p][0][1] === 65535);
}

/** Union and intersection for one large computation: equal sets are one object and results
 *  are remembered, so a matrix of a million pairs allocates only its few distinct sets. */
export class PortAlgebra {
  private readonly interned = new Map<string, PortSet>([[keyOf(NO_PORTS), NO_PORTS], [keyOf(ALL_PORTS), ALL_PORTS]]);
  private readonly unions = new Map<PortSet, Map<PortSet, PortSet>>();
  private readonly intersections = new Map<PortSet, Map<PortSet, PortSet>>();

  intern(set: PortSet): PortSet {
    const key = keyOf(set);
    const known = this.interned.get(key);
    if (known) return known;
    this.interned.set(key, set);
    return set;
  }

  union(a: PortSet, b: PortSet): PortSet {
    return this.memo(this.unions, a, b, union);
  }

  intersect(a: PortSet, b: PortSet): PortSet {
    return this.memo(this.intersections, a, b, intersect);
  }

  private memo(table: Map<PortSet, Map<PortSet, PortSet>>, a: PortSet, b: PortSet, op: (a: PortSet, b: PortSet) => PortSet): PortSet {
    let row = table.get(a);
    if (!row) table.set(a, (row = new Map()));
    let r = row.get(b);
    if (!r) row.set(b, (r = this.intern(op(a, b))));
    return r;
  }
}

function keyOf(set: PortSet): string {
  return PROTOCOLS.map((p) => set[p].map(([lo, hi]) => `${lo}-${hi}`).join(',')).join('|');
}
