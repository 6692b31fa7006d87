// Where each part of a Kustomize build was written. Each rendered object names its source
// file (origin annotation) and the kustomizations that transformed it; each value is traced
// to the layer that holds it: a patch (file or inline, strategic merge or JSON 6902), the
// base document, or the kustomization field that changed it (`namePrefix`, `labels`…).
import { isMap, isScalar, isSeq, Node, Pair, parseAllDocuments } from 'yaml';
import type { Range, RelatedLocation } from '../types';
import { SourceText } from '../yamlNodes';
import { dirOf, joinPath, relativeTo } from '../units/paths';
import { KustomizeOutput, ORIGIN_ANNOTATION, Transformation, TRANSFORMATIONS_ANNOTATION } from './kustomizeOutput';

const BUILD_METADATA = new Set([ORIGIN_ANNOTATION, TRANSFORMATIONS_ANNOTATION]);

import { follow, pairIn, pointerOf, scalarString, Step, walk } from './nodePaths';
import { parsedDocuments, sourceReader } from './sources';
import { SourceMap, SourceSpot } from './sourceMap';

export interface KustomizeSources {
  /** A path relative to the wrapper's folder (as the annotations spell it) → workspace URI. */
  resolve(fromWrapper: string): string;
  /** The text of a workspace file (undefined when it is not in the workspace). */
  read(uri: string): string | undefined;
  /** The root's kustomization file: where anything without a better place goes. */
  rootUri: string;
  /** Workspace folder, for naming files in messages. */
  workspaceRoot: string;
}

/** A tree that may have written a value: a base document or one patch. */
interface Layer {
  uri: string;
  src: SourceText;
  /** The node at a rendered path in this layer. */
  lookup(path: readonly Step[]): { node?: Node; pair?: Pair } | undefined;
  /** For people: `patch overlays/prod/svc.yaml`. */
  label: string;
}

interface KustomizationFacts {
  uri: string;
  src: SourceText;
  root: Node | undefined;
}

export function mapKustomize(output: KustomizeOutput, sources: KustomizeSources): SourceMap {
  const map = new SourceMap();
  const textOf = sourceReader(sources.read);
  const parsed = new Map<string, Node[]>();
  const docsOf = (uri: string): Node[] => {
    if (!parsed.has(uri)) {
      const src = textOf(uri);
      parsed.set(uri, src ? parsedDocuments(uri, src.text) : []);
    }
    return parsed.get(uri)!;
  };
  const kustomizations = new Map<string, KustomizationFacts | undefined>();
  const kustomizationAt = (uri: string): KustomizationFacts | undefined => {
    if (!kustomizations.has(uri)) {
      const src = textOf(uri);
      kustomizations.set(uri, src ? { uri, src, root: docsOf(uri)[0] } : undefined);
    }
    return kustomizations.get(uri);
  };
  const rel = (uri: string) => relativeTo(sources.workspaceRoot, uri);
  const rootSrc = textOf(sources.rootUri);
  const rootSpot: SourceSpot = { uri: sources.rootUri, range: rootSrc ? firstLine(rootSrc) : zero() };

  const at = output.toText;
  output.parsed.forEach((root, i) => {
    if (!isMap(root) || !root.range) return;
    const meta = output.documents[i] ?? { transformations: [] };
    const kind = scalarString(pairIn(root, 'kind')?.value) ?? '';
    const name = scalarString(pairIn(pairIn(root, 'metadata')?.value as Node, 'name')?.value) ?? '';
    const applied = meta.transformations.map((t) => ({ ...t, uri: sources.resolve(t.configuredIn) }));
    const ks = [...new Set(applied.map((t) => t.uri))].map(kustomizationAt).filter((k): k is KustomizationFacts => !!k);

    // The document's own source: a base document, a generator entry, or the root (remote).
    let base: Layer | undefined;
    let docSpot: SourceSpot = rootSpot;
    const origin = meta.origin;
    if (origin?.path && !origin.repo) {
      const uri = sources.resolve(origin.path);
      const src = textOf(uri);
      const node = src && pickDocument(docsOf(uri), kind, name);
      if (src && node) {
        base = { uri, src, lookup: (p) => follow(node, p), label: rel(uri) };
        const nameNode = follow(node, [{ key: 'metadata' }, { key: 'name' }])?.node;
        docSpot = { uri, range: nameNode ? src.nodeRange(nameNode) : firstKey(src, node) };
      }
    } else if (origin?.configuredIn) {
      const k = kustomizationAt(sources.resolve(origin.configuredIn));
      if (k) docSpot = { uri: k.uri, range: generatorRange(k, origin.generator, name) };
    }
    map.add(at(root.range[0]), at(root.range[1]), docSpot);

    const baseName = scalarString(base?.lookup([{ key: 'metadata' }, { key: 'name' }])?.node) ?? name;
    // Patches, the last applied first: they win over the base.
    const patches = patchLayers(ks, applied, kind, [name, baseName], sources, textOf, docsOf, rel).reverse();
    const fieldOwners = [...ks].reverse();

    for (const { node, path, pair } of walk(root)) {
      if (!node.range) continue;
      // The build metadata is not in the analysed text.
      if (path.length >= 3 && 'key' in path[1] && path[1].key === 'annotations' && 'key' in path[2] && BUILD_METADATA.has(path[2].key)) continue;
      // The key of a pair: where the key is written.
      if (pair?.key && (pair.key as Node).range) {
        const keyNode = pair.key as Node;
        const spot = keySpot(path, [base, ...patches], fieldOwners);
        if (spot) map.add(at(keyNode.range![0]), at(keyNode.range![1]), spot);
      }
      const spot = isScalar(node)
        ? valueSpot(path, scalarString(node) ?? '', base, patches, fieldOwners, rel)
        : collectionSpot(path, base, patches);
      if (spot) map.add(at(node.range[0]), at(Math.max(node.range[0], trimEnd(output.printed, node.range[1]))), spot);
    }
  });
  return map;
}

function trimEnd(text: string, end: number): number {
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  return end;
}

function zero(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function firstLine(src: SourceText): Range {
  const text = src.text;
  const m = /^[^\s#][^\n]*/m.exec(text);
  return m ? src.range(m.index, m.index + m[0].length) : zero();
}

function firstKey(src: SourceText, node: Node): Range {
  const first = isMap(node) ? (node.items[0] as Pair | undefined) : undefined;
  return first ? src.keyRange(first) : src.nodeRange(node);
}

/** The source document of a rendered object: same kind, and the name it had before
 *  prefixes and suffixes (the longest source name the rendered one contains). */
function pickDocument(docs: Node[], kind: string, name: string): Node | undefined {
  const objects = docs.flatMap((d) => (scalarString(pairIn(d, 'kind')?.value)?.endsWith('List') && isSeq(pairIn(d, 'items')?.value) ? (pairIn(d, 'items')!.value as { items: Node[] }).items : [d]));
  const sameKind = objects.filter((d) => scalarString(pairIn(d, 'kind')?.value) === kind);
  const nameOf = (d: Node) => scalarString(follow(d, [{ key: 'metadata' }, { key: 'name' }])?.node) ?? '';
  const exact = sameKind.find((d) => nameOf(d) === name);
  if (exact) return exact;
  const containing = sameKind.filter((d) => nameOf(d) && name.includes(nameOf(d))).sort((a, b) => nameOf(b).length - nameOf(a).length);
  return containing[0] ?? (sameKind.length === 1 ? sameKind[0] : undefined);
}

function generatorRange(k: KustomizationFacts, generator: string | undefined, name: string): Range {
  const key = generator === 'SecretGenerator' ? 'secretGenerator' : 'configMapGenerator';
  const list = pairIn(k.root, key);
  if (!list) return firstLine(k.src);
  const items = isSeq(list.value) ? (list.value.items as Node[]) : [];
  const entry = items.map((i) => pairIn(i, 'name')).filter((p): p is Pair => !!p)
    .filter((p) => name.includes(scalarString(p.value) ?? '\u0000'))
    .sort((a, b) => (scalarString(b.value) ?? '').length - (scalarString(a.value) ?? '').length)[0];
  return entry ? k.src.nodeRange(entry.value) : k.src.keyRange(list);
}

const PATCH_KINDS = new Set(['PatchTransformer', 'PatchStrategicMergeTransformer', 'PatchJson6902Transformer']);

/** The patches of the kustomizations that patched this object, in the order applied. */
function patchLayers(
  ks: KustomizationFacts[], applied: (Transformation & { uri: string })[], kind: string, names: string[],
  sources: KustomizeSources, textOf: (uri: string) => SourceText | undefined, docsOf: (uri: string) => Node[], rel: (uri: string) => string,
): Layer[] {
  const patching = new Set(applied.filter((t) => PATCH_KINDS.has(t.kind)).map((t) => t.uri));
  const layers: Layer[] = [];
  for (const k of ks) {
    if (!patching.has(k.uri)) continue;
    const dir = dirOf(k.uri);
    const entries: { target?: Node; path?: string; inline?: Node; json?: boolean }[] = [];
    for (const key of ['patchesStrategicMerge', 'patches', 'patchesJson6902']) {
      const list = pairIn(k.root, key)?.value;
      if (!isSeq(list)) continue;
      for (const item of list.items as Node[]) {
        if (isScalar(item)) {
          const s = scalarString(item) ?? '';
          // patchesStrategicMerge entries are file paths or inline YAML.
          entries.push(s.includes('\n') || s.includes(':') ? { inline: item } : { path: s });
          continue;
        }
        const path = scalarString(pairIn(item, 'path')?.value);
        const patch = pairIn(item, 'patch')?.value as Node | undefined;
        entries.push({ target: pairIn(item, 'target')?.value as Node | undefined, path, inline: patch, json: key === 'patchesJson6902' });
      }
    }
    for (const e of entries) {
      if (e.target && !targets(e.target, kind, names)) continue;
      let uri: string;
      let src: SourceText | undefined;
      let roots: Node[];
      if (e.path) {
        uri = joinPath(dir, e.path);
        src = textOf(uri);
        roots = src ? docsOf(uri) : [];
      } else if (e.inline && isScalar(e.inline) && e.inline.range) {
        uri = k.uri;
        src = k.src;
        roots = inlineDocuments(k.src.text, e.inline);
      } else continue;
      if (!src) continue;
      const label = e.path ? `patch ${rel(uri)}` : `inline patch in ${rel(k.uri)}`;
      for (const root of roots) {
        if (isSeq(root) && root.items.some((op) => pairIn(op as Node, 'op'))) {
          layers.push(jsonPatchLayer(uri, src, root, label));
        } else if (isMap(root)) {
          // A strategic merge patch names its object (without a target, it must match it).
          const pKind = scalarString(pairIn(root, 'kind')?.value);
          const pName = scalarString(follow(root, [{ key: 'metadata' }, { key: 'name' }])?.node);
          if (!e.target && ((pKind && pKind !== kind) || (pName && !names.some((n) => n === pName || n.includes(pName))))) continue;
          layers.push({ uri, src, lookup: (p) => follow(root, p), label });
        }
      }
    }
  }
  return layers;
}

/** Whether a patch's `target` selects the object (kind and name; selectors are assumed to). */
function targets(target: Node, kind: string, names: string[]): boolean {
  const tKind = scalarString(pairIn(target, 'kind')?.value);
  const tName = scalarString(pairIn(target, 'name')?.value);
  if (tKind && !safeRegex(tKind).test(kind)) return false;
  if (tName && !names.some((n) => safeRegex(tName).test(n))) return false;
  return true;
}

function safeRegex(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return { test: (s: string) => s === pattern } as RegExp;
  }
}

/** An inline patch's documents, parsed where they stand in the kustomization so that their
 *  offsets are the file's (everything else blanked, line breaks kept). */
function inlineDocuments(text: string, scalar: Node): Node[] {
  const [start, end] = scalar.range!;
  const contentStart = text.indexOf('\n', start) + 1;
  if (contentStart <= 0 || contentStart >= end) return [];
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  const padded = blank(text.slice(0, contentStart)) + text.slice(contentStart, end) + blank(text.slice(end));
  try {
    return parseAllDocuments(padded, { version: '1.1' }).map((d) => d.contents as Node).filter((n) => !!n);
  } catch {
    return [];
  }
}

/** A JSON 6902 patch as a layer: a path is found in the value of the operation whose path
 *  is the rendered path or one of its parents (the last such operation wins). */
function jsonPatchLayer(uri: string, src: SourceText, ops: Node, label: string): Layer {
  const list = (isSeq(ops) ? (ops.items as Node[]) : []).map((op) => ({
    op: scalarString(pairIn(op, 'op')?.value) ?? '',
    path: (scalarString(pairIn(op, 'path')?.value) ?? '').split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')),
    value: pairIn(op, 'value'),
  })).filter((o) => (o.op === 'add' || o.op === 'replace') && o.value);
  return {
    uri, src, label,
    lookup(path) {
      const pointer = pointerOf(path);
      for (let i = list.length - 1; i >= 0; i--) {
        const op = list[i];
        if (op.path.length > pointer.length || !op.path.every((s, j) => s === pointer[j] || (s === '-' && !('key' in path[j])))) continue;
        if (op.path.length === pointer.length) return { node: op.value!.value as Node, pair: op.value };
        const inner = follow(op.value!.value as Node, path.slice(op.path.length));
        if (inner) return inner;
      }
      return undefined;
    },
  };
}

/** Where a scalar value was written: a patch that holds it, the base that holds it, the
 *  kustomization field that explains it, else the base (or patch) node it replaced. */
function valueSpot(path: Step[], value: string, base: Layer | undefined, patches: Layer[], owners: KustomizationFacts[], rel: (u: string) => string): SourceSpot | undefined {
  for (const layer of patches) {
    const found = layer.lookup(path)?.node;
    if (found && isScalar(found) && scalarString(found) === value) return { uri: layer.uri, range: layer.src.nodeRange(found) };
  }
  const inBase = base?.lookup(path)?.node;
  if (base && inBase && isScalar(inBase) && scalarString(inBase) === value) return { uri: base.uri, range: base.src.nodeRange(inBase) };
  const baseValue = inBase && isScalar(inBase) ? scalarString(inBase) : undefined;
  const field = fieldSpot(path, value, baseValue, owners);
  if (field) {
    const via: RelatedLocation[] = base && inBase ? [{ uri: base.uri, range: base.src.nodeRange(inBase), message: `the value \`${baseValue}\` in ${rel(base.uri)}, before ${field.name} changed it` }] : [];
    return { uri: field.uri, range: field.range, via: via.length ? via : undefined, base: base && inBase ? { uri: base.uri, range: base.src.nodeRange(inBase) } : undefined };
  }
  if (base && inBase) return { uri: base.uri, range: base.src.nodeRange(inBase) };
  for (const layer of patches) {
    const found = layer.lookup(path)?.node;
    if (found) return { uri: layer.uri, range: layer.src.nodeRange(found) };
  }
  return undefined;
}

function collectionSpot(path: Step[], base: Layer | undefined, patches: Layer[]): SourceSpot | undefined {
  for (const layer of base ? [base, ...patches] : patches) {
    const found = layer.lookup(path)?.node;
    if (found) return { uri: layer.uri, range: layer.src.nodeRange(found) };
  }
  return undefined;
}

function keySpot(path: Step[], layers: (Layer | undefined)[], owners: KustomizationFacts[]): SourceSpot | undefined {
  for (const layer of layers) {
    if (!layer) continue;
    const pair = layer.lookup(path)?.pair;
    if (pair?.key) return { uri: layer.uri, range: layer.src.keyRange(pair) };
  }
  // A label key added by `labels` / `commonLabels`.
  const last = path[path.length - 1];
  if (last && 'key' in last && isLabelPath(path)) {
    for (const k of owners) {
      const pair = labelPair(k, last.key);
      if (pair) return { uri: k.uri, range: k.src.keyRange(pair) };
    }
  }
  return undefined;
}

function isLabelPath(path: Step[]): boolean {
  const keys = path.slice(0, -1).map((s) => ('key' in s ? s.key : ''));
  const parent = keys[keys.length - 1];
  return parent === 'labels' || parent === 'matchLabels' || parent === 'selector';
}

function labelPair(k: KustomizationFacts, key: string): Pair | undefined {
  const common = pairIn(pairIn(k.root, 'commonLabels')?.value as Node, key);
  if (common) return common;
  const labels = pairIn(k.root, 'labels')?.value;
  for (const entry of isSeq(labels) ? (labels.items as Node[]) : []) {
    const pair = pairIn(pairIn(entry, 'pairs')?.value as Node, key);
    if (pair) return pair;
  }
  return undefined;
}

/** A kustomization field that explains a rendered value the layers do not hold. */
function fieldSpot(path: Step[], value: string, baseValue: string | undefined, owners: KustomizationFacts[]): { uri: string; range: Range; name: string } | undefined {
  const keys = path.map((s) => ('key' in s ? s.key : '#'));
  const last = keys[keys.length - 1];
  for (const k of owners) {
    const at = (pair: Pair | undefined, name: string) => (pair ? { uri: k.uri, range: k.src.nodeRange(pair.value), name } : undefined);
    // Names: the object's own and references to others (Ingress backends, serviceName…).
    const prefix = scalarString(pairIn(k.root, 'namePrefix')?.value);
    const suffix = scalarString(pairIn(k.root, 'nameSuffix')?.value);
    if (prefix && value.startsWith(prefix) && (baseValue === undefined ? last === 'name' : value.includes(baseValue))) return at(pairIn(k.root, 'namePrefix'), `\`namePrefix: ${prefix}\``);
    if (suffix && value.endsWith(suffix) && (baseValue === undefined ? last === 'name' : value.includes(baseValue))) return at(pairIn(k.root, 'nameSuffix'), `\`nameSuffix: ${suffix}\``);
    if (last === 'namespace' && scalarString(pairIn(k.root, 'namespace')?.value) === value) return at(pairIn(k.root, 'namespace'), `\`namespace: ${value}\``);
    if (isLabelPath(path)) {
      const pair = labelPair(k, last);
      if (pair && scalarString(pair.value) === value) return at(pair, `the label \`${last}: ${value}\``);
    }
    if (keys[keys.length - 2] === 'annotations') {
      const pair = pairIn(pairIn(k.root, 'commonAnnotations')?.value as Node, last);
      if (pair && scalarString(pair.value) === value) return at(pair, `the annotation \`${last}\``);
    }
    if (last === 'image') {
      const images = pairIn(k.root, 'images')?.value;
      for (const entry of isSeq(images) ? (images.items as Node[]) : []) {
        const name = scalarString(pairIn(entry, 'name')?.value);
        const newName = scalarString(pairIn(entry, 'newName')?.value);
        if ((name && (baseValue ?? '').split(/[:@]/)[0] === name) || (newName && value.startsWith(newName))) return { uri: k.uri, range: k.src.nodeRange(entry), name: `\`images\` (${name})` };
      }
    }
    if (last === 'replicas' && keys.length === 2) {
      const replicas = pairIn(k.root, 'replicas')?.value;
      for (const entry of isSeq(replicas) ? (replicas.items as Node[]) : []) {
        if (scalarString(pairIn(entry, 'count')?.value) === value) return { uri: k.uri, range: k.src.nodeRange(entry), name: '`replicas`' };
      }
    }
  }
  return undefined;
}
