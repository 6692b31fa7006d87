// Walking two YAML trees side by side: a rendered object and the source (or patch) that
// wrote it. A path step is a map key or a list item; list items are matched the way
// strategic merge patches match them (by `name`, a port, a path…), else by position.
import { isMap, isScalar, isSeq, Node, Pair } from 'yaml';
import { deref } from '../yamlNodes';

export type Step = { key: string } | { index: number; item: Node };

/** Keys that identify an item of a list, in the order they are tried. */
const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'devicePath', 'ip', 'topologyKey', 'type', 'key', 'path', 'host'];

export function scalarString(node: unknown): string | undefined {
  const n = deref(node);
  if (!isScalar(n)) return undefined;
  return n.value === null || n.value === undefined ? '' : String(n.value);
}

function keyOf(pair: Pair): string | undefined {
  const k = deref(pair.key);
  return isScalar(k) ? String(k.value) : undefined;
}

export function pairIn(node: Node | undefined, key: string): Pair | undefined {
  const n = deref(node);
  if (!isMap(n)) return undefined;
  return (n.items as Pair[]).find((p) => keyOf(p) === key);
}

/** The item of `list` that corresponds to `item` of another version of the list. */
function matchItem(list: Node, step: { index: number; item: Node }): Node | undefined {
  const items = (isSeq(list) ? list.items : []).map((i) => deref(i)).filter((i): i is Node => !!i);
  const target = deref(step.item);
  if (isMap(target)) {
    for (const key of MERGE_KEYS) {
      const want = scalarString(pairIn(target, key)?.value);
      if (want === undefined) continue;
      const found = items.find((i) => scalarString(pairIn(i, key)?.value) === want);
      if (found) return found;
      // A list whose items all have this key but none this value: the item is not there.
      if (items.length && items.every((i) => pairIn(i, key))) return undefined;
    }
  } else if (isScalar(target)) {
    const want = scalarString(target);
    const found = items.find((i) => scalarString(i) === want);
    if (found) return found;
  }
  return items[step.index];
}

export interface Found {
  node?: Node;
  /** The pair whose value `node` is (for a key step). */
  pair?: Pair;
}

/** Follows `path` from `root`; undefined where the path leaves the tree. */
export function follow(root: Node | undefined, path: readonly Step[]): Found | undefined {
  let node = deref(root);
  let pair: Pair | undefined;
  for (const step of path) {
    if (!node) return undefined;
    if ('key' in step) {
      pair = pairIn(node, step.key);
      if (!pair) return undefined;
      node = deref(pair.value) ?? undefined;
    } else {
      if (!isSeq(node)) return undefined;
      pair = undefined;
      node = matchItem(node, step);
    }
  }
  return { node: node ?? undefined, pair };
}

/** A path as a JSON pointer's segments (list items by their rendered position). */
export function pointerOf(path: readonly Step[]): string[] {
  return path.map((s) => ('key' in s ? s.key : String(s.index)));
}

/** Every node of a tree with its path, parents before children (keys of pairs included). */
export function* walk(node: Node | null | undefined, path: Step[] = []): Generator<{ node: Node; path: Step[]; pair?: Pair }> {
  const n = deref(node);
  if (!n) return;
  if (isMap(n)) {
    for (const pair of n.items as Pair[]) {
      const key = keyOf(pair);
      if (key === undefined) continue;
      const value = deref(pair.value);
      const childPath = [...path, { key }];
      if (value) {
        yield { node: value, path: childPath, pair };
        yield* walkChildren(value, childPath);
      } else if (pair.key) yield { node: pair.key as Node, path: childPath, pair };
    }
  } else if (isSeq(n)) yield* walkChildren(n, path);
}

function* walkChildren(n: Node, path: Step[]): Generator<{ node: Node; path: Step[]; pair?: Pair }> {
  if (isMap(n)) yield* walk(n, path);
  else if (isSeq(n)) {
    let index = 0;
    for (const item of n.items) {
      const value = deref(item);
      if (!value) {
        index++;
        continue;
      }
      const childPath = [...path, { index, item: value }];
      yield { node: value, path: childPath };
      yield* walkChildren(value, childPath);
      index++;
    }
  }
}
