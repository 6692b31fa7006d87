// The cluster model: every manifest of a workspace, indexed, with diagnostics.
// Plain data in (file text), plain data out (diagnostics, views). No editor or LSP types.
import { checkGlobal } from './diagnose/global';
import { checkObject } from './diagnose/local';
import { checkNamespace } from './diagnose/namespace';
import { NamespaceView } from './namespaceView';
import { K8sObject, parseFile, ParsedFile } from './parse';
import { Diagnostic, Settings, withDefaults } from './types';

interface FileEntry {
  parsed: ParsedFile;
  local: Diagnostic[];
  skipReason?: string;
}

interface NamespaceEntry {
  objects: Set<K8sObject>;
  view?: NamespaceView;
  diagnostics?: Diagnostic[];
}

export class ClusterModel {
  private settingsValue: Settings;
  private readonly files = new Map<string, FileEntry>();
  private readonly namespaces = new Map<string, NamespaceEntry>();
  /** Cluster-scoped objects (Namespaces and friends). */
  private readonly clusterObjects = new Set<K8sObject>();
  private globalDiagnostics?: Diagnostic[];
  private mergedCache?: Map<string, Diagnostic[]>;
  /** Bumped on every change; views computed from the model cache against it. */
  version = 0;

  constructor(settings?: Partial<Settings>) {
    this.settingsValue = withDefaults(settings);
  }

  get settings(): Settings {
    return this.settingsValue;
  }

  /** Changing settings re-reads every file: namespaces and ranges depend on them. */
  configure(settings: Partial<Settings>): void {
    this.settingsValue = withDefaults({ ...this.settingsValue, ...settings });
    const entries = [...this.files.values()];
    this.files.clear();
    this.namespaces.clear();
    this.clusterObjects.clear();
    for (const f of entries) {
      if (f.skipReason !== undefined) this.markSkipped(f.parsed.uri, f.skipReason);
      else this.update(f.parsed.uri, f.parsed.src.text);
    }
    this.invalidateGlobal();
  }

  update(uri: string, text: string): void {
    this.detach(uri);
    const parsed = parseFile(uri, text, this.settingsValue.defaultNamespace);
    const local = [...parsed.diagnostics];
    if (parsed.skipped === 'binary') {
      local.push({
        uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: 'information', code: 'file-skipped', message: 'File is binary; it is not analysed.',
      });
    }
    for (const o of parsed.objects) checkObject(o, this.settingsValue, local);
    this.files.set(uri, { parsed, local });
    for (const o of parsed.objects) this.attach(o);
    this.invalidateGlobal();
  }

  /** Records a file that was not analysed (too large, binary, not UTF-8) with one note. */
  markSkipped(uri: string, reason: string): void {
    this.detach(uri);
    const parsed = parseFile(uri, '', this.settingsValue.defaultNamespace);
    const note: Diagnostic = {
      uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: 'information', code: 'file-skipped', message: reason,
    };
    this.files.set(uri, { parsed, local: [note], skipReason: reason });
    this.invalidateGlobal();
  }

  remove(uri: string): void {
    if (!this.files.has(uri)) return;
    this.detach(uri);
    this.files.delete(uri);
    this.invalidateGlobal();
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

  namespaceNames(): string[] {
    return [...this.namespaces.keys()].filter((n) => this.namespaces.get(n)!.objects.size > 0).sort();
  }

  /** The index of one namespace (built on demand, cached until one of its objects changes). */
  view(namespace: string): NamespaceView {
    let entry = this.namespaces.get(namespace);
    if (!entry) {
      entry = { objects: new Set() };
      this.namespaces.set(namespace, entry);
    }
    if (!entry.view) {
      const objs = [...entry.objects].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      entry.view = new NamespaceView(namespace, objs);
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

  /** Diagnostics of every file (files without findings map to []). */
  allDiagnostics(): Map<string, Diagnostic[]> {
    if (this.mergedCache) return this.mergedCache;
    const merged = new Map<string, Diagnostic[]>();
    for (const uri of this.uris()) merged.set(uri, [...this.files.get(uri)!.local]);
    const add = (d: Diagnostic) => merged.get(d.uri)?.push(d);
    for (const ns of this.namespaceNames()) {
      const entry = this.namespaces.get(ns)!;
      if (!entry.diagnostics) {
        entry.diagnostics = [];
        checkNamespace(this.view(ns), entry.diagnostics);
      }
      entry.diagnostics.forEach(add);
    }
    if (!this.globalDiagnostics) {
      this.globalDiagnostics = [];
      checkGlobal(this.views(), this.clusterScoped(), this.settingsValue, this.globalDiagnostics);
    }
    this.globalDiagnostics.forEach(add);
    for (const list of merged.values()) list.sort(compareDiagnostics);
    this.mergedCache = merged;
    return merged;
  }

  private attach(o: K8sObject) {
    if (o.namespace === '') {
      this.clusterObjects.add(o);
      return;
    }
    let entry = this.namespaces.get(o.namespace);
    if (!entry) {
      entry = { objects: new Set() };
      this.namespaces.set(o.namespace, entry);
    }
    entry.objects.add(o);
    entry.view = undefined;
    entry.diagnostics = undefined;
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
      entry.view = undefined;
      entry.diagnostics = undefined;
      if (entry.objects.size === 0) this.namespaces.delete(o.namespace);
    }
  }

  private invalidateGlobal() {
    this.globalDiagnostics = undefined;
    this.mergedCache = undefined;
    this.version++;
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line
    || a.range.start.character - b.range.start.character
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
    || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
