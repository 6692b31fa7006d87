// Kustomize renders each root through a wrapper kustomization that adds
// `buildMetadata: [originAnnotations, transformerAnnotations]`: every object then says which
// file it came from and which kustomizations transformed it. Those annotations are read
// here and cut from the text, which is then exactly what `kubectl kustomize ROOT` prints.
import { isMap, isScalar, Node, Pair, parseAllDocuments, parse } from 'yaml';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

/** The wrapper kustomization (in a temporary folder) for a root at `rootFromWrapper`. */
export function wrapperKustomization(rootFromWrapper: string): string {
  return `# Written by Kube Service Insight: renders ${JSON.stringify(rootFromWrapper)} with origin annotations.\n` +
    `resources:\n- ${JSON.stringify(rootFromWrapper)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`;
}

export interface Origin {
  /** The resource file, relative to the wrapper's folder (absent for remote or generated objects). */
  path?: string;
  /** A remote resource's repository. */
  repo?: string;
  /** For generated objects: the kustomization that generated it, relative to the wrapper. */
  configuredIn?: string;
  /** For generated objects: the generator's kind (`ConfigMapGenerator`…). */
  generator?: string;
}

export interface Transformation {
  /** The kustomization that configured it, relative to the wrapper's folder. */
  configuredIn: string;
  /** The builtin transformer: `PatchTransformer`, `PrefixTransformer`, `LabelTransformer`… */
  kind: string;
}

export interface KustomizeDocument {
  origin?: Origin;
  /** In the order kustomize applied them. */
  transformations: Transformation[];
}

export interface KustomizeOutput {
  /** The rendered text without the build metadata. */
  text: string;
  /** Per rendered document, in order. */
  documents: KustomizeDocument[];
  /** The output as kustomize printed it (with the annotations) and its parsed documents:
   *  parsed once, positions moved to `text` by `toText`. */
  printed: string;
  parsed: Node[];
  /** An offset in `printed` → the same place in `text`. */
  toText(offset: number): number;
}

export function readKustomizeOutput(output: string): KustomizeOutput {
  const cuts: [number, number][] = [];
  const documents: KustomizeDocument[] = [];
  const lineStart = (o: number) => output.lastIndexOf('\n', o - 1) + 1;
  const lineEnd = (o: number) => {
    const i = output.indexOf('\n', Math.max(o - 1, 0));
    return i < 0 ? output.length : i + 1;
  };
  const parsed: Node[] = [];
  for (const doc of parseAllDocuments(output)) {
    const meta: KustomizeDocument = { transformations: [] };
    documents.push(meta);
    const root = doc.contents;
    parsed.push(root as Node);
    if (!isMap(root)) continue;
    const metadata = root.get('metadata', true);
    const annotations = isMap(metadata) ? metadata.get('annotations', true) : undefined;
    if (!isMap(annotations)) continue;
    const ours: Pair[] = [];
    for (const pair of annotations.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = isScalar(pair.value) ? String(pair.value.value) : '';
      if (key === ORIGIN_ANNOTATION) meta.origin = readOrigin(value);
      else if (key === TRANSFORMATIONS_ANNOTATION) meta.transformations = readTransformations(value);
      else continue;
      ours.push(pair);
    }
    if (!ours.length) continue;
    const span = (pair: Pair): [number, number] => [lineStart((pair.key as Node).range![0]), lineEnd((pair.value as Node).range![1])];
    if (ours.length === annotations.items.length) {
      // Nothing else was annotated: the `annotations:` key goes too, as kustomize prints it.
      const outer = (metadata as unknown as { items: Pair[] }).items.find((p) => p.value === annotations)!;
      cuts.push([lineStart((outer.key as Node).range![0]), span(ours[ours.length - 1])[1]]);
    } else for (const pair of ours) cuts.push(span(pair));
  }
  cuts.sort((a, b) => a[0] - b[0]);
  // The text without the cuts, and per cut its end with the length cut up to there (offsets
  // after a cut move back by that much).
  let text = '';
  let at = 0;
  let removed = 0;
  const kept: [number, number][] = [];
  for (const [a, b] of cuts) {
    if (a < at) continue;
    text += output.slice(at, a);
    removed += b - a;
    kept.push([b, removed]);
    at = b;
  }
  text += output.slice(at);
  const toText = (offset: number) => {
    let shift = 0;
    let lo = 0;
    let hi = kept.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid][0] <= offset) {
        shift = kept[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return offset - shift;
  };
  return { text, documents, printed: output, parsed, toText };
}

function readOrigin(value: string): Origin | undefined {
  let data: unknown;
  try {
    data = parse(value);
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object') return undefined;
  const o = data as Record<string, unknown>;
  const by = o.configuredBy as Record<string, unknown> | undefined;
  const origin: Origin = {};
  if (typeof o.path === 'string') origin.path = o.path;
  if (typeof o.repo === 'string') origin.repo = o.repo;
  if (typeof o.configuredIn === 'string') origin.configuredIn = o.configuredIn;
  if (by && typeof by.kind === 'string') origin.generator = by.kind;
  return origin;
}

function readTransformations(value: string): Transformation[] {
  let data: unknown;
  try {
    data = parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: Transformation[] = [];
  for (const t of data) {
    const by = (t as Record<string, unknown>)?.configuredBy as Record<string, unknown> | undefined;
    const configuredIn = (t as Record<string, unknown>)?.configuredIn;
    if (typeof configuredIn === 'string' && by && typeof by.kind === 'string') out.push({ configuredIn, kind: by.kind });
  }
  return out;
}
