// What a kustomization file says about apply units: which files and folders it reads, the
// namespace it sets, and the transformers it would apply (which we do not, unrendered).
import { isMap, isScalar, isSeq, Node, parseDocument } from 'yaml';

export const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export interface Kustomization {
  kind: 'Kustomization' | 'Component';
  /** `resources` and the legacy `bases`: files or folders, relative to the kustomization. */
  resources: string[];
  components: string[];
  /** Files it names that are not objects of their own (patches, generator inputs…). */
  otherFiles: string[];
  namespace?: string;
  /** Fields whose effect on the objects is not applied without rendering. */
  transformers: string[];
  /** Why the file could not be read, if it could not. */
  problem?: string;
}

/** Fields that change nothing the analysis reads: the objects come out as the files say
 *  (generators add ConfigMaps and Secrets only; `namespace` is applied here). */
const HARMLESS = new Set([
  'apiVersion', 'kind', 'metadata', 'resources', 'bases', 'components', 'namespace', 'images',
  'configMapGenerator', 'secretGenerator', 'generatorOptions', 'commonAnnotations', 'buildMetadata',
  'sortOptions', 'openapi', 'crds', 'configurations',
]);

function strings(node: unknown): string[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((i) => (isScalar(i) && typeof i.value === 'string' ? [i.value] : []));
}

function field(map: Node, key: string): unknown {
  return isMap(map) ? map.get(key, true) : undefined;
}

export function readKustomization(text: string): Kustomization {
  const empty: Kustomization = { kind: 'Kustomization', resources: [], components: [], otherFiles: [], transformers: [] };
  let doc;
  try {
    doc = parseDocument(text, { version: '1.1' });
  } catch (e) {
    return { ...empty, problem: (e as Error).message };
  }
  if (doc.errors.length) return { ...empty, problem: doc.errors[0].message.split('\n')[0] };
  const root = doc.contents;
  if (!root || !isMap(root)) return root ? { ...empty, problem: 'the file is not a map of fields' } : empty;
  const kind = field(root, 'kind');
  const k: Kustomization = {
    ...empty,
    kind: isScalar(kind) && kind.value === 'Component' ? 'Component' : 'Kustomization',
    resources: [...strings(field(root, 'resources')), ...strings(field(root, 'bases'))],
    components: strings(field(root, 'components')),
  };
  const ns = field(root, 'namespace');
  if (isScalar(ns) && typeof ns.value === 'string' && ns.value) k.namespace = ns.value;
  for (const item of root.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!key || HARMLESS.has(key) || item.value === null || (isSeq(item.value) && item.value.items.length === 0)) continue;
    k.transformers.push(key);
  }
  // Files named by patches and generators are read by kustomize, never as objects.
  for (const key of ['patchesStrategicMerge', 'transformers', 'generators', 'validators']) k.otherFiles.push(...strings(field(root, key)));
  for (const key of ['patches', 'patchesJson6902']) {
    const list = field(root, key);
    if (isSeq(list)) for (const p of list.items) {
      const path = field(p as Node, 'path');
      if (isScalar(path) && typeof path.value === 'string') k.otherFiles.push(path.value);
    }
  }
  return k;
}

/** A resource entry that kustomize fetches from elsewhere (git, http). */
export function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.startsWith('git@');
}
