// Which object, and which path inside it, a cursor position is on.
import { isMap, isPair, isScalar, isSeq, Node, Pair, YAMLMap } from 'yaml';
import type { ClusterModel } from '../model';
import type { K8sObject } from '../parse';
import type { Position } from '../types';
import { deref, keyString } from '../yamlNodes';

export type PathItem = string | number;

export interface Cursor {
  model: ClusterModel;
  obj: K8sObject;
  offset: number;
  /** Keys and list indexes from the object root to the node under the cursor. */
  path: PathItem[];
  /** The node under the cursor (a scalar, or the innermost collection). */
  node?: Node;
  /** True when the cursor is on a map key (the last path item is that key). */
  onKey: boolean;
  /** The pair whose key or value holds the cursor, and the map holding that pair. */
  pair?: Pair;
  map?: YAMLMap;
}

function contains(node: Node | undefined, offset: number): boolean {
  const r = node?.range;
  return !!r && offset >= r[0] && offset <= r[1];
}

export function locate(model: ClusterModel, uri: string, pos: Position): Cursor | undefined {
  const file = model.file(uri);
  if (!file) return undefined;
  const offset = file.src.offsetAt(pos);
  // List items nest inside the List document; the innermost object wins.
  const candidates = file.objects.filter((o) => offset >= o.range[0] && offset <= o.range[2]);
  const obj = candidates.sort((a, b) => b.range[0] - a.range[0])[0];
  if (!obj) return undefined;
  const cursor: Cursor = { model, obj, offset, path: [], node: obj.node, onKey: false };
  let current: Node | undefined = obj.node;
  for (let depth = 0; depth < 100 && current; depth++) {
    if (isMap(current)) {
      let next: Node | undefined;
      for (const item of current.items) {
        if (!isPair(item)) continue;
        const key = item.key as Node | undefined;
        const k = keyString(item);
        if (k === undefined) continue;
        if (contains(key, offset)) {
          Object.assign(cursor, { path: [...cursor.path, k], node: key, onKey: true, pair: item, map: current });
          return cursor;
        }
        const value = deref(item.value);
        const keyEnd = key?.range?.[1] ?? -1;
        const valueEnd = value?.range?.[1] ?? keyEnd;
        // Between `key:` and the end of its value (an empty value counts up to the line end).
        if (offset > keyEnd && (offset <= valueEnd || (!value?.range && sameLine(obj, keyEnd, offset)))) {
          Object.assign(cursor, { path: [...cursor.path, k], node: value, onKey: false, pair: item, map: current });
          next = value;
          break;
        }
      }
      if (!next || next === current) return cursor;
      current = next;
      continue;
    }
    if (isSeq(current)) {
      const index = current.items.findIndex((it) => contains(deref(it), offset));
      if (index < 0) return cursor;
      cursor.path = [...cursor.path, index];
      cursor.node = deref(current.items[index]);
      cursor.pair = undefined;
      current = cursor.node;
      continue;
    }
    return cursor; // scalar
  }
  return cursor;
}

function sameLine(obj: K8sObject, a: number, b: number): boolean {
  return !obj.src.text.slice(a, b).includes('\n');
}

/** Does the path match a pattern? `*` matches any one item, `#` any list index. */
export function pathIs(path: PathItem[], ...pattern: string[]): boolean {
  if (path.length !== pattern.length) return false;
  return pattern.every((p, i) => p === '*' || (p === '#' ? typeof path[i] === 'number' : path[i] === p));
}

export function pathStarts(path: PathItem[], ...pattern: string[]): boolean {
  return path.length >= pattern.length && pathIs(path.slice(0, pattern.length), ...pattern);
}

export function scalarValue(node: Node | undefined): string | number | boolean | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean')
    ? node.value : undefined;
}
