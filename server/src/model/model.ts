// The cluster model: every manifest of a workspace, indexed, with diagnostics.
// Plain data in (file text), plain data out (diagnostics, views). No editor or LSP types.
import { ClaimIndex } from './claims';
import { finding } from './rules';
import { applyRuleSettings, readSuppressions, Suppressions } from './rules/suppress';
import { checkCluster, checkNamespace, checkObject, NamespaceFacts, namespaceFacts } from './rules/run';
import type { RuleDefinition } from './rules/rule';
import { readConfigMapData, readContainerSources } from './calls/sources';
import { NamespaceView, ServiceResolution } from './namespaceView';
import { readExtracts, readPodTemplate, readService, ServiceInfo, WORKLOAD_KINDS } from './objects';
import { compactObjects, K8sObject, parseFile, ParsedFile, YamlDoc } from './parse';
import { Diagnostic, Settings, withDefaults } from './types';

interface FileEntry {
  parsed: ParsedFile;
  /** The namespace its objects take, when its unit replaces theirs (Kustomize). */
  forceNamespace?: string;
  /** What the simulated values depend on in this file (Service and workload identities). */
  allocationSignature: string;
  local: Diagnostic[];
  /** Its `ksi-ignore` comments and ignore annotations. */
  suppressions?: Suppressions;
  /** Namespaces the file's objects live in (where its cross-object findings come from). */
  namespaces: Set<string>;
  skipReason?: string;
}

interface NamespaceEntry {
  name: string;
  objects: Set<K8sObject>;
  view?: NamespaceView;
  /** The last view's Service resolutions, reused by the next view where still valid. */
  earlierResolutions?: ReadonlyMap<ServiceInfo, ServiceResolution>;
  /** Cross-object findings of this namespace, by file. */
  diagnostics?: Map<string, Diagnostic[]>;
  /** The findings before the namespace changed, until it is checked again (so only files
   *  whose findings changed are merged again). */
  previousDiagnostics?: Map<string, Diagnostic[]>;
  facts?: NamespaceFacts;
  /** The label pairs this namespace put into the model's label index. */
  indexedLabels?: string[];
}

/** Files listed by takeRevised before it gives up and says "everything". */
const MAX_REVISED_LOG = 5000;

const NO_POSITION = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function byUri(list: Diagnostic[]): Map<string, Diagnostic[]> {
  const m = new Map<string, Diagnostic[]>();
  for (const d of list) {
    const l = m.get(d.uri);
    if (l) l.push(d);
    else m.set(d.uri, [d]);
  }
  return m;
}

export class ClusterModel {
  private settingsValue: Settings;
  private readonly files = new Map<string, FileEntry>();
  private readonly namespaces = new Map<string, NamespaceEntry>();
  /** Cluster-scoped objects (Namespaces and friends). */
  private readonly clusterObjects = new Set<K8sObject>();
  private global?: Map<string, Diagnostic[]>;
  /** Files with findings of the rules that simulate, at the last check. */
  private lateUris = new Set<string>();
  /** Merged findings per file, rebuilt only for files a change can affect. */
  private readonly merged = new Map<string, Diagnostic[]>();
  private readonly dirtyUris = new Set<string>();
  /** Findings suppressed by comments or annotations, per file. */
  private readonly suppressed = new Map<string, number>();
  private readonly revisions = new Map<string, number>();
  private revisionCounter = 0;
  private revisedLog = new Set<string>();
  private revisedOverflow = false;
  /** `key=value` → namespaces with a pod template carrying it (selector hints across namespaces). */
  private readonly labelNamespaces = new Map<string, Set<string>>();
  /** Node ports and cluster IPs of every checked namespace. */
  private readonly claims = new ClaimIndex();
  /** Bumped on every change; views computed from the model cache against it. */
  version = 0;
  /** Bumped only when something simulated values depend on changes (names, types, explicit
   *  IPs and node ports, replicas), so typing in labels or ports keeps them cached. */
  allocationVersion = 0;

  /** @param keepsNodes which files keep their YAML nodes after they are read (default: all);
   *  the others keep only what checks and views read from them (see `prepareFile`). */
  constructor(settings?: Partial<Settings>, readonly keepsNodes: (uri: string) => boolean = () => true) {
    this.settingsValue = withDefaults(settings);
  }

  get settings(): Settings {
    return this.settingsValue;
  }

  /** Changing settings re-reads every file: namespaces and ranges depend on them. */
  configure(settings: Partial<Settings>): void {
    this.settingsValue = withDefaults({ ...this.settingsValue, ...settings });
    this.allocationVersion++;
    const entries = [...this.files.values()];
    for (const f of entries) this.remove(f.parsed.uri);
    for (const f of entries) {
      if (f.skipReason !== undefined) this.markSkipped(f.parsed.uri, f.skipReason);
      else this.update(f.parsed.uri, f.parsed.src.text, undefined, f.forceNamespace);
    }
  }

  /** Reads a new version of a file; `documents` are its YAML documents if they were parsed
   *  already (see `parseYamlDocuments`). */
  update(uri: string, text: string, documents?: YamlDoc[], forceNamespace?: string, prepared?: PreparedFile): void {
    const previous = this.files.get(uri);
    this.detach(uri);
    // A file read ahead (`prepareFile`) for the same placement and settings is taken as is.
    const keep = this.keepsNodes(uri);
    const ready = prepared && prepared.forceNamespace === forceNamespace && prepared.keepNodes === keep && sameSettings(prepared.settings, this.settingsValue) ? prepared : undefined;
    // The previous version's unchanged documents are taken over, not parsed again.
    const reusable = !ready && previous?.skipReason === undefined && !documents && previous?.forceNamespace === forceNamespace ? previous?.parsed : undefined;
    const { parsed, local, suppressions } = ready ?? prepareFile(uri, text, this.settingsValue, documents, forceNamespace, reusable, keep);
    const allocationSignature = allocationSignatureOf(parsed.objects);
    if (allocationSignature !== (this.files.get(uri)?.allocationSignature ?? '')) this.allocationVersion++;
    this.files.set(uri, { parsed, local, suppressions, allocationSignature, forceNamespace, namespaces: new Set(parsed.objects.map((o) => o.namespace).filter(Boolean)) });
    for (const o of parsed.objects) this.attach(o);
    this.changed(uri);
  }

  /** Records a file that was not analysed (too large, binary, not UTF-8) with one note. */
  markSkipped(uri: string, reason: string): void {
    this.detach(uri);
    const parsed = parseFile(uri, '', this.settingsValue.defaultNamespace);
    const note = finding('file-skipped', uri, NO_POSITION, reason);
    if (this.files.get(uri)?.allocationSignature) this.allocationVersion++;
    this.files.set(uri, { parsed, local: [note], allocationSignature: '', namespaces: new Set(), skipReason: reason });
    this.changed(uri);
  }

  remove(uri: string): void {
    if (!this.files.has(uri)) return;
    if (this.files.get(uri)!.allocationSignature) this.allocationVersion++;
    this.detach(uri);
    this.files.delete(uri);
    this.changed(uri);
  }

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  uris(): string[] {
    return [...this.files.keys()].sort();
  }

  file(uri: string): ParsedFile | undefined {
    return this.files.get(uri)?.parsed;
  }

  /** Every object, in a stable order. */
  objects(): K8sObject[] {
    const out: K8sObject[] = [];
    for (const uri of this.uris()) out.push(...this.files.get(uri)!.parsed.objects);
    return out;
  }

  objectCount(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.parsed.objects.length;
    return n;
  }

  namespaceNames(): string[] {
    return [...this.namespaces.keys()].filter((n) => this.namespaces.get(n)!.objects.size > 0).sort();
  }

  /** The index of one namespace (built on demand, cached until one of its objects changes). */
  view(namespace: string): NamespaceView {
    const entry = this.namespaceEntry(namespace);
    if (!entry.view) {
      const objs = [...entry.objects].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      entry.view = new NamespaceView(namespace, objs, entry.earlierResolutions);
      entry.earlierResolutions = undefined;
    }
    return entry.view;
  }

  views(): NamespaceView[] {
    return this.namespaceNames().map((n) => this.view(n));
  }

  clusterScoped(): K8sObject[] {
    return [...this.clusterObjects].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** Diagnostics of one file. */
  diagnostics(uri: string): Diagnostic[] {
    return this.allDiagnostics().get(uri) ?? [];
  }

  /** Diagnostics of every file (files without findings map to []). The map is the model's
   *  own: read it, do not change it. */
  allDiagnostics(): ReadonlyMap<string, Diagnostic[]> {
    if (this.dirtyUris.size === 0 && this.global) return this.merged;
    for (const ns of this.namespaceNames()) this.checkedNamespace(ns);
    // The global pass is cheap (it merges per-namespace facts), so it always runs after a change.
    const views = this.views();
    const facts = views.map((v) => this.namespaces.get(v.name)!.facts!);
    const check = (out: Diagnostic[], only: (rule: RuleDefinition) => boolean) =>
      checkCluster(this, views, facts, this.claims, (sel) => this.namespacesWithLabels(sel), this.clusterScoped(), this.settingsValue, out, only);
    const list: Diagnostic[] = [];
    check(list, (rule) => !rule.simulates);
    const fresh = byUri(list);
    if (this.global) this.dirtyChangedFiles(this.global, fresh);
    else for (const uri of fresh.keys()) this.dirtyUris.add(uri);
    this.global = fresh;
    for (const uri of this.dirtyUris) this.mergeFile(uri);
    this.dirtyUris.clear();
    // Rules that play requests through the simulated cluster run last: it holds only the
    // objects the API server admits, which the findings above decide.
    const late: Diagnostic[] = [];
    check(late, (rule) => !!rule.simulates);
    const lateByUri = byUri(late);
    for (const uri of new Set([...lateByUri.keys(), ...this.lateUris])) {
      const all = [...(fresh.get(uri) ?? []), ...(lateByUri.get(uri) ?? [])];
      if (all.length) fresh.set(uri, all); else fresh.delete(uri);
      this.mergeFile(uri);
    }
    this.lateUris = new Set(lateByUri.keys());
    return this.merged;
  }

  /** A namespace with its cross-object findings and facts up to date. */
  private checkedNamespace(ns: string): NamespaceEntry {
    const entry = this.namespaceEntry(ns);
    if (entry.diagnostics) return entry;
    const list: Diagnostic[] = [];
    const view = this.view(ns);
    checkNamespace(view, list);
    entry.diagnostics = byUri(list);
    this.dirtyChangedFiles(entry.previousDiagnostics, entry.diagnostics);
    entry.previousDiagnostics = undefined;
    entry.facts = namespaceFacts(view);
    this.claims.add(entry.facts.claims);
    entry.indexedLabels = [...view.labelPairs()];
    for (const pair of entry.indexedLabels) {
      const set = this.labelNamespaces.get(pair);
      if (set) set.add(ns);
      else this.labelNamespaces.set(pair, new Set([ns]));
    }
    return entry;
  }

  /** A file's findings that hold whatever other namespaces hold: its own, its namespaces',
   *  and those of the cluster checks that hold on part of a cluster (`holdsOnPart`). Once
   *  every file with objects in the file's namespaces is read, each of them is true (the
   *  rest of the cluster may add findings, or hints to them). */
  namespaceDiagnostics(uri: string): Diagnostic[] {
    const file = this.files.get(uri);
    if (!file) return [];
    const list = [...file.local];
    for (const ns of file.namespaces) list.push(...(this.checkedNamespace(ns).diagnostics!.get(uri) ?? []));
    // And the cluster checks whose findings on some namespaces hold on all.
    const views = this.views();
    const partial: Diagnostic[] = [];
    checkCluster(this, views, views.map((v) => this.checkedNamespace(v.name).facts!), this.claims, (sel) => this.namespacesWithLabels(sel), this.clusterScoped(), this.settingsValue, partial, (rule) => !!rule.holdsOnPart);
    for (const d of partial) if (d.uri === uri) list.push(d);
    return this.shown(file, list);
  }

  /** A file's findings that need only the file: YAML syntax, each object's own checks and
   *  its suppression comments (rule settings and suppressions applied). */
  ownDiagnostics(uri: string): Diagnostic[] {
    const file = this.files.get(uri);
    return file ? this.shown(file, file.local) : [];
  }

  /** A file's findings as its rule settings and suppressions leave them, in order. */
  private shown(file: FileEntry, list: Diagnostic[]): Diagnostic[] {
    return [...applyRuleSettings(list, this.settingsValue.rules, file.suppressions).shown].sort(compareDiagnostics);
  }

  /** How many findings of a file its comments and annotations suppress. */
  suppressedIn(uri: string): number {
    this.allDiagnostics();
    return this.suppressed.get(uri) ?? 0;
  }

  /** A number that grows whenever a file's diagnostics may have changed (for publishing). */
  revision(uri: string): number {
    this.allDiagnostics();
    return this.revisions.get(uri) ?? 0;
  }

  /** Marks the files whose share of a set of findings differs between two versions. */
  private dirtyChangedFiles(before: Map<string, Diagnostic[]> | undefined, after: Map<string, Diagnostic[]>) {
    // forEach, not for…of: no entry arrays (this runs on every edit over many files).
    after.forEach((list, uri) => {
      const old = before?.get(uri);
      if (!old || !sameDiagnostics(old, list)) this.dirtyUris.add(uri);
    });
    before?.forEach((_, uri) => {
      if (!after.has(uri)) this.dirtyUris.add(uri);
    });
  }

  private mergeFile(uri: string) {
    const file = this.files.get(uri);
    if (!file) {
      this.suppressed.delete(uri);
      if (this.merged.delete(uri)) this.revise(uri);
      return;
    }
    let list = [...file.local];
    for (const ns of file.namespaces) {
      const d = this.namespaces.get(ns)?.diagnostics?.get(uri);
      if (d) list.push(...d);
    }
    const g = this.global?.get(uri);
    if (g) list.push(...g);
    const { shown, suppressed } = applyRuleSettings(list, this.settingsValue.rules, file.suppressions);
    if (suppressed) this.suppressed.set(uri, suppressed);
    else this.suppressed.delete(uri);
    list = shown;
    list.sort(compareDiagnostics);
    const before = this.merged.get(uri);
    this.merged.set(uri, list);
    if (!before || !sameDiagnostics(before, list)) this.revise(uri);
  }

  private revise(uri: string) {
    this.revisions.set(uri, ++this.revisionCounter);
    if (this.revisedLog.size < MAX_REVISED_LOG) this.revisedLog.add(uri);
    else this.revisedOverflow = true;
  }

  /** The files whose findings changed since the last call (undefined: too many to list, treat
   *  every file as changed). Lets a workspace of many units re-merge only those files. */
  takeRevised(): Set<string> | undefined {
    this.allDiagnostics();
    const out = this.revisedOverflow ? undefined : this.revisedLog;
    this.revisedLog = new Set();
    this.revisedOverflow = false;
    return out;
  }

  private changed(uri: string) {
    this.dirtyUris.add(uri);
    this.version++;
  }

  private namespaceEntry(ns: string): NamespaceEntry {
    let entry = this.namespaces.get(ns);
    if (!entry) {
      entry = { name: ns, objects: new Set() };
      this.namespaces.set(ns, entry);
    }
    return entry;
  }

  /** Namespaces that have pod templates carrying every pair of a selector. */
  namespacesWithLabels(selector: Record<string, string>): string[] {
    let result: Set<string> | undefined;
    for (const [k, v] of Object.entries(selector)) {
      const set = this.labelNamespaces.get(`${k}=${v}`);
      if (!set) return [];
      result = result ? new Set([...result].filter((n) => set.has(n))) : set;
    }
    return result ? [...result].sort() : [];
  }

  private invalidateNamespace(entry: NamespaceEntry) {
    if (entry.view) entry.earlierResolutions = entry.view.resolved();
    entry.view = undefined;
    for (const pair of entry.indexedLabels ?? []) {
      const set = this.labelNamespaces.get(pair);
      if (!set) continue;
      set.delete(entry.name);
      if (set.size === 0) this.labelNamespaces.delete(pair);
    }
    entry.indexedLabels = undefined;
    if (entry.diagnostics) entry.previousDiagnostics = entry.diagnostics;
    entry.diagnostics = undefined;
    if (entry.facts) this.claims.remove(entry.facts.claims);
    entry.facts = undefined;
  }

  private attach(o: K8sObject) {
    if (o.namespace === '') {
      this.clusterObjects.add(o);
      return;
    }
    const entry = this.namespaceEntry(o.namespace);
    entry.objects.add(o);
    this.invalidateNamespace(entry);
  }

  private detach(uri: string) {
    const old = this.files.get(uri);
    if (!old) return;
    for (const o of old.parsed.objects) {
      if (o.namespace === '') {
        this.clusterObjects.delete(o);
        continue;
      }
      const entry = this.namespaces.get(o.namespace);
      if (!entry) continue;
      entry.objects.delete(o);
      this.invalidateNamespace(entry);
      if (entry.objects.size === 0) {
        // The files this namespace reported on must be merged again without it.
        for (const uri of entry.previousDiagnostics?.keys() ?? []) this.dirtyUris.add(uri);
        this.namespaces.delete(o.namespace);
      }
    }
  }
}

/** A file parsed and checked on its own (what `update` does before it joins the namespaces),
 *  so that a workspace can do it while files are still being read, before their units are known. */
export interface PreparedFile {
  parsed: ParsedFile;
  local: Diagnostic[];
  suppressions?: Suppressions;
  forceNamespace?: string;
  settings: Settings;
  keepNodes: boolean;
}

/** @param keepNodes false: once checked, the file's YAML nodes are dropped (`compactObjects`),
 *  most of its memory; the views read before stay. */
export function prepareFile(uri: string, text: string, settings: Settings, documents?: YamlDoc[], forceNamespace?: string, previous?: ParsedFile, keepNodes = true): PreparedFile {
  const placement = { defaultNamespace: settings.defaultNamespace, forceNamespace };
  const parsed = parseFile(uri, text, placement, previous, documents);
  const local = [...parsed.diagnostics];
  if (parsed.skipped === 'binary') {
    local.push(finding('file-skipped', uri, NO_POSITION, 'File is binary; it is not analysed.'));
  }
  for (const o of parsed.objects) checkObject(o, settings, local);
  const { suppressions, problems } = readSuppressions(uri, text, parsed.objects);
  local.push(...problems);
  if (!keepNodes) {
    for (const o of parsed.objects) {
      readExtracts(o);
      // What the call rules read: a container's strings, a ConfigMap's data.
      if (o.kind === 'ConfigMap') readConfigMapData(o); else if (!o.custom && WORKLOAD_KINDS.has(o.kind)) readContainerSources(o);
    }
    compactObjects(parsed, placement);
  }
  return { parsed, local, suppressions, forceNamespace, settings, keepNodes };
}

function sameSettings(a: Settings, b: Settings): boolean {
  if (a === b) return true;
  for (const k of Object.keys(a) as (keyof Settings)[]) {
    // Rule settings apply when findings are merged, not when a file is read.
    if (k === 'rules') continue;
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (Array.isArray(x) && Array.isArray(y) ? x.join('\n') !== y.join('\n') : typeof x !== 'object' || JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

function allocationSignatureOf(objects: K8sObject[]): string {
  const parts: string[] = [];
  for (const o of objects) {
    const svc = readService(o);
    if (svc) {
      parts.push(`S ${svc.namespace}/${svc.name} ${svc.type} ${svc.clusterIP ?? (svc.headless ? 'None' : '')} ${svc.ports.map((p) => `${p.index}:${p.nodePort ?? ''}`).join(',')}`);
      continue;
    }
    const w = readPodTemplate(o);
    if (w) parts.push(`W ${w.namespace}/${w.kind}/${w.name} ${w.replicas}`);
  }
  return parts.join('\n');
}

function sameDiagnostics(a: Diagnostic[], b: Diagnostic[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i] || sameDiagnostic(d, b[i]));
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.message === b.message && a.severity === b.severity && a.uri === b.uri
    && sameRange(a.range, b.range)
    // Related locations and fixes are rare; comparing their JSON is fine.
    && (a.related === b.related || JSON.stringify(a.related) === JSON.stringify(b.related))
    && (a.fixes === b.fixes || JSON.stringify(a.fixes) === JSON.stringify(b.fixes));
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function compareDiagnostics(a: import('./types').Diagnostic, b: import('./types').Diagnostic): number {
  return a.range.start.line - b.range.start.line
    || a.range.start.character - b.range.start.character
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
    || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
