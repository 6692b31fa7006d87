// A workspace: every file, split into apply units (units/discover.ts), each analysed as its
// own ClusterModel so that results of different units never mix. The server and the CLI
// talk to this; language features and views take the ClusterModel of a file's unit.
import { compareDiagnostics, ClusterModel, prepareFile, PreparedFile } from './model';
import { identityOf } from './kinds';
import { CONFIG_FILE, readConfig, WorkspaceConfig } from './config';
import { parseYamlDocuments, YamlDoc } from './parse';
import { discoverUnits, UnitKind, UnitPlan, WorkspaceFacts } from './units/discover';
import { Kustomization, KUSTOMIZATION_FILES, readKustomization } from './units/kustomization';
import { baseName, dirOf, isUnder, relativeTo } from './units/paths';
import { ChartSetting, Diagnostic, Position, Settings, withDefaults } from './types';
import { finding } from './rules';
import { applyRuleSettings, readSuppressions } from './rules/suppress';
import { isRendered, RenderedUnit, RenderResult, SourceSpot } from './render/sourceMap';
import { SourceText } from './yamlNodes';
import { Header, identitiesOf, namespaceOf } from './headers';

/** What a host renders for a unit (it runs kubectl/kustomize/helm and calls `setRendered`). */
export interface RenderTarget {
  unitId: string;
  name: string;
  kind: 'kustomize' | 'helm';
  /** The kustomization's or chart's folder. */
  root: string;
  /** kustomization.yaml or Chart.yaml. */
  rootFile: string;
  /** Folders whose files the renderer reads (a change below them re-renders). */
  dirs: string[];
  /** Kustomize: remote resources, never fetched. */
  remote: string[];
  helm?: { release: string; namespace: string; values: string[] };
}

/** A point while a workspace is read after which an open file's preview is final. */
export interface Milestone {
  scope: 'namespaces' | 'unit';
  /** The unread files it waits for. */
  files: string[];
}

export interface ReadingPlan {
  /** Every unread file, in the order to read them. */
  order: string[];
  /** Per open file, in the order they are reached. */
  milestones: Map<string, Milestone[]>;
}

/** A rendered node written at a source position. */
export interface RenderedPlace {
  model: ClusterModel;
  /** The rendered output (`renderedUriOf`) and the node's position in it. */
  uri: string;
  position: Position;
  unit: string;
  tool: string;
  /** The rendered node's text (its first line). */
  text: string;
  spot: SourceSpot;
}

/** Where the model reads a unit's rendered output (no such file exists). */
export function renderedUriOf(unitId: string): string {
  return `${unitId}${unitId ? '/' : ''}${RENDERED}`;
}

const RENDERED = '<rendered>';

export function isRenderedUri(uri: string): boolean {
  return uri.endsWith(`/${RENDERED}`) || uri === RENDERED;
}

export interface UnitInfo {
  id: string;
  name: string;
  kind: UnitKind;
  origin: UnitPlan['origin'];
  /** How it was read, for people: `plain`, `kustomize (unrendered)`, `helm (not analysed)`,
   *  `kustomize (rendered by kubectl v1.35.2 (kustomize v5.7.1))`. */
  readAs: string;
  /** The renderer that produced its objects, if it was rendered. */
  renderer?: string;
  /** Helm: values files found in the chart's folder (`values*.yaml`). */
  valuesFiles?: string[];
  exact: boolean;
  files: string[];
  objects: number;
  /** Objects of custom resource kinds (counted, not checked). */
  customObjects: number;
  errors: number;
  warnings: number;
  information: number;
}

interface FileState {
  text: string;
  skipReason?: string;
  /** `group/Kind/namespace/name` of each named object (plain files). */
  identities?: string[];
  /** The file read ahead by `load`, for the first unit model that takes it. */
  prepared?: PreparedFile;
}

/** Findings that no Kustomize transformer can change: the file as kubectl reads it. */
const ALWAYS_TRUE = new Set(['yaml-syntax', 'yaml-too-complex', 'yaml-compat', 'file-skipped']);

const NO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export class WorkspaceModel {
  private settingsValue: Settings;
  private readonly roots: string[];
  private readonly files = new Map<string, FileState>();
  private readonly kustomizations = new Map<string, { uri: string; k: Kustomization }>();
  private readonly charts = new Map<string, string>();
  /** `.ksi.yaml` unit globs by workspace folder. */
  private readonly declared = new Map<string, WorkspaceConfig>();
  private configProblems = new Map<string, Diagnostic[]>();
  private plans: UnitPlan[] = [];
  private readonly models = new Map<string, ClusterModel>();
  /** Units each file is read in. */
  private membership = new Map<string, string[]>();
  private structureDirty = true;
  private readonly pending = new Set<string>();
  private merged = new Map<string, Diagnostic[]>();
  private readonly revisions = new Map<string, number>();
  private mergedSignature = new Map<string, string>();
  private revisionCounter = 0;
  private mergedAt = -1;
  /** Merge every file next time (units, notes or settings changed). */
  private fullMerge = true;
  /** Files added, removed or re-fed since the last merge. */
  private readonly touched = new Set<string>();
  private readonly emptyModel: ClusterModel;
  /** Render results by unit id (set by the host). */
  private readonly renders = new Map<string, RenderResult>();
  /** The rendered text of rendered units, by its (virtual) URI. */
  private readonly virtual = new Map<string, FileState>();
  /** Source files of rendered units → the units (a base shared by overlays is in several). */
  private renderedSources = new Map<string, string[]>();
  /** Per rendered unit: its findings moved to source files, at a model revision. */
  private readonly mappedCache = new Map<string, { revision: number; text: string; byUri: Map<string, Diagnostic[]> }>();
  version = 0;

  /** @param roots the workspace folders (URIs or paths): units are named relative to them,
   *  and `.ksi.yaml` is read at each. */
  constructor(settings?: Partial<Settings>, roots: string[] = ['']) {
    this.settingsValue = withDefaults(settings);
    this.roots = roots.map((r) => r.replace(/\/$/, ''));
    this.emptyModel = new ClusterModel(this.settingsValue);
  }

  private keepPredicate: (uri: string) => boolean = () => true;

  /** Which files keep their YAML nodes once read (default: all). A host keeps them for the
   *  files a user works in (the editor's open documents) and lets the others keep only what
   *  checks and views read from them: a fraction of the memory; their nodes are read again
   *  when a hover or a finding's place needs them. Applies to files read from now on. */
  keepNodes(predicate: (uri: string) => boolean): void {
    this.keepPredicate = predicate;
  }

  /** Rendered output always keeps its nodes: the source maps walk them. */
  private keepsNodes = (uri: string): boolean => isRenderedUri(uri) || this.keepPredicate(uri);

  get settings(): Settings {
    return this.settingsValue;
  }

  configure(settings: Partial<Settings>): void {
    this.settingsValue = withDefaults({ ...this.settingsValue, ...settings });
    for (const [id, m] of this.models) m.configure(this.settingsFor(id));
    this.emptyModel.configure(this.settingsValue);
    for (const f of this.files.values()) f.identities = undefined;
    for (const uri of this.files.keys()) this.pending.add(uri);
    this.structureDirty = true;
    this.fullMerge = true;
    this.version++;
  }

  update(uri: string, text: string): void {
    const before = this.files.get(uri);
    // The identities stay until the new text is read: an edit that keeps them keeps the units.
    this.files.set(uri, { text, identities: before?.identities });
    if (!before) this.structureDirty = true;
    this.readStructure(uri, text);
    this.pending.add(uri);
    this.version++;
  }

  /** Like `update`, for loading many files: the text is parsed now (where the caller reads
   *  it, sharing the work with a parsing worker) unless its documents come parsed. */
  load(uri: string, text: string, documents?: YamlDoc[]): void {
    this.update(uri, text);
    if (this.isReadRaw(uri)) this.prepare(uri, this.files.get(uri)!, documents);
  }

  /** Reads and checks a file in the default namespace, ahead of its unit (a unit that places
   *  it elsewhere reads it again); its identities come from the objects read. */
  private prepare(uri: string, state: FileState, documents?: YamlDoc[]): string[] {
    state.prepared = prepareFile(uri, state.text, this.settingsValue, documents ?? safeParse(state.text), undefined, undefined, this.keepsNodes(uri));
    state.identities = state.prepared.parsed.objects.filter((o) => o.name).map(identityOf);
    return state.identities;
  }

  /** Files whose documents are read as YAML here (kustomizations are read on their own). */
  private isReadRaw(uri: string): boolean {
    const name = baseName(uri);
    return !KUSTOMIZATION_FILES.has(name) && name !== 'Chart.yaml' && !/\/templates\//.test(uri);
  }

  markSkipped(uri: string, reason: string): void {
    if (!this.files.has(uri)) this.structureDirty = true;
    this.files.set(uri, { text: '', skipReason: reason });
    this.readStructure(uri, '');
    this.pending.add(uri);
    this.version++;
  }

  remove(uri: string): void {
    if (!this.files.has(uri)) return;
    this.files.delete(uri);
    this.readStructure(uri, undefined);
    this.structureDirty = true;
    this.pending.add(uri);
    this.version++;
  }

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  /** The text a file was last read with (undefined for unknown or skipped files). */
  textOf(uri: string): string | undefined {
    const f = this.files.get(uri);
    return f && f.skipReason === undefined ? f.text : undefined;
  }

  uris(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Objects read in some unit (a file read in two units counts once). */
  objectCount(): number {
    this.flush();
    let n = 0;
    for (const [uri, units] of this.membership) n += this.models.get(units[0])?.file(uri)?.objects.length ?? 0;
    return n;
  }

  units(): UnitInfo[] {
    const all = this.allDiagnostics();
    return this.plans.map((p) => this.describe(p, all));
  }

  private describe(p: UnitPlan, all: ReadonlyMap<string, Diagnostic[]>): UnitInfo {
    const model = this.models.get(p.id);
    const render = this.renders.get(p.id);
    const rendered = render && isRendered(render) ? render : undefined;
    const modelFiles = [...p.files.keys()];
    const files = rendered ? [...rendered.map.sources()].sort() : modelFiles;
    const objects = model ? modelFiles.flatMap((f) => model.file(f)?.objects ?? []) : [];
    const counts = { error: 0, warning: 0, information: 0, hint: 0 };
    const ownFiles = new Set([...files, ...p.notes.map((n) => n.uri), ...(render ? render.notes.map((n) => n.uri) : [])]);
    for (const uri of ownFiles) for (const d of all.get(uri) ?? []) if (d.unit === undefined || d.unit === p.name) counts[d.severity]++;
    return {
      id: p.id, name: p.name, kind: p.kind, origin: p.origin, exact: p.exact,
      readAs: rendered ? `${p.kind} (${rendered.summary})` : p.kind === 'helm' ? `helm (not analysed${render ? ', rendering failed' : ''})` : p.kind === 'kustomize' ? `kustomize (unrendered${render ? ', rendering failed' : ''}${p.exact ? '' : ', transformers not applied'})` : 'plain',
      renderer: rendered?.tool,
      valuesFiles: p.kind === 'helm' ? this.uris().filter((u) => u.startsWith(`${p.id}/`) && /^values[^/]*\.ya?ml$/.test(u.slice(p.id.length + 1))) : undefined,
      files, objects: objects.length, customObjects: objects.filter((o) => o.custom).length,
      errors: counts.error, warnings: counts.warning, information: counts.information,
    };
  }

  unitCount(): number {
    this.flush();
    return this.plans.length;
  }

  /** Helm charts found that are not analysed (not rendered); library charts have no objects
   *  of their own to analyse. */
  chartCount(): number {
    this.flush();
    return this.plans.filter((p) => p.kind === 'helm' && !this.isRenderedUnit(p.id) && !this.chartOf(p.id)?.library).length;
  }

  /** The Chart.yaml of a Helm unit, read. */
  private chartOf(unitId: string): { name: string; library: boolean } | undefined {
    const chartFile = this.charts.get(unitId);
    return chartFile ? readChart(this.files.get(chartFile)?.text ?? '') : undefined;
  }

  /** Units analysed from rendered output. */
  renderedCount(): number {
    this.flush();
    return this.plans.filter((p) => this.isRenderedUnit(p.id)).length;
  }

  private isRenderedUnit(id: string): boolean {
    const r = this.renders.get(id);
    return !!r && isRendered(r);
  }

  /** The name of the unit a file is read in (or whose note it carries). */
  unitNameOf(uri: string): string | undefined {
    return this.planOf(uri)?.name;
  }

  /** The unit a file is read in (the first, when several Kustomize roots share it). */
  unitOf(uri: string): UnitInfo | undefined {
    const plan = this.planOf(uri);
    return plan && this.describe(plan, this.allDiagnostics());
  }

  private planOf(uri: string): UnitPlan | undefined {
    this.flush();
    const id = this.membership.get(uri)?.[0];
    return id !== undefined ? this.plans.find((p) => p.id === id) : this.plans.find((p) => p.notes.some((n) => n.uri === uri));
  }

  /** The model of a file's unit; an empty model for files read in none. */
  modelFor(uri: string): ClusterModel {
    this.flush();
    const id = this.membership.get(uri)?.[0] ?? this.renderedSources.get(uri)?.[0];
    return (id !== undefined && this.models.get(id)) || this.emptyModel;
  }

  /** The model of a unit by id or name; undefined if there is no such unit. */
  unitModel(idOrName: string): ClusterModel | undefined {
    this.flush();
    const plan = this.plans.find((p) => p.id === idOrName || p.name === idOrName);
    return plan ? this.models.get(plan.id) ?? this.emptyModel : undefined;
  }

  /** The unit with the most objects (the topology's default when no file is at hand). */
  mainModel(): ClusterModel {
    const id = this.mainUnitId();
    return (id !== undefined && this.models.get(id)) || this.emptyModel;
  }

  /** The name of the unit a model belongs to. */
  unitNameOfModel(model: ClusterModel): string | undefined {
    for (const [id, m] of this.models) if (m === model) return this.plans.find((p) => p.id === id)?.name;
    return undefined;
  }

  /** Whether a file is read in some unit (patches, chart files and the like are not). */
  isInUnit(uri: string): boolean {
    this.flush();
    return !!this.membership.get(uri)?.length || this.renderedSources.has(uri);
  }

  /** The units a host should render: Kustomize roots and Helm charts (library charts are
   *  rendered with the charts that use them). */
  renderTargets(): RenderTarget[] {
    this.flush();
    // Asked on every keystroke (does this file feed a rendered unit?): kept until the units
    // are decided again.
    if (this.targetsCache) return this.targetsCache;
    const out: RenderTarget[] = [];
    for (const p of this.plans) {
      if (p.kind === 'plain') continue;
      if (p.kind === 'kustomize') {
        const rootFile = this.kustomizations.get(p.id)?.uri;
        if (rootFile) out.push({ unitId: p.id, name: p.name, kind: 'kustomize', root: p.id, rootFile, dirs: p.inputDirs ?? [p.id], remote: p.remote ?? [] });
        continue;
      }
      const chartFile = this.charts.get(p.id);
      const chart = this.chartOf(p.id);
      if (!chartFile || !chart || chart.library) continue;
      const setting = this.chartSetting(p.id);
      out.push({
        unitId: p.id, name: p.name, kind: 'helm', root: p.id, rootFile: chartFile, dirs: [p.id], remote: [],
        helm: {
          release: setting.release ?? (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(chart.name) ? chart.name : 'release'),
          namespace: setting.namespace ?? this.settingsValue.defaultNamespace,
          values: (setting.values ?? []).map((v) => `${p.id}/${v}`),
        },
      });
    }
    this.targetsCache = out;
    return out;
  }

  private targetsCache?: RenderTarget[];

  /** A render result from the host: the unit is then analysed from the rendered output
   *  (or, when rendering failed, read as before with a note saying why). */
  setRendered(result: RenderResult): void {
    const before = this.renders.get(result.unitId);
    this.renders.set(result.unitId, result);
    const vUri = renderedUriOf(result.unitId);
    if (before && isRendered(before) && isRendered(result) && this.virtual.has(vUri)) {
      // Same unit, new output: the model re-reads the text (only the documents that changed).
      this.virtual.set(vUri, { text: result.text });
      this.pending.add(vUri);
      this.fullMerge = true;
    } else this.structureDirty = true;
    this.version++;
  }

  /** Forgets a unit's render result (rendering turned off). */
  clearRendered(unitId?: string): void {
    for (const id of unitId === undefined ? [...this.renders.keys()] : [unitId]) if (this.renders.delete(id)) this.structureDirty = true;
    this.version++;
  }

  /** For a source file of rendered units (a base, a patch, a template): the rendered node
   *  that a position in it wrote, in each unit that renders it (for hovers and navigation). */
  renderedAt(uri: string, pos: Position): RenderedPlace[] {
    this.flush();
    if (this.membership.get(uri)?.length) return [];
    const out: RenderedPlace[] = [];
    for (const id of this.renderedSources.get(uri) ?? []) {
      const r = this.renders.get(id);
      const model = this.models.get(id);
      if (!r || !isRendered(r) || !model) continue;
      const at = r.map.renderedAt(uri, pos);
      if (!at) continue;
      const vUri = renderedUriOf(id);
      out.push({
        model, uri: vUri, position: SourceText.of(vUri, r.text).position(at.offset), unit: this.plans.find((p) => p.id === id)?.name ?? id,
        tool: r.tool, text: r.text.slice(at.offset, at.end).split('\n')[0], spot: at.spot,
      });
    }
    return out;
  }

  /** A place in a unit's rendered output → the source place that wrote it (other places
   *  are returned as they are). */
  toSource(uri: string, range: Diagnostic['range']): { uri: string; range: Diagnostic['range'] } {
    for (const [id, r] of this.renders) {
      if (!isRendered(r) || renderedUriOf(id) !== uri) continue;
      const spot = r.map.lookup(SourceText.of(uri, r.text).offsetAt(range.start));
      return spot ? spot.base ?? { uri: spot.uri, range: spot.range } : { uri: this.kustomizations.get(id)?.uri ?? this.charts.get(id) ?? uri, range: NO_RANGE };
    }
    return { uri, range };
  }

  /** The render result of a unit, if any. */
  renderOf(unitId: string): RenderResult | undefined {
    return this.renders.get(unitId);
  }

  /** How a chart is rendered: the editor's or command line's \`charts\` setting over the
   *  \`.ksi.yaml\` of its workspace folder (both keyed by the chart folder relative to it). */
  private chartSetting(chartId: string): ChartSetting {
    for (const root of [...this.roots].sort((a, b) => b.length - a.length)) {
      if (!isUnder(chartId, root)) continue;
      const rel = relativeTo(root, chartId);
      return { ...this.declared.get(root)?.charts[rel], ...this.settingsValue.charts?.[rel] };
    }
    return {};
  }

  mainUnitId(): string | undefined {
    this.flush();
    let best: string | undefined;
    let most = -1;
    for (const [id, m] of this.models) {
      const n = m.objectCount();
      if (n > most) {
        most = n;
        best = id;
      }
    }
    return best;
  }

  diagnostics(uri: string): Diagnostic[] {
    return this.allDiagnostics().get(uri) ?? [];
  }

  revision(uri: string): number {
    this.allDiagnostics();
    return this.revisions.get(uri) ?? 0;
  }

  /** A file's findings that need only the file (see `ClusterModel.ownDiagnostics`), as its
   *  units show them: what a host can publish before the rest of the workspace is read. */
  ownDiagnostics(uri: string): Diagnostic[] {
    this.flush();
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const id of this.membership.get(uri) ?? []) {
      const plan = this.plans.find((p) => p.id === id);
      const model = this.models.get(id);
      if (!plan || !model) continue;
      for (const d of model.ownDiagnostics(uri)) {
        if (!plan.exact && !ALWAYS_TRUE.has(d.code)) continue;
        const key = `${d.range.start.line}:${d.range.start.character}:${d.code}:${d.message}`;
        if (!seen.has(key)) out.push(d);
        seen.add(key);
      }
    }
    return out.sort(compareDiagnostics);
  }

  /** How to read the rest of a workspace with the open files first. `unread` holds the
   *  scanned headers of the files not read yet (undefined where the scan could not tell);
   *  units are foreseen from them. For each open file of a plain unit: first the unread files
   *  whose headers could not be scanned (they could change its unit), then those with objects
   *  in its namespaces, then the rest of its unit; and the milestones after which a preview of
   *  its findings is final (`previewDiagnostics`). */
  readingPlan(unread: ReadonlyMap<string, Header[] | undefined>, open: string[]): ReadingPlan {
    const { plans } = this.foreseeUnits(unread);
    const first: string[] = [];
    const milestones = new Map<string, Milestone[]>();
    const unknown = plans.filter((p) => p.kind === 'plain').flatMap((p) => [...p.files.keys()]).filter((f) => unread.has(f) && !unread.get(f));
    for (const uri of open) {
      const plan = plans.find((p) => p.files.has(uri));
      if (!plan || plan.kind !== 'plain') continue;
      const namespaces = this.namespacesOf(uri);
      const unitFiles = [...plan.files.keys()].filter((f) => unread.has(f));
      const inNamespaces = unitFiles.filter((f) => this.mayHold(unread.get(f), namespaces));
      first.push(...unknown, ...inNamespaces, ...unitFiles);
      const list: Milestone[] = [];
      // A preview is worth its cost only when it waits for far fewer files than what follows.
      if (namespaces.size && inNamespaces.length < unitFiles.length / 2) list.push({ scope: 'namespaces', files: [...new Set([...unknown, ...inNamespaces])] });
      if (unitFiles.length < unread.size / 2) list.push({ scope: 'unit', files: [...new Set([...unknown, ...unitFiles])] });
      milestones.set(uri, list);
    }
    const order = [...new Set([...first, ...unread.keys()])];
    return { order, milestones };
  }

  /** An open file's findings while the workspace is still read: computed in a model of only
   *  the files they depend on (`scope` 'unit': its unit's; 'namespaces': those of its unit
   *  with objects in its namespaces, leaving out the cluster-wide findings). Undefined while
   *  one of them is unread, or when its unit cannot be foreseen (an unscanned file unread) or
   *  is not a plain one (Kustomize and Helm units are published rendered). */
  previewDiagnostics(uri: string, unread: ReadonlyMap<string, Header[] | undefined>, scope: Milestone['scope']): Diagnostic[] | undefined {
    const { plans, unknown } = this.foreseeUnits(unread);
    if ([...unknown].some((f) => unread.has(f))) return undefined;
    const plan = plans.find((p) => p.files.has(uri));
    if (!plan || plan.kind !== 'plain' || !plan.exact) return undefined;
    let files = [...plan.files.keys()];
    if (scope === 'unit' && files.some((f) => unread.has(f))) return undefined;
    if (scope === 'namespaces') {
      const namespaces = this.namespacesOf(uri);
      if (files.some((f) => this.mayHold(unread.get(f), namespaces))) return undefined;
      files = files.filter((f) => !unread.has(f) && this.parsedObjects(f).some((o) => namespaces.has(o.namespace)));
    }
    const settings = this.settingsFor(plan.id);
    const model = new ClusterModel(settings, this.keepsNodes);
    for (const f of files) {
      const state = this.files.get(f);
      if (!state) continue;
      if (state.skipReason !== undefined) model.markSkipped(f, state.skipReason);
      // Read-ahead files are shared, not taken: their unit's model takes them later.
      else model.update(f, state.text, undefined, undefined, state.prepared);
    }
    const list = scope === 'unit' ? model.diagnostics(uri) : model.namespaceDiagnostics(uri);
    return plans.length > 1 ? list.map((d) => ({ ...d, unit: plan.name })) : list;
  }

  /** The units as they will be once every file is read: unread files count with the
   *  identities their headers promise (`unknown`: plain files whose headers could not be
   *  scanned, counted as declaring nothing). */
  private foreseeUnits(unread: ReadonlyMap<string, Header[] | undefined>): { plans: UnitPlan[]; unknown: Set<string> } {
    const unknown = new Set<string>();
    const facts: WorkspaceFacts = {
      uris: [...new Set([...this.files.keys(), ...unread.keys()])].sort(),
      kustomizations: this.kustomizations,
      charts: this.charts,
      identities: (uri) => {
        const s = this.files.get(uri);
        if (s) return this.identitiesOf(uri, s);
        const headers = unread.get(uri);
        if (!headers) unknown.add(uri);
        return headers ? identitiesOf(headers, this.settingsValue.defaultNamespace) : [];
      },
      roots: this.roots,
      declared: this.declaredUnits(),
    };
    return { plans: discoverUnits(facts), unknown };
  }

  private declaredUnits(): WorkspaceFacts['declared'] {
    return [...this.roots].map((root) => ({ root, patterns: [...(this.declared.get(root)?.units ?? []), ...this.settingsValue.units] }));
  }

  /** The namespaces a read file's objects live in (cluster-scoped ones aside). */
  private namespacesOf(uri: string): Set<string> {
    return new Set(this.parsedObjects(uri).map((o) => o.namespace).filter(Boolean));
  }

  /** Whether an unread file's headers put an object in one of `namespaces`. */
  private mayHold(headers: Header[] | undefined, namespaces: Set<string>): boolean {
    return !!headers?.some((h) => namespaces.has(namespaceOf(h, this.settingsValue.defaultNamespace)));
  }

  /** A read file's objects, as read in the default namespace (parsed here if need be). */
  private parsedObjects(uri: string): { namespace: string }[] {
    const state = this.files.get(uri);
    if (!state || state.skipReason !== undefined) return [];
    if (state.prepared) return state.prepared.parsed.objects;
    const units = this.membership.get(uri);
    const fed = !this.pending.has(uri) && units?.length ? this.models.get(units[0])?.file(uri) : undefined;
    if (fed && !this.placementOf(units![0], uri)) return fed.objects;
    this.prepare(uri, state);
    return state.prepared!.parsed.objects;
  }

  /** Findings of every file, across units (a unit's name is on each finding when there is
   *  more than one unit). The map is the workspace's own: read it, do not change it. */
  allDiagnostics(): ReadonlyMap<string, Diagnostic[]> {
    this.flush();
    // Every change bumps `version`; between changes the merged lists stand (the server asks
    // for each file's revision after an edit, which must not merge everything again).
    if (this.mergedAt === this.version) return this.merged;
    this.mergedAt = this.version;
    const perModel = new Map<string, ReadonlyMap<string, Diagnostic[]>>();
    for (const [id, m] of this.models) perModel.set(id, m.allDiagnostics());
    const plansById = new Map(this.plans.map((p) => [p.id, p]));
    const notes = this.notes;
    const many = this.plans.length > 1;
    // Only files whose unit lists changed are merged again, unless units or notes changed.
    let changed: Set<string> | undefined = this.fullMerge ? undefined : new Set(this.touched);
    for (const m of this.models.values()) {
      const revised = m.takeRevised();
      if (!revised) changed = undefined;
      else if (changed) for (const uri of revised) changed.add(uri);
    }
    this.fullMerge = false;
    this.touched.clear();
    // Rendered units: their findings moved to the source lines (recomputed when they change).
    const mappedByUri = new Map<string, { id: string; list: Diagnostic[] }[]>();
    for (const [id, r] of this.renders) {
      const model = this.models.get(id);
      if (!isRendered(r) || !model || !plansById.has(id)) continue;
      const before = this.mappedCache.get(id)?.byUri;
      const byUri = this.mappedFindings(id, model, perModel.get(id)!);
      if (changed && before !== byUri) for (const uri of [...(before?.keys() ?? []), ...byUri.keys()]) changed.add(uri);
      for (const [uri, list] of byUri) {
        const entries = mappedByUri.get(uri) ?? [];
        entries.push({ id, list });
        mappedByUri.set(uri, entries);
      }
    }
    const next = changed ? this.merged : new Map<string, Diagnostic[]>();
    // Rendered findings may land on files outside the workspace folders (a base elsewhere).
    const targets = changed ?? (mappedByUri.size ? new Set([...this.files.keys(), ...mappedByUri.keys()]) : this.files.keys());
    for (const uri of targets) {
      if (this.virtual.has(uri)) continue;
      if (!this.files.has(uri) && !mappedByUri.has(uri)) {
        if (next.delete(uri)) this.revisions.set(uri, ++this.revisionCounter);
        this.mergedSignature.delete(uri);
        continue;
      }
      const units = this.membership.get(uri) ?? [];
      const mapped = mappedByUri.get(uri) ?? [];
      const own = this.configuredNotes(uri, notes.get(uri));
      // Signature: which unit lists (by identity and model revision) make up this file's list.
      const signature = units.map((id) => `${id}:${plansById.get(id)!.name}:${plansById.get(id)!.exact}@${this.models.get(id)!.revision(uri)}`).join('|')
        + mapped.map((m) => `|r${m.id}@${this.models.get(m.id)!.revision(renderedUriOf(m.id))}:${this.mappedCache.get(m.id)!.text.length}`).join('')
        + (own ? `|n${own.map((d) => `${d.severity}${d.message}`).join('|')}` : '') + (this.suppressedNotes.has(uri) ? `|s${this.suppressedNotes.get(uri)}` : '') + (many ? '|m' : '');
      if (this.mergedSignature.get(uri) === signature && this.merged.has(uri)) {
        next.set(uri, this.merged.get(uri)!);
        continue;
      }
      let list: Diagnostic[];
      if (units.length === 1 && !mapped.length && !own && !many && plansById.get(units[0])!.exact) list = perModel.get(units[0])!.get(uri) ?? [];
      else {
        list = [];
        // One finding per place, code and message. The same finding from several units (a
        // base shared by overlays) is listed once, naming each unit; where the units word it
        // differently (\`prod-web\`, \`staging-web\`), the other wordings are related
        // information at the same place.
        const seen = new Map<string, { entry: Diagnostic; units: Set<string>; messages: Set<string> }>();
        const add = (d: Diagnostic, unitName: string) => {
          const key = `${d.range.start.line}:${d.range.start.character}:${d.code}`;
          const earlier = seen.get(key);
          if (earlier && (earlier.messages.has(d.message) || (many && !earlier.units.has(unitName)))) {
            if (!many || earlier.units.has(unitName)) return;
            earlier.units.add(unitName);
            earlier.entry.unit = [...earlier.units].join(', ');
            if (!earlier.messages.has(d.message)) {
              earlier.messages.add(d.message);
              earlier.entry.related = [...(earlier.entry.related ?? []), { uri: d.uri, range: d.range, message: `In ${unitName}: ${d.message}` }];
            }
            return;
          }
          const entry = many ? { ...d, unit: unitName } : d;
          if (!earlier) seen.set(key, { entry, units: new Set([unitName]), messages: new Set([d.message]) });
          list.push(entry);
        };
        for (const id of units) {
          const plan = plansById.get(id)!;
          for (const d of perModel.get(id)!.get(uri) ?? []) {
            if (!plan.exact && !ALWAYS_TRUE.has(d.code)) continue;
            add(d, plan.name);
          }
        }
        for (const m of mapped) for (const d of m.list) add(d, plansById.get(m.id)!.name);
        if (own) list.push(...own.map((d) => (many || d.unit === undefined ? d : { ...d, unit: undefined })));
        list.sort(compareDiagnostics);
      }
      next.set(uri, list);
      if (this.mergedSignature.get(uri) !== signature) this.revisions.set(uri, ++this.revisionCounter);
      this.mergedSignature.set(uri, signature);
    }
    if (!changed) for (const uri of this.merged.keys()) if (!next.has(uri)) {
      this.revisions.set(uri, ++this.revisionCounter);
      this.mergedSignature.delete(uri);
    }
    this.merged = next;
    return this.merged;
  }

  // ------------------------------------------------------------------ internals

  /** Keeps the facts that decide units (kustomizations, charts, .ksi.yaml) up to date. */
  private readStructure(uri: string, text: string | undefined) {
    const name = baseName(uri);
    const dir = dirOf(uri);
    if (KUSTOMIZATION_FILES.has(name)) {
      if (text === undefined) this.kustomizations.delete(dir);
      else this.kustomizations.set(dir, { uri, k: readKustomization(text) });
      this.structureDirty = true;
    } else if (name === 'Chart.yaml') {
      if (text === undefined) this.charts.delete(dir);
      else this.charts.set(dir, uri);
      this.structureDirty = true;
    } else if (name === CONFIG_FILE && this.roots.includes(dir)) {
      this.configProblems.delete(uri);
      if (text === undefined) this.declared.delete(dir);
      else {
        const config = readConfig(uri, text);
        this.declared.set(dir, config);
        if (config.problems.length) this.configProblems.set(uri, config.problems);
      }
      this.structureDirty = true;
    }
  }

  private identitiesOf(uri: string, state: FileState): string[] {
    if (state.identities) return state.identities;
    if (state.skipReason !== undefined) return (state.identities = []);
    const units = this.membership.get(uri);
    const parsed = !state.prepared && !this.pending.has(uri) && units?.length ? this.models.get(units[0])?.file(uri) : undefined;
    if (parsed) return (state.identities = parsed.objects.filter((o) => o.name).map(identityOf));
    if (state.prepared) return (state.identities = state.prepared.parsed.objects.filter((o) => o.name).map(identityOf));
    return this.prepare(uri, state);
  }

  /** Brings units and their models up to date with the files changed since the last call. */
  private flush() {
    if (this.pending.size === 0 && !this.structureDirty) return;
    // An edit that keeps a plain file's objects (the usual keystroke) keeps the units.
    for (const uri of this.pending) {
      const state = this.files.get(uri);
      if (!state || this.structureDirty) continue;
      const before = state.identities;
      const units = this.membership.get(uri);
      if (units?.length === 1 && this.plans.find((p) => p.id === units[0])?.kind === 'plain') {
        this.feed(units[0], uri, state);
        this.pending.delete(uri);
        state.identities = undefined;
        const after = this.identitiesOf(uri, state);
        if (!before || before.join('\n') !== after.join('\n')) {
          this.structureDirty = true;
          this.pending.add(uri);
        }
      }
    }
    if (this.structureDirty) {
      for (const uri of this.pending) {
        const s = this.files.get(uri);
        if (s) s.identities = undefined;
      }
      this.rediscover();
    }
    for (const uri of this.pending) {
      const state = this.files.get(uri) ?? this.virtual.get(uri);
      for (const id of this.membership.get(uri) ?? []) {
        if (state) this.feed(id, uri, state);
      }
    }
    this.pending.clear();
    this.structureDirty = false;
  }

  private rediscover() {
    const uris = this.uris();
    const facts: WorkspaceFacts = {
      uris,
      kustomizations: this.kustomizations,
      charts: this.charts,
      identities: (uri) => {
        const s = this.files.get(uri);
        return s ? this.identitiesOf(uri, s) : [];
      },
      roots: this.roots,
      declared: this.declaredUnits(),
    };
    this.plans = discoverUnits(facts);
    this.targetsCache = undefined;
    this.fullMerge = true;
    this.notes = new Map();
    this.applyRenders();
    for (const p of this.plans) for (const n of p.notes) {
      const code = p.kind === 'helm' ? 'helm-chart-not-rendered' : p.kind === 'kustomize' ? 'kustomize-not-rendered' : 'units-split';
      // A split note is about a folder, not about the unit it happens to be attached to.
      this.addNote(finding(code, n.uri, NO_RANGE, n.message, { unit: code === 'units-split' ? undefined : p.name }));
    }
    for (const p of this.plans) for (const n of this.renders.get(p.id)?.notes ?? []) {
      this.addNote(finding(n.failed && !n.incomplete ? 'render-failed' : 'render-incomplete', n.uri, n.range, n.message, { unit: p.name }));
    }
    for (const list of this.configProblems.values()) for (const d of list) this.addNote(d);
    const next = new Map<string, string[]>();
    const placement = new Map<string, string | undefined>();
    for (const p of this.plans) for (const [uri, where] of p.files) {
      const list = next.get(uri) ?? [];
      list.push(p.id);
      next.set(uri, list);
      placement.set(`${p.id}\n${uri}`, where.forceNamespace);
    }
    // Models of units that are gone; files that left a unit or changed namespace there.
    const planIds = new Set(this.plans.map((p) => p.id));
    for (const id of [...this.models.keys()]) if (!planIds.has(id)) this.models.delete(id);
    for (const [uri, before] of this.membership) {
      for (const id of before) {
        const m = this.models.get(id);
        if (m && !(next.get(uri) ?? []).includes(id)) m.remove(uri);
      }
    }
    const previous = this.membership;
    this.membership = next;
    for (const p of this.plans) {
      if (p.kind === 'helm' && !p.files.size) continue;
      let model = this.models.get(p.id);
      const settings = this.settingsFor(p.id);
      if (!model) {
        model = new ClusterModel(settings, this.keepsNodes);
        this.models.set(p.id, model);
      } else if (JSON.stringify(model.settings.rules) !== JSON.stringify(settings.rules)) {
        model.configure({ rules: settings.rules });
      }
      for (const [uri, where] of p.files) {
        const wasHere = previous.get(uri)?.includes(p.id);
        const sameNamespace = this.placementOf(p.id, uri) === where.forceNamespace;
        if (!wasHere || !sameNamespace || this.pending.has(uri)) this.pending.add(uri);
      }
    }
    this.placements = placement;
  }

  /** Rendered units read their rendered text (and carry the render's notes instead of the
   *  unrendered ones); results of units that are gone are dropped. */
  private applyRenders() {
    const ids = new Set(this.plans.map((p) => p.id));
    for (const id of [...this.renders.keys()]) if (!ids.has(id)) this.renders.delete(id);
    const keep = new Set<string>();
    this.renderedSources = new Map();
    for (const p of this.plans) {
      const chartFile = p.kind === 'helm' ? this.charts.get(p.id) : undefined;
      if (chartFile && this.chartOf(p.id)?.library) {
        p.notes = [{ uri: chartFile, message: `\`${p.name}\` is a library chart: it has no objects of its own, and is rendered as part of each chart that depends on it.` }];
      }
      const r = this.renders.get(p.id);
      if (!r) continue;
      p.notes = [];
      if (!isRendered(r)) continue;
      const vUri = renderedUriOf(p.id);
      keep.add(vUri);
      if (this.virtual.get(vUri)?.text !== r.text) this.virtual.set(vUri, { text: r.text });
      p.files = new Map([[vUri, {}]]);
      p.exact = true;
      for (const uri of r.map.sources()) {
        const list = this.renderedSources.get(uri) ?? [];
        list.push(p.id);
        this.renderedSources.set(uri, list);
      }
    }
    for (const uri of [...this.virtual.keys()]) if (!keep.has(uri)) this.virtual.delete(uri);
  }

  /** A rendered unit's findings moved to the source lines that wrote them (cached per model
   *  revision); source files' ksi-ignore comments apply there. */
  private mappedFindings(id: string, model: ClusterModel, all: ReadonlyMap<string, Diagnostic[]>): Map<string, Diagnostic[]> {
    const r = this.renders.get(id) as RenderedUnit;
    const vUri = renderedUriOf(id);
    const revision = model.revision(vUri);
    const cached = this.mappedCache.get(id);
    if (cached && cached.revision === revision && cached.text === r.text) return cached.byUri;
    const src = SourceText.of(vUri, r.text);
    const rootFile = this.kustomizations.get(id)?.uri ?? this.charts.get(id) ?? vUri;
    const place = (range: Diagnostic['range']) => r.map.lookup(src.offsetAt(range.start));
    const byUri = new Map<string, Diagnostic[]>();
    const seen = new Set<string>();
    for (const d of all.get(vUri) ?? []) {
      const spot = place(d.range);
      const related = (d.related ?? []).flatMap((rel) => {
        if (rel.uri !== vUri) return [rel];
        const at = place(rel.range);
        return at ? [{ ...rel, uri: at.uri, range: at.range }] : [];
      });
      const moved: Diagnostic = {
        ...d,
        uri: spot?.uri ?? rootFile,
        range: spot?.range ?? NO_RANGE,
        message: spot ? d.message : `${d.message} (line ${d.range.start.line + 1} of the rendered output)`,
        related: [...(spot?.via ?? []), ...related],
      };
      if (!moved.related!.length) delete moved.related;
      // Edits of the rendered text cannot be applied to the sources.
      delete moved.fixes;
      const key = `${moved.uri}\n${moved.range.start.line}:${moved.range.start.character}:${moved.code}:${moved.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = byUri.get(moved.uri) ?? [];
      list.push(moved);
      byUri.set(moved.uri, list);
    }
    let suppressed = 0;
    for (const [uri, list] of byUri) {
      const text = this.files.get(uri)?.text;
      if (text === undefined) continue;
      const result = applyRuleSettings(list, this.rulesFor(uri), readSuppressions(uri, text, []).suppressions);
      suppressed += result.suppressed;
      byUri.set(uri, result.shown);
    }
    this.mappedSuppressed.set(id, suppressed);
    this.mappedCache.set(id, { revision, text: r.text, byUri });
    return byUri;
  }

  private readonly mappedSuppressed = new Map<string, number>();

  /** A file's notes as its rule settings and ksi-ignore comments leave them. */
  private configuredNotes(uri: string, list: Diagnostic[] | undefined): Diagnostic[] | undefined {
    if (!list) {
      this.suppressedNotes.delete(uri);
      return undefined;
    }
    const text = this.files.get(uri)?.text ?? '';
    const { shown, suppressed } = applyRuleSettings(list, this.rulesFor(uri), readSuppressions(uri, text, []).suppressions);
    if (suppressed) this.suppressedNotes.set(uri, suppressed);
    else this.suppressedNotes.delete(uri);
    return shown.length ? shown : undefined;
  }

  /** Notes suppressed by comments, per file. */
  private readonly suppressedNotes = new Map<string, number>();

  /** Findings hidden by ksi-ignore comments and ignore annotations (counted, not shown). */
  suppressedCount(): number {
    this.allDiagnostics();
    let n = 0;
    for (const [uri, units] of this.membership) n += units.length ? this.models.get(units[0])?.suppressedIn(uri) ?? 0 : 0;
    for (const count of this.suppressedNotes.values()) n += count;
    for (const count of this.mappedSuppressed.values()) n += count;
    return n;
  }

  private placements = new Map<string, string | undefined>();
  /** The units' notes and `.ksi.yaml` problems, by file (made when units are decided). */
  private notes = new Map<string, Diagnostic[]>();

  private addNote(d: Diagnostic) {
    const list = this.notes.get(d.uri) ?? [];
    list.push(d);
    this.notes.set(d.uri, list);
  }

  /** The settings of a unit's model: the workspace's, with the rule settings of the
   *  `.ksi.yaml` of its workspace folder underneath the editor's or command line's. */
  private settingsFor(unitId: string): Settings {
    const rules = this.rulesFor(unitId);
    return rules === this.settingsValue.rules ? this.settingsValue : { ...this.settingsValue, rules };
  }

  private rulesFor(path: string): Settings['rules'] {
    const root = this.roots.filter((r) => r === '' || path === r || path.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
    const fromFile = root !== undefined ? this.declared.get(root)?.rules : undefined;
    return fromFile && Object.keys(fromFile).length ? { ...fromFile, ...this.settingsValue.rules } : this.settingsValue.rules;
  }

  private placementOf(unit: string, uri: string): string | undefined {
    return this.placements.get(`${unit}\n${uri}`);
  }

  private feed(unit: string, uri: string, state: FileState) {
    this.touched.add(uri);
    const model = this.models.get(unit);
    if (!model) return;
    if (state.skipReason !== undefined) {
      model.markSkipped(uri, state.skipReason);
      return;
    }
    // A prepared file goes to one model only: models edit their documents in place later.
    const { prepared } = state;
    state.prepared = undefined;
    // The model takes it only if read for the namespace this unit gives the file.
    model.update(uri, state.text, undefined, this.placementOf(unit, uri), prepared);
  }
}

function safeParse(text: string): YamlDoc[] {
  try {
    return parseYamlDocuments(text);
  } catch {
    return [];
  }
}

/** The fields of Chart.yaml that decide how a chart is rendered. */
function readChart(text: string): { name: string; library: boolean } | undefined {
  const name = /^name:[ \t]*["']?([^"'#\s]+)/m.exec(text)?.[1];
  return name ? { name, library: /^type:[ \t]*["']?library\b/m.test(text) } : undefined;
}
