// The language server: LSP in, model calls, LSP out. No networking logic lives here.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  CancellationToken, CodeAction, createConnection, DidChangeWatchedFilesNotification, FileChangeType, InitializeResult,
  MarkupKind, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  buildTopology, ClusterModel, codeLenses, complete, definition, documentSymbols, hover, listServices, references,
  declaredTargets, simulate, sourceCandidates, sourcesToward, withDefaults, WorkspaceModel, YamlDoc,
  connectionsOf,
} from './model';
import { findManifestFiles, FileFilter, makeFilter, readManifest } from './workspace/files';
import { loadFiles, LoadResult } from './workspace/loadFiles';
import { rangesOverlap, toCodeAction, toDocumentSymbol, toLspCompletion, toLspDiagnostic } from './lsp/convert';
import { ruleSettingProblems, SECTION, toModelSettings } from './lsp/settings';
import { ChoicesParams, ChoicesRequest, ConnectionsParams, ConnectionsRequest, TrustNotification, RequestType, SimulateParams, SimulateRequest, Status, StatusNotification, TopologyRequest, UnitParams, UnitRequest } from './protocol';
import { ignoreCommentFix } from './model/rules/suppress';
import { RenderSession } from './workspace/render/session';
import { renderedHover } from './model/language/renderedHover';
import { isRenderedUri } from './model/workspace';
import { RenderSettings } from './workspace/render/driver';
import { toRenderSettings } from './lsp/settings';
import { KUSTOMIZATION_FILES } from './model/units/kustomization';
import { CONFIG_FILE } from './model/config';
import { Header, scanHeaders } from './model/headers';
import type { Milestone } from './model/workspace';
import { growHeapInSmallSteps } from './workspace/heap';

growHeapInSmallSteps();

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** Every file of the workspace folders, in apply units (made anew when the folders are known). */
let workspace = new WorkspaceModel();
let folders: string[] = [];
let filter: FileFilter = makeFilter(workspace.settings);
let canPullConfiguration = false;
let canWatchFiles = false;
let canReportProgress = false;
let indexing = false;
/** The model revision of each file's diagnostics when they were last sent: unchanged files are
 *  not republished, and nothing is serialised to find out. */
const published = new Map<string, number>();
const DEBOUNCE_MS = 150;
const pendingEdits = new Map<string, NodeJS.Timeout>();
/** Rendering runs programs on workspace content: only in trusted workspaces (VS Code says so
 *  in the initialization options; other editors are trusted unless they say otherwise). */
let trusted = true;
let renderSettings: RenderSettings | false = toRenderSettings(undefined);
const RENDER_DEBOUNCE_MS = 250;

function diskText(uri: string): string | undefined {
  try {
    return fs.readFileSync(fileURLToPath(uri), 'utf8');
  } catch {
    return undefined;
  }
}

const rendering = new RenderSession(
  () => workspace,
  {
    toPath: (uri) => fileURLToPath(uri),
    toUri: (file) => pathToFileURL(file).href,
    read: (uri) => documents.get(uri)?.getText() ?? workspace.textOf(uri),
    unsaved: () => documents.all().map((d) => canonical(d.uri)).filter((uri) => uri.startsWith('file:') && documents.get(uri)?.getText() !== diskText(uri)),
    get workspaceRoot() {
      return folders[0] ? pathToFileURL(folders[0]).href : '';
    },
  },
  () => (trusted ? renderSettings : false),
  (run) => {
    for (const p of run.tools.problems) log(`renderer: ${p}`);
    for (const [id, ms] of run.times) log(`rendered ${id} in ${ms} ms`);
    publishChanged();
  },
);

function renderStatus(): Pick<Status, 'renderers' | 'rendered' | 'renderNote'> {
  if (!trusted) return { renderNote: 'Restricted mode: Kustomize trees and Helm charts are read without rendering (rendering runs kubectl and helm on workspace files). Trust the workspace to render them.' };
  if (renderSettings === false) return { renderNote: 'Rendering is off (kubeServiceInsight.render).' };
  const run = rendering.last;
  if (!run) return {};
  const tools = [run.tools.kustomize?.version, run.tools.helm?.version].filter(Boolean).join(', ');
  return {
    renderers: tools || 'none found',
    rendered: workspace.renderedCount(),
    renderNote: run.unavailable.length ? `${run.unavailable.length} unit${run.unavailable.length === 1 ? '' : 's'} not rendered: ${!run.tools.kustomize ? 'no kubectl or kustomize found' : ''}${!run.tools.kustomize && !run.tools.helm ? ', ' : ''}${!run.tools.helm ? 'no helm found' : ''} (set kubeServiceInsight.kubectlPath / helmPath).` : undefined,
  };
}

/** One URI spelling per file, whichever way the client wrote it. */
function canonical(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

function log(message: string) {
  connection.console.log(`[ksi] ${message}`);
}

/** Runs a handler; a failure is logged and answered with `fallback`, never crashing the server. */
function safe<P, R>(name: string, fallback: R, fn: (params: P) => R): (params: P) => R {
  return (params: P) => {
    try {
      return fn(params);
    } catch (e) {
      connection.console.error(`[ksi] ${name} failed: ${(e as Error).stack ?? e}`);
      return fallback;
    }
  };
}

function isManifestUri(uri: string): boolean {
  return /\.(ya?ml|json)$|\/Kustomization$/i.test(uri);
}

function inWorkspace(file: string): string | undefined {
  for (const root of folders) {
    const rel = path.relative(root, file);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return undefined;
}

/** Files read before the others: they decide which unit each file is in. */
function decidesUnits(file: string): boolean {
  const name = path.basename(file);
  return KUSTOMIZATION_FILES.has(name) || name === 'Chart.yaml' || name === CONFIG_FILE;
}

function loadFromDisk(file: string) {
  let result: LoadResult;
  try {
    result = readManifest(file, workspace.settings.maxFileSize);
  } catch (e) {
    result = { error: e as Error };
  }
  useLoaded(file, pathToFileURL(file).href, result);
}

function useLoaded(file: string, uri: string, r: LoadResult, documents?: YamlDoc[]) {
  if ('text' in r) workspace.load(uri, r.text, documents);
  else if ('skipped' in r) {
    workspace.markSkipped(uri, r.skipped);
    log(`skipped ${file}: ${r.skipped}`);
  } else {
    workspace.remove(uri);
    log(`cannot read ${file}: ${r.error.message}`);
  }
}

function isOpen(uri: string): boolean {
  return openUris().includes(uri);
}

function openUris(): string[] {
  return documents.all().map((d) => canonical(d.uri)).filter(isManifestUri);
}

/** What was last sent early for an open file (while the workspace is read), so an unchanged
 *  list is not sent again. */
const sentEarly = new Map<string, string>();
/** While the workspace is read: the scanned headers of the files not read yet. */
let unread: Map<string, Header[] | undefined> | undefined;
/** Open files whose unit, or namespaces, are read (see `WorkspaceModel.readingPlan`). */
const earlyScope = new Map<string, Milestone['scope']>();

/** While the workspace is being read, the open files' findings that are already certain: those
 *  that need only the file (YAML syntax, each object's own checks) at once; the cross-file ones
 *  when what they depend on is read — the file's unit, or in a large unit its namespaces (then
 *  the clashes across namespaces wait for the whole unit). */
function publishOpenEarly(which = openUris()) {
  for (const uri of which) {
    if (!workspace.has(uri)) continue;
    const scope = earlyScope.get(uri);
    const preview = scope && unread ? workspace.previewDiagnostics(uri, unread, scope) : undefined;
    const diagnostics = (preview ?? workspace.ownDiagnostics(uri)).map(toLspDiagnostic);
    const key = JSON.stringify(diagnostics);
    if (sentEarly.get(uri) === key) continue;
    sentEarly.set(uri, key);
    // Not a revision of the whole list: the full publish after the index sends it again.
    published.set(uri, -1);
    connection.sendDiagnostics({ uri, diagnostics });
  }
}

/** The open files' complete findings, where rendering cannot change them (plain units),
 *  before the Kustomize roots and charts are rendered. */
function publishOpenComplete() {
  for (const uri of openUris()) {
    if (workspace.unitOf(uri)?.kind !== 'plain') continue;
    const revision = workspace.revision(uri);
    if (published.get(uri) === revision) continue;
    published.set(uri, revision);
    connection.sendDiagnostics({ uri, diagnostics: workspace.diagnostics(uri).map(toLspDiagnostic) });
  }
}

function publishChanged() {
  // Mid-index the model lacks files: only what is certain of the open files goes out; the
  // index publishes everything at its end.
  if (indexing) return publishOpenEarly();
  sentEarly.clear();
  const all = workspace.allDiagnostics();
  for (const [uri, diags] of all) {
    const revision = workspace.revision(uri);
    if (published.get(uri) === revision) continue;
    // A file the client has no findings for needs no empty list (most files, at start-up);
    // an open file gets one, so the editor knows it was analysed.
    if (diags.length === 0 && !published.has(uri) && !isOpen(uri)) continue;
    published.set(uri, revision);
    connection.sendDiagnostics({ uri, diagnostics: diags.map(toLspDiagnostic) });
  }
  for (const uri of [...published.keys()]) {
    if (!all.has(uri)) {
      published.delete(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }
  sendStatus();
}

function sendStatus() {
  let errors = 0;
  let warnings = 0;
  for (const diags of workspace.allDiagnostics().values()) {
    for (const d of diags) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
  }
  const status: Status = {
    indexing, files: workspace.uris().length, objects: workspace.objectCount(), errors, warnings, units: workspace.unitCount(),
    chartsNotAnalysed: workspace.chartCount(), suppressed: workspace.suppressedCount(),
    ...renderStatus(),
  };
  connection.sendNotification(StatusNotification.method, status);
}

let indexRun: Promise<void> = Promise.resolve();

/** Index runs one after another (a settings change may ask for one while another reads files). */
function indexWorkspace(): Promise<void> {
  indexRun = indexRun.then(indexOnce, indexOnce);
  return indexRun;
}

async function indexOnce() {
  indexing = true;
  sendStatus();
  const files = folders.flatMap((root) => {
    try {
      return findManifestFiles(root, filter);
    } catch (e) {
      log(`cannot list ${root}: ${(e as Error).message}`);
      return [];
    }
  });
  const progress = canReportProgress ? await connection.window.createWorkDoneProgress() : undefined;
  progress?.begin('Indexing Kubernetes manifests', 0, `0/${files.length} files`, false);
  const started = Date.now();
  let lastReport = 0;
  const uris = new Map(files.map((f) => [f, pathToFileURL(f).href]));
  // Open documents are the editor's; their text on disk may be older.
  let closed = files.filter((f) => !documents.get(uris.get(f)!));
  // The open files first, with the few files that decide their units (kustomizations, charts,
  // .ksi.yaml): their own findings go out before the rest of the workspace is read.
  const structural = closed.filter(decidesUnits);
  for (const f of structural) loadFromDisk(f);
  for (const doc of documents.all()) flush(doc.uri);
  publishOpenEarly();
  // Let the message out before the work below holds this thread.
  await new Promise(setImmediate);
  closed = closed.filter((f) => !decidesUnits(f));
  const open = openUris().filter((uri) => workspace.has(uri));
  const waits: { uri: string; milestone: Milestone; left: Set<string> }[] = [];
  if (open.length) {
    // Their units and namespaces first: foreseen from the other files' headers, scanned
    // without parsing (a fraction of the parse's cost, paid only with files open).
    const byUri = new Map(closed.map((f) => [uris.get(f)!, f]));
    unread = new Map();
    for (const f of closed) {
      let headers: Header[] | undefined = [];
      try {
        // Read as Latin-1: the keys and names the scan reads are ASCII, and it is the
        // fastest decoding (loading decodes UTF-8 and reports what is not).
        const bytes = fs.readFileSync(f);
        if (bytes.length <= workspace.settings.maxFileSize) headers = scanHeaders(bytes.toString('latin1'));
      } catch {
        // unreadable: loading reports it
      }
      unread.set(uris.get(f)!, headers);
    }
    const plan = workspace.readingPlan(unread, open);
    closed = plan.order.map((uri) => byUri.get(uri)!);
    for (const [uri, list] of plan.milestones) for (const milestone of list) waits.push({ uri, milestone, left: new Set(milestone.files) });
  }
  let loaded = files.length - closed.length;
  let parsedByWorker = 0;
  try {
    parsedByWorker = await loadFiles(closed, workspace.settings.maxFileSize, (file, result, parsed) => {
      const uri = uris.get(file)!;
      if (!documents.get(uri)) useLoaded(file, uri, result, parsed); // opened meanwhile: the editor's text wins
      unread?.delete(uri);
      for (const w of waits) {
        if (!w.left.delete(uri) || w.left.size) continue;
        // An open file's unit, or its namespaces, are read: its preview is final.
        if (earlyScope.get(w.uri) !== 'unit') earlyScope.set(w.uri, w.milestone.scope);
        publishOpenEarly([w.uri]);
      }
      loaded++;
      if (progress && (Date.now() - lastReport > 100 || loaded === files.length)) {
        lastReport = Date.now();
        progress.report(Math.round((loaded / files.length) * 100), `${loaded}/${files.length} files`);
      }
    });
  } finally {
    indexing = false;
    unread = undefined;
    earlyScope.clear();
    progress?.done();
  }
  log(`indexed ${files.length} files, ${workspace.objectCount()} objects in ${Date.now() - started} ms (${parsedByWorker} files parsed by a worker thread)`);
  if (trusted && renderSettings !== false && workspace.renderTargets().length) {
    // Kustomize roots and charts are published rendered, not first raw and then again; open
    // files of plain units need not wait for them.
    publishOpenComplete();
    indexing = true;
    const rendered = Date.now();
    try {
      await rendering.runNow();
    } finally {
      indexing = false;
    }
    log(`rendered ${workspace.renderedCount()} units in ${Date.now() - rendered} ms`);
  }
  publishChanged();
}

async function pullConfiguration() {
  if (!canPullConfiguration) return;
  const raw = await connection.workspace.getConfiguration(SECTION);
  applySettings(raw);
}

/** Applies settings; true when they changed (the model then re-reads every file). */
function applySettings(raw: unknown): boolean {
  const nextRender = toRenderSettings(raw);
  if (JSON.stringify(nextRender) !== JSON.stringify(renderSettings)) {
    renderSettings = nextRender;
    if (nextRender === false) rendering.reset();
    else if (workspace.uris().length) rendering.schedule(0); // at start-up the index renders
  }
  const next = withDefaults({ ...workspace.settings, ...toModelSettings(raw) });
  if (JSON.stringify(next) === JSON.stringify(workspace.settings)) return false;
  const problems = ruleSettingProblems(raw);
  if (problems.length) void connection.window.showWarningMessage(`${SECTION}.rules: ${problems.join('; ')}. \`ksi rules\` lists the rules.`);
  workspace.configure(next);
  filter = makeFilter(workspace.settings);
  return true;
}

connection.onInitialize((params): InitializeResult => {
  folders = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  if (!folders.length && params.rootUri?.startsWith('file:')) folders = [fileURLToPath(params.rootUri)];
  workspace = new WorkspaceModel(workspace.settings, folders.map((f) => pathToFileURL(f).href));
  // Open documents keep their YAML nodes (hovers, completions and quick fixes work on them);
  // the rest keep what the checks read, and are read again when a request needs their nodes.
  workspace.keepNodes(isOpen);
  const caps = params.capabilities;
  canPullConfiguration = !!caps.workspace?.configuration;
  canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canReportProgress = !!caps.window?.workDoneProgress;
  // VS Code-style clients pull settings later; Helix and others may pass them up front,
  // either as {settings: {...}} or as {kubeServiceInsight: {...}}.
  const init = params.initializationOptions as Record<string, unknown> | undefined;
  if (init?.trusted === false) trusted = false;
  const initial = init?.[SECTION] ?? init?.settings;
  if (initial) applySettings(initial);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' '], resolveProvider: false },
      definitionProvider: true,
      referencesProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
      documentSymbolProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'kube-service-insight', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  try {
    if (canWatchFiles) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/Kustomization' }, { globPattern: '**/*.tpl' }],
      });
    }
    await pullConfiguration();
    await indexWorkspace();
  } catch (e) {
    connection.console.error(`[ksi] start-up failed: ${(e as Error).stack ?? e}`);
  }
});

connection.onNotification(TrustNotification.method, safe('trust', undefined, (params: { trusted?: unknown }) => {
  const next = params?.trusted === true;
  if (next === trusted) return;
  trusted = next;
  if (trusted) rendering.schedule(0);
  else {
    rendering.reset();
    publishChanged();
  }
}));

connection.onDidChangeConfiguration(async (change) => {
  try {
    const raw = canPullConfiguration
      ? await connection.workspace.getConfiguration(SECTION)
      : (change.settings as Record<string, unknown> | undefined)?.[SECTION];
    if (applySettings(raw)) {
      // include/exclude may bring files in or out: re-read the workspace.
      for (const uri of workspace.uris()) if (!documents.get(uri)) workspace.remove(uri);
      await indexWorkspace();
    }
  } catch (e) {
    connection.console.error(`[ksi] configuration update failed: ${(e as Error).stack ?? e}`);
  }
});

connection.onDidChangeWatchedFiles(safe('watched files', undefined, (params) => {
  for (const change of params.changes) {
    const uri = canonical(change.uri);
    if (rendering.touches(uri)) rendering.schedule(RENDER_DEBOUNCE_MS);
    if (!isManifestUri(uri)) continue;
    if (!uri.startsWith('file:') || documents.get(uri)) continue; // open documents override disk
    const file = fileURLToPath(uri);
    const rel = inWorkspace(file);
    if (change.type === FileChangeType.Deleted || !rel || !filter(rel) || !fs.existsSync(file)) workspace.remove(uri);
    else loadFromDisk(file);
  }
  publishChanged();
}));

documents.onDidChangeContent((e) => {
  const uri = canonical(e.document.uri);
  // A template, helper or values file of a rendered unit: render it again (debounced; the
  // next edit cancels a render still running).
  if (rendering.touches(uri)) rendering.schedule(RENDER_DEBOUNCE_MS);
  if (!isManifestUri(uri)) return;
  clearTimeout(pendingEdits.get(uri));
  pendingEdits.set(uri, setTimeout(safe('edit', undefined, () => {
    pendingEdits.delete(uri);
    const doc = documents.get(e.document.uri);
    if (!doc) return;
    workspace.update(uri, doc.getText());
    publishChanged();
  }), DEBOUNCE_MS));
});

documents.onDidClose(safe('close', undefined, (e) => {
  const uri = canonical(e.document.uri);
  clearTimeout(pendingEdits.get(uri));
  pendingEdits.delete(uri);
  if (!uri.startsWith('file:')) return;
  const file = fileURLToPath(uri);
  const rel = inWorkspace(file);
  if (rel && filter(rel) && fs.existsSync(file)) loadFromDisk(file);
  else workspace.remove(uri);
  publishChanged();
}));

/** The model of the unit a custom request names by `uri`, or the largest unit. */
function unitModel(params: unknown): ClusterModel {
  const uri = (params as { uri?: unknown } | null | undefined)?.uri;
  return typeof uri === 'string' && workspace.isInUnit(canonical(uri)) ? workspace.modelFor(canonical(uri)) : workspace.mainModel();
}

/** Runs a per-file feature in the model of the file's unit. */
function inUnit<R>(documentUri: string, fn: (model: ClusterModel, uri: string) => R): R {
  const uri = flush(documentUri);
  return fn(workspace.modelFor(uri), uri);
}

/** Navigation from a source line of a rendered unit: run on the rendered node, locations
 *  moved back to the lines that wrote them. */
function navigate(documentUri: string, position: import('vscode-languageserver/node').Position, fn: (model: ClusterModel, uri: string, pos: import('vscode-languageserver/node').Position) => { uri: string; range: import('./model').Range }[]) {
  const uri = flush(documentUri);
  const [place] = workspace.renderedAt(uri, position);
  if (!place) return fn(workspace.modelFor(uri), uri, position);
  const seen = new Set<string>();
  return fn(place.model, place.uri, place.position).map((l) => workspace.toSource(l.uri, l.range)).filter((l) => {
    const key = `${l.uri}:${l.range.start.line}:${l.range.start.character}`;
    return !seen.has(key) && seen.add(key);
  });
}

/** Flush a pending edit of this document so requests see what the user sees. */
function flush(uri: string): string {
  const key = canonical(uri);
  const pending = pendingEdits.get(key);
  if (pending) {
    clearTimeout(pending);
    pendingEdits.delete(key);
    const doc = documents.get(uri);
    if (doc) {
      workspace.update(key, doc.getText());
      publishChanged();
    }
  }
  return key;
}

// Requests are answered synchronously from the in-memory model (a few ms); one that was
// cancelled while queued behind an edit is answered empty without computing.
connection.onHover((p, token) => (token.isCancellationRequested ? null : hoverRequest(p)));
const hoverRequest = safe('hover', null, (p: import('vscode-languageserver/node').HoverParams) => {
  const uri = flush(p.textDocument.uri);
  const places = workspace.renderedAt(uri, p.position);
  if (places.length) {
    // A base, patch or template line: what it rendered to, in each unit (and the hover of the
    // rendered object in the first).
    const [first] = places;
    const h = hover(first.model, first.uri, first.position);
    const markdown = [h?.markdown, renderedHover(places)].filter(Boolean).join('\n\n---\n');
    return { contents: { kind: MarkupKind.Markdown, value: markdown }, range: first.spot.range };
  }
  const h = hover(workspace.modelFor(uri), uri, p.position);
  if (!h) return null;
  const unit = workspace.unitCount() > 1 ? workspace.unitNameOf(uri) : undefined;
  return { contents: { kind: MarkupKind.Markdown, value: unit ? `${h.markdown}\n\n---\n*Apply unit \`${unit}\`*` : h.markdown }, range: h.range };
});

connection.onCompletion((p, token) => (token.isCancellationRequested ? [] : completionRequest(p)));
const completionRequest = safe('completion', [], (p: import('vscode-languageserver/node').CompletionParams) => inUnit(p.textDocument.uri, (m, uri) => complete(m, uri, p.position)).map(toLspCompletion));

connection.onDefinition(safe('definition', [], (p) => navigate(p.textDocument.uri, p.position, definition)));

connection.onReferences(safe('references', [], (p) => navigate(p.textDocument.uri, p.position, references)));

connection.onCodeAction(safe('code action', [] as CodeAction[], (p) => {
  const uri = flush(p.textDocument.uri);
  const actions: CodeAction[] = [];
  for (const d of workspace.diagnostics(uri)) {
    if (!d.fixes?.length || !rangesOverlap(d.range, p.range)) continue;
    d.fixes.forEach((fix) => actions.push(toCodeAction(fix, d, d.fixes!.length === 1)));
  }
  // Ignoring a finding with a comment (YAML only: JSON has no comments).
  const text = documents.get(p.textDocument.uri)?.getText() ?? workspace.textOf(uri);
  if (text !== undefined && !/\.json$/i.test(uri)) {
    for (const d of workspace.diagnostics(uri)) {
      if (!rangesOverlap(d.range, p.range) || d.code === 'yaml-syntax') continue;
      const fix = ignoreCommentFix(text, d);
      if (fix) actions.push(toCodeAction(fix, d, false));
    }
  }
  return actions;
}));

connection.onCodeLens(safe('code lens', [], (p) => {
  const uri = flush(p.textDocument.uri);
  return codeLenses(workspace.modelFor(uri), uri).map((l) => ({
    range: l.range,
    command: l.simulate
      ? { title: l.title, command: 'kubeServiceInsight.simulateRequest', arguments: [l.simulate] }
      : { title: l.title, command: 'kubeServiceInsight.showLocations', arguments: [uri, l.range.start, l.locations] },
  }));
}));

/** Answers a custom request of protocol.ts (parameters still checked: they come from outside). */
function onRequest<P, R>(type: RequestType<P, R>, handler: (params: P, token: CancellationToken) => R): void {
  connection.onRequest(type.method, (params: P, token: CancellationToken) => handler(params, token) as never);
}

// Custom requests behind the topology panel and the Simulate Request command.
// Sent without params, so the handler's only argument is the cancellation token.
// With a `uri` (the active editor's file) they work in that file's apply unit, else in the largest.
/** Answers for the panel name files and lines; those in a unit's rendered output are moved
 *  to the source lines that wrote them (so "open file" opens the base, patch or template). */
function atSources<T>(value: T): T {
  // Most workspaces render nothing: no walk over a large topology then.
  if (!workspace.renderedCount()) return value;
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = visit(x);
    if (typeof o.uri === 'string' && isRenderedUri(o.uri) && typeof o.line === 'number') {
      const at = workspace.toSource(o.uri, { start: { line: o.line, character: 0 }, end: { line: o.line, character: 0 } });
      out.uri = at.uri;
      out.line = at.range.start.line;
    }
    return out;
  };
  return visit(value) as T;
}

onRequest(TopologyRequest, safe('topology', null, (p: UnitParams) => {
  const model = unitModel(p);
  const topology = atSources(buildTopology(model));
  const unit = workspace.unitCount() > 1 ? workspace.unitNameOfModel(model) : undefined;
  return unit ? { ...topology, unit } : topology;
}));

onRequest(ChoicesRequest, safe('choices', { sources: [], targets: [] }, (p: ChoicesParams) => {
  const model = unitModel(p);
  const services = listServices(model).map((s) => `${s.name}.${s.namespace}`);
  const hosts = model.views().flatMap((v) => v.ingresses.flatMap((i) => i.rules.map((r) => r.host).filter((h): h is string => !!h && !h.startsWith('*'))
    .map((h) => `${i.tls.some((t) => t.hosts.includes(h)) ? 'https' : 'http'}://${h}/`)));
  const to = (p as { to?: unknown } | null)?.to;
  const toward = typeof to === 'string' && to ? sourcesToward(model, to) : undefined;
  const calls = declaredTargets(model);
  return { sources: sourceCandidates(model), targets: [...new Set([...services, ...hosts])], ...(toward ? { toward } : {}), ...(Object.keys(calls).length ? { calls } : {}) };
}));

onRequest(UnitRequest, safe('unit', null, (p: { uri: string }) => {
  const uri = (p as { uri?: unknown } | null)?.uri;
  if (typeof uri !== 'string') return null;
  const u = workspace.unitOf(canonical(uri));
  return u ? { name: u.name, readAs: u.readAs } : null;
}));

onRequest(ConnectionsRequest, safe('connections', null, (p: ConnectionsParams) => {
  const r = (p ?? {}) as unknown as Record<string, unknown>;
  return connectionsOf(unitModel(p), {
    workload: typeof r.workload === 'string' ? r.workload : undefined,
    namespace: typeof r.namespace === 'string' ? r.namespace : undefined,
  });
}));

onRequest(SimulateRequest, (params, token) => (token.isCancellationRequested ? null : simulateRequest(params)));

const simulateRequest = safe('simulate', null, (p: SimulateParams) => {
  const r = (p ?? {}) as unknown as Record<string, unknown>;
  if (typeof r.from !== 'string' || typeof r.to !== 'string') return null;
  const requests = typeof r.requests === 'number' ? r.requests : 1;
  return atSources(simulate(unitModel(p), r.from, r.to, {
    requests,
    seed: typeof r.seed === 'number' ? r.seed : undefined,
    proxyMode: r.proxyMode === 'ipvs' ? 'ipvs' : 'iptables',
    clientIP: typeof r.clientIP === 'string' ? r.clientIP : undefined,
  }));
});

connection.onDocumentSymbol(safe('document symbols', [], (p) => inUnit(p.textDocument.uri, (m, uri) => documentSymbols(m, uri)).map(toDocumentSymbol)));

process.on('uncaughtException', (e) => connection.console.error(`[ksi] uncaught: ${e.stack ?? e}`));

documents.listen(connection);
connection.listen();
