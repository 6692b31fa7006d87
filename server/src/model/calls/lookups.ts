// What call discovery looks up across the cluster: the ConfigMaps containers read, and the
// names of its Services, so that "a Service of that name, or one a letter away, exists
// somewhere" is a few map reads and not a distance to every name. Each namespace's names are
// indexed once and kept while they are the same names: an edit re-indexes one namespace.
import type { ClusterModel } from '../model';
import type { NamespaceView } from '../namespaceView';
import type { K8sObject } from '../parse';

export interface CallLookups {
  configMap(namespace: string, name: string): K8sObject | undefined;
  /** Whether some namespace has a Service of this name or of a name one edit away (names of
   *  five letters or more). */
  serviceNamedNearly(name: string): boolean;
  /** Which Services exist, one entry per namespace; an entry is the same object while its
   *  namespace has the same Service names, so a result that depends on them can be kept
   *  against it (`sameServices`). */
  services(): readonly ServiceNames[];
}

/** The Service names of one namespace, each also filed under its one-letter deletions: two
 *  names one edit apart share one (or one is the other's deletion). */
export interface ServiceNames {
  namespace: string;
  names: string[];
  byDeletion?: Map<string, string[]>;
}

export const sameServices = (a: readonly ServiceNames[], b: readonly ServiceNames[]) => a.length === b.length && a.every((x, i) => x === b[i]);

const ofView = new WeakMap<NamespaceView, ServiceNames>();
/** The latest entry per namespace, reused by its next view when the names are the same. */
const latest = new Map<string, ServiceNames>();

function namesOf(view: NamespaceView): ServiceNames {
  let entry = ofView.get(view);
  if (entry) return entry;
  const names = [...view.services.keys()];
  const before = latest.get(view.name);
  entry = before && before.names.length === names.length && before.names.every((n, i) => n === names[i]) ? before : { namespace: view.name, names };
  latest.set(view.name, entry);
  ofView.set(view, entry);
  return entry;
}

function deletionIndex(entry: ServiceNames): Map<string, string[]> {
  if (entry.byDeletion) return entry.byDeletion;
  const index = new Map<string, string[]>();
  for (const n of entry.names) {
    for (const key of [n, ...deletions(n)]) {
      const list = index.get(key);
      if (list) list.push(n); else index.set(key, [n]);
    }
  }
  return (entry.byDeletion = index);
}

const built = new WeakMap<ClusterModel, { version: number; lookups: CallLookups }>();

export function callLookups(model: ClusterModel): CallLookups {
  const hit = built.get(model);
  if (hit && hit.version === model.version) return hit.lookups;
  let maps: Map<string, K8sObject> | undefined;
  let services: ServiceNames[] | undefined;
  const lookups: CallLookups = {
    configMap(namespace, name) {
      if (!maps) {
        maps = new Map();
        for (const o of model.objects()) if (o.kind === 'ConfigMap') maps.set(`${o.namespace}/${o.name}`, o);
      }
      return maps.get(`${namespace}/${name}`);
    },
    serviceNamedNearly(name) {
      const keys = name.length >= 5 ? [name, ...deletions(name)] : [name];
      return lookups.services().some((entry) => {
        const index = deletionIndex(entry);
        return index.has(name) || keys.some((key) => (index.get(key) ?? []).some((n) => nearly(name, n)));
      });
    },
    services() {
      return (services ??= model.views().map(namesOf));
    },
  };
  built.set(model, { version: model.version, lookups });
  return lookups;
}

function deletions(s: string): string[] {
  return Array.from({ length: s.length }, (_, i) => s.slice(0, i) + s.slice(i + 1));
}

/** One edit apart, for names of five letters or more (`cart-db` for `carts-db`). */
export function nearly(a: string, b: string): boolean {
  if (a === b || Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const rest = (x: string, skip: number) => x.slice(i + skip);
  return rest(a, 1) === rest(b, 1) || rest(a, 1) === rest(b, 0) || rest(a, 0) === rest(b, 1);
}
