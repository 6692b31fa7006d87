// What the model reads of a `yaml` node tree, as plain data to compare two parses.
import { isMap, isPair, isScalar, isSeq } from 'yaml';

export function yamlShape(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isMap(node) || isSeq(node)) {
    return {
      kind: isMap(node) ? 'map' : 'seq', flow: node.flow ?? false, range: node.range, anchor: node.anchor,
      items: node.items.map((i) => (isPair(i) ? { key: yamlShape(i.key), value: yamlShape(i.value) } : yamlShape(i))),
    };
  }
  if (isScalar(node)) {
    // Merge keys (`<<`) hold a new symbol per parse: compared by name.
    const value = typeof node.value === 'symbol' ? String(node.value) : node.value;
    return { value, valueType: typeof node.value, type: node.type, format: node.format, source: node.source, range: node.range, anchor: node.anchor, tag: node.tag };
  }
  return { other: String(node) };
}
