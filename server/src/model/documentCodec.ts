// Parsed YAML documents as flat arrays, so a worker thread can parse files for the model:
// `yaml` nodes lose their classes when copied between threads, and copying the parser's
// output object by object costs about as much as parsing again. Rebuilding nodes from these
// arrays costs a quarter of a parse.
//
// Only plain documents are encoded: maps, lists and scalars (strings, numbers, booleans,
// nulls) without syntax errors, anchors, aliases or tags. Anything else makes `encode`
// return undefined and the file is parsed where it is needed. Rebuilt nodes carry what the
// model reads (values, scalar types, formats and sources, ranges, flow style); comments and
// the schema, which only printing YAML back needs, are left out.
import { isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { YamlDoc } from './parse';

export interface EncodedDocuments {
  ops: Int32Array;
  strings: string[];
  numbers: Float64Array;
  documents: number;
}

const MAP = 0;
const SEQ = 1;
const SCALAR = 2;
const NONE = 3;

const SCALAR_TYPES = [undefined, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const;
const FORMATS = [undefined, 'BIN', 'HEX', 'OCT', 'EXP', 'TIME'] as const;
const STRING = 0;
const NUMBER = 1;
const TRUE = 2;
const FALSE = 3;
const NULL = 4;
/** Where a string comes from: the source text at the node's range, the same without its
 *  quotes, or (0 and up) the list of strings. */
const TEXT_SLICE = -1;
const QUOTED_SLICE = -2;

class Unsupported extends Error {}

export function encodeDocuments(text: string, docs: readonly YamlDoc[]): EncodedDocuments | undefined {
  const ops: number[] = [];
  const strings: string[] = [];
  const numbers: number[] = [];
  const stringRef = (s: unknown, start: number, end: number): number => {
    if (typeof s !== 'string') throw new Unsupported();
    if (end - start === s.length && text.startsWith(s, start)) return TEXT_SLICE;
    if (end - start === s.length + 2 && text.startsWith(s, start + 1)) return QUOTED_SLICE;
    strings.push(s);
    return strings.length - 1;
  };
  const node = (raw: unknown): void => {
    if (raw === null || raw === undefined) {
      ops.push(NONE);
      return;
    }
    const n = raw as Node;
    if (n.anchor !== undefined || n.tag !== undefined) throw new Unsupported();
    const [start, valueEnd, end] = n.range!;
    if (isMap(n) || isSeq(n)) {
      ops.push(isMap(n) ? MAP : SEQ, n.flow ? 1 : 0, n.items.length, start, valueEnd, end);
      for (const item of n.items) {
        if (isMap(n)) {
          if (!isPair(item)) throw new Unsupported();
          node(item.key);
          node(item.value);
        } else node(item);
      }
      return;
    }
    if (!isScalar(n)) throw new Unsupported();
    const type = SCALAR_TYPES.indexOf(n.type as (typeof SCALAR_TYPES)[number]);
    const format = FORMATS.indexOf(n.format as (typeof FORMATS)[number]);
    if (type < 0 || format < 0 || n.minFractionDigits !== undefined) throw new Unsupported();
    const v = n.value;
    let kind: number;
    let valueRef = 0;
    if (typeof v === 'string') {
      // A string scalar's source is its value (the text after unquoting and folding).
      if (n.source !== v) throw new Unsupported();
      kind = STRING;
      valueRef = stringRef(v, start, valueEnd);
    } else if (typeof v === 'number') {
      kind = NUMBER;
      valueRef = numbers.push(v) - 1;
    } else if (typeof v === 'boolean') kind = v ? TRUE : FALSE;
    else if (v === null) kind = NULL;
    else throw new Unsupported();
    const sourceRef = kind === STRING ? valueRef : stringRef(n.source, start, valueEnd);
    ops.push(SCALAR, type | (format << 4) | (kind << 8), start, valueEnd, end, valueRef, sourceRef);
  };
  try {
    for (const doc of docs) {
      if (doc.errors.length > 0) return undefined;
      ops.push(doc.range[0], doc.range[1], doc.range[2]);
      node(doc.contents);
    }
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return { ops: Int32Array.from(ops), strings, numbers: Float64Array.from(numbers), documents: docs.length };
}

export function decodeDocuments(text: string, encoded: EncodedDocuments): YamlDoc[] {
  const { ops, strings, numbers } = encoded;
  let i = 0;
  const string = (ref: number, start: number, end: number): string =>
    ref === TEXT_SLICE ? text.slice(start, end) : ref === QUOTED_SLICE ? text.slice(start + 1, end - 1) : strings[ref];
  const node = (): Node | null => {
    const op = ops[i++];
    if (op === NONE) return null;
    if (op === MAP || op === SEQ) {
      const flow = ops[i++] === 1;
      const count = ops[i++];
      const collection = op === MAP ? new YAMLMap() : new YAMLSeq();
      collection.range = [ops[i++], ops[i++], ops[i++]];
      if (flow) collection.flow = true;
      const items = collection.items as unknown[];
      for (let k = 0; k < count; k++) {
        if (op === MAP) {
          const key = node();
          items.push(new Pair(key, node()));
        } else items.push(node());
      }
      return collection;
    }
    const bits = ops[i++];
    const start = ops[i++];
    const valueEnd = ops[i++];
    const end = ops[i++];
    const valueRef = ops[i++];
    const sourceRef = ops[i++];
    const kind = bits >> 8;
    const value = kind === STRING ? string(valueRef, start, valueEnd)
      : kind === NUMBER ? numbers[valueRef] : kind === TRUE ? true : kind === FALSE ? false : null;
    const scalar = new Scalar(value);
    scalar.range = [start, valueEnd, end];
    scalar.source = kind === STRING ? value as string : string(sourceRef, start, valueEnd);
    const type = SCALAR_TYPES[bits & 15];
    if (type) scalar.type = type;
    const format = FORMATS[(bits >> 4) & 15];
    if (format) scalar.format = format;
    return scalar;
  };
  const docs: YamlDoc[] = [];
  for (let d = 0; d < encoded.documents; d++) {
    const range: [number, number, number] = [ops[i++], ops[i++], ops[i++]];
    docs.push({ contents: node(), errors: [], range });
  }
  return docs;
}
