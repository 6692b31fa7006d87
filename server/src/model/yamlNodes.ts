// Small helpers to read `yaml` package nodes without converting whole documents to JS
// (conversion would expand aliases and lose source ranges).
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Position, Range } from './types';

/** Alias → anchored node, filled per document at parse time so lookups need no document. */
const aliasTargets = new WeakMap<object, Node>();

export function registerAlias(alias: object, target: Node): void {
  aliasTargets.set(alias, target);
}

export function deref(node: unknown): Node | undefined {
  let n = node as Node | undefined;
  // Alias chains are short; the bound guards against pathological self-references.
  for (let i = 0; i < 8 && n && isAlias(n); i++) n = aliasTargets.get(n);
  return n && !isAlias(n) ? n : undefined;
}

export function asMap(node: unknown): YAMLMap | undefined {
  const n = deref(node);
  return isMap(n) ? n : undefined;
}

export function asSeq(node: unknown): YAMLSeq | undefined {
  const n = deref(node);
  return isSeq(n) ? n : undefined;
}

export function asScalar(node: unknown): Scalar | undefined {
  const n = deref(node);
  return isScalar(n) ? n : undefined;
}

export function keyString(pair: Pair): string | undefined {
  const k = deref(pair.key);
  if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean')) {
    return String(k.value);
  }
  return undefined;
}

function hasMergeKey(map: YAMLMap): boolean {
  for (const item of map.items) if (isPair(item) && keyString(item) === '<<') return true;
  return false;
}

/** The pairs of a map, with YAML 1.1 merge keys (`<<: *base`) flattened in, own keys first.
 *  Read-only: without merge keys this is the map's own item list. */
export function pairsOf(map: YAMLMap | undefined): readonly Pair[] {
  if (!map) return [];
  if (!hasMergeKey(map)) return map.items as Pair[];
  const own: Pair[] = [];
  const merged: Pair[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (keyString(item) === '<<' && item.value) {
      const sources = asSeq(item.value)?.items ?? [item.value];
      for (const src of sources) {
        const m = asMap(src);
        if (m) merged.push(...pairsOf(m));
      }
      continue;
    }
    own.push(item);
  }
  const seen = new Set(own.map(keyString));
  for (const p of merged) {
    const k = keyString(p);
    if (!seen.has(k)) {
      seen.add(k);
      own.push(p);
    }
  }
  return own;
}

export function getPair(map: YAMLMap | undefined, key: string): Pair | undefined {
  if (!map) return undefined;
  let merges = false;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = keyString(item);
    if (k === key) return item;
    if (k === '<<') merges = true;
  }
  return merges ? pairsOf(map).find((p) => keyString(p) === key) : undefined;
}

export function get(map: YAMLMap | undefined, key: string): Node | undefined {
  const p = getPair(map, key);
  return p ? deref(p.value) : undefined;
}

/** Follow a path of keys through nested maps. */
export function getIn(map: YAMLMap | undefined, ...keys: string[]): Node | undefined {
  let cur: Node | undefined = map;
  for (const k of keys) {
    const m = asMap(cur);
    if (!m) return undefined;
    cur = get(m, k);
  }
  return cur;
}

export function str(node: unknown): string | undefined {
  const s = asScalar(node);
  return s && typeof s.value === 'string' ? s.value : undefined;
}

/** A scalar rendered as text whatever its YAML type (for messages and label values). */
export function scalarText(node: unknown): string | undefined {
  const s = asScalar(node);
  if (!s || s.value === null || s.value === undefined) return undefined;
  if (typeof s.value === 'object') return s.source ?? undefined;
  return String(s.value);
}

export function int(node: unknown): number | undefined {
  const s = asScalar(node);
  return s && typeof s.value === 'number' && Number.isInteger(s.value) ? s.value : undefined;
}

export function bool(node: unknown): boolean | undefined {
  const s = asScalar(node);
  return s && typeof s.value === 'boolean' ? s.value : undefined;
}

export function isNullNode(node: unknown): boolean {
  const n = deref(node);
  if (!n) return true;
  return isScalar(n) && (n.value === null || n.value === undefined);
}

/** A map of string → string (labels, selectors); non-string values are skipped here and
 *  reported by the schema check. */
export function stringMap(node: unknown): Record<string, string> | undefined {
  const m = asMap(node);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairsOf(m)) {
    const k = keyString(p);
    const v = asScalar(p.value);
    if (k === undefined || !v) continue;
    if (typeof v.value === 'string') out[k] = v.value;
  }
  return out;
}

export function seqItems(node: unknown): Node[] {
  const s = asSeq(node);
  if (!s) return [];
  const out: Node[] = [];
  for (const item of s.items) {
    const n = deref(item);
    if (n) out.push(n);
  }
  return out;
}

/** Where a value was written: the range of the node it was read from. Views keep spans, not
 *  nodes, so a file that keeps no nodes (\`compactObjects\`) frees them. */
export interface Span {
  readonly range: [number, number, number];
}

export function spanOf(node: unknown): Span | undefined {
  const r = (node as Node | null | undefined)?.range;
  return r ? { range: r } : undefined;
}

/** The node a span was read from, found again under \`root\` (by its range: the object's own
 *  node, or the same text read again). For checks that need the node itself. */
export function nodeAt(root: Node | undefined, span: Span | undefined): Node | undefined {
  if (!span) return undefined;
  const [start, valueEnd, end] = span.range;
  let cur: unknown = root;
  while (cur) {
    const r = (cur as Node).range;
    if (r && (r === span.range || (r[0] === start && r[1] === valueEnd && r[2] === end))) return cur as Node;
    if (!isMap(cur) && !isSeq(cur)) return undefined;
    let next: unknown;
    for (const item of (cur as YAMLMap | YAMLSeq).items as unknown[]) {
      for (const c of isPair(item) ? [item.key, item.value] : [item]) {
        const cr = (c as Node | null)?.range;
        if (cr && cr[0] <= start && end <= cr[2]) {
          next = c;
          break;
        }
      }
      if (next) break;
    }
    cur = next;
  }
  return undefined;
}

export class SourceText {
  readonly lineCounter = new LineCounter();
  constructor(readonly uri: string, readonly text: string) {}

  /** A text whose positions are known without parsing it (its line starts recorded). */
  static of(uri: string, text: string): SourceText {
    const src = new SourceText(uri, text);
    src.lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) src.lineCounter.addNewLine(i + 1);
    return src;
  }

  position(offset: number): Position {
    const p = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line - 1, character: p.col - 1 };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** Range of a node's value, without trailing comments or the line break that ends a
   *  block collection (so a replacement keeps the next line intact). */
  nodeRange(node: unknown): Range {
    const n = node as Node | undefined;
    const r = n?.range;
    if (!r) return this.range(0, 0);
    let end = r[1];
    while (end > r[0] && /\s/.test(this.text[end - 1])) end--;
    return this.range(r[0], end);
  }

  /** Range of the key of a pair; falls back to the value. */
  keyRange(pair: Pair | undefined): Range {
    if (!pair) return this.range(0, 0);
    const k = pair.key as Node | undefined;
    return k?.range ? this.range(k.range[0], k.range[1]) : this.nodeRange(pair.value);
  }

  offsetAt(pos: Position): number {
    const starts = this.lineCounter.lineStarts;
    if (pos.line < 0) return 0;
    if (pos.line >= starts.length) return this.text.length;
    const lineEnd = pos.line + 1 < starts.length ? starts[pos.line + 1] : this.text.length;
    return Math.min(starts[pos.line] + Math.max(0, pos.character), lineEnd);
  }
}
