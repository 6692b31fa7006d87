// The topology panel's host side: builds the webview HTML, feeds it the model's topology
// and simulation results from the language server, and acts on validated requests only.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { SimulationResult, Topology } from '../../server/src/model';
import { makeNonce, webviewHtml } from '../../webview/src/html';
import { HostMessage, parseWebviewMessage } from '../../webview/src/protocol';
import { ChoicesRequest, SimulateRequest, TopologyRequest, UnitParams, UnitRequest } from '../../server/src/protocol';
import { request } from './requests';

export const VIEW_TYPE = 'kubeServiceInsight.topology';

export class TopologyPanel {
  static current: TopologyPanel | undefined;
  private topology: Topology | null = null;
  private ready = false;
  private pending: HostMessage[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(context: vscode.ExtensionContext, client: LanguageClient): TopologyPanel {
    if (TopologyPanel.current) {
      TopologyPanel.current.panel.reveal(undefined, true);
      return TopologyPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Service Topology', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
    });
    return new TopologyPanel(panel, context, client);
  }

  constructor(readonly panel: vscode.WebviewPanel, private readonly context: vscode.ExtensionContext, private readonly client: LanguageClient) {
    TopologyPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] };
    webview.html = webviewHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.css')).toString(),
      cspSource: webview.cspSource,
      nonce: makeNonce(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        // No editor: the panel itself has focus; the last file's objects stay highlighted.
        if (!e) return;
        lastEditorUri = e.document.uri.toString();
        this.post({ type: 'active', uri: lastEditorUri });
        // A file of another apply unit: the topology is that unit's (redrawn only then).
        if (e && this.topology?.unit) void this.refreshIfOtherUnit(e.document.uri.toString());
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private async refreshIfOtherUnit(uri: string) {
    const unit = await request(this.client, UnitRequest, { uri }).catch(() => null);
    if (unit && unit.name !== this.topology?.unit) this.scheduleRefresh();
  }

  /** Re-reads the topology (after the model changed), at most every 300 ms. */
  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 300);
  }

  async refresh() {
    this.topology = await request(this.client, TopologyRequest, unitOfActiveFile());
    if (!this.topology) return;
    this.post({ type: 'topology', topology: this.topology, activeUri: activeEditorUri() });
    const choices = await request(this.client, ChoicesRequest, unitOfActiveFile());
    this.post({ type: 'choices', ...choices });
  }

  prefill(from: string, to: string, run: boolean) {
    this.post({ type: 'prefill', from, to, run });
  }

  showResult(result: SimulationResult) {
    this.post({ type: 'simulation', result });
  }

  private post(message: HostMessage) {
    if (!this.ready) {
      this.pending.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown) {
    const msg = parseWebviewMessage(raw);
    if (!msg) return; // not a message we know: dropped
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.pending;
        this.pending = [];
        // A failed refresh must not hold back what was queued (a simulation result, say).
        await this.refresh().catch((e) => console.error(`topology refresh failed: ${(e as Error).message}`));
        queued.forEach((m) => this.post(m));
        break;
      }
      case 'open':
        await this.openObject(msg.uri, msg.line);
        break;
      case 'simulate': {
        const result = await runSimulation(this.client, this.context, msg.from, msg.to, msg.requests);
        if (result) this.showResult(result);
        break;
      }
    }
  }

  /** Opens only files the model knows, inside the workspace. */
  private async openObject(uri: string, line: number) {
    const known = this.topology?.nodes.some((n) => n.uri === uri);
    const target = vscode.Uri.parse(uri, true);
    if (!known || target.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(target)) return;
    const doc = await vscode.workspace.openTextDocument(target);
    const pos = new vscode.Position(Math.min(line, doc.lineCount - 1), 0);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    // Set explicitly: an editor that is already open may ignore the `selection` option.
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose() {
    TopologyPanel.current = undefined;
    clearTimeout(this.refreshTimer);
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}

/** Recent Simulate pairs, per workspace (the names are the workspace's). */
const RECENT_KEY = 'kubeServiceInsight.recentSimulations';

let lastManifestUri: string | undefined;
/** The last text editor's file (while the panel has focus there is none). */
let lastEditorUri: string | null = null;

function activeEditorUri(): string | null {
  const uri = vscode.window.activeTextEditor?.document.uri.toString();
  if (uri) lastEditorUri = uri;
  return lastEditorUri;
}

/** The file whose apply unit the panel and the simulator work in: the active manifest, or
 *  the last one (the panel itself has focus while it is used). */
export function unitOfActiveFile(): UnitParams {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && /\.(ya?ml|json)$/i.test(doc.uri.path)) lastManifestUri = doc.uri.toString();
  return lastManifestUri ? { uri: lastManifestUri } : {};
}

/** Runs a simulation in the server and remembers the pair for the next pick. */
export async function runSimulation(client: LanguageClient, context: vscode.ExtensionContext, from: string, to: string, requests: number): Promise<SimulationResult | null> {
  const result = await request(client, SimulateRequest, { from, to, requests, ...unitOfActiveFile() });
  if (result) {
    const recent = context.workspaceState.get<{ from: string; to: string }[]>(RECENT_KEY, []).filter((p) => p.from !== from || p.to !== to);
    await context.workspaceState.update(RECENT_KEY, [{ from, to }, ...recent].slice(0, 10));
  }
  return result;
}

/** Asks for a source and a target with quick picks offering the workspace's objects. */
export async function pickSimulation(client: LanguageClient, context: vscode.ExtensionContext, preset: { from?: string; to?: string }): Promise<{ from: string; to: string } | undefined> {
  const choices = await request(client, ChoicesRequest, { ...unitOfActiveFile(), ...(preset.to && !preset.from ? { to: preset.to } : {}) });
  const recent = context.workspaceState.get<{ from: string; to: string }[]>(RECENT_KEY, []);
  let from = preset.from;
  let to = preset.to;
  if (!from && !to && recent.length) {
    const again = await vscode.window.showQuickPick(
      [...recent.map((p) => ({ label: `${p.from} → ${p.to}`, description: 'recent', pair: p })), { label: 'New request…', pair: undefined }],
      { title: 'Simulate Request', placeHolder: 'Repeat a recent request or start a new one' });
    if (!again) return undefined;
    if (again.pair) return again.pair;
  }
  if (!from) {
    const what = (s: string) => s === 'external' ? 'a client outside the cluster' : s.startsWith('node/') ? 'a node (simulated)' : 'one pod of this workload';
    // Toward a preset target, the clients that reach it come first (and say so).
    const items = choices.toward
      ? choices.toward.map((c) => ({ label: c.source, description: `${c.reaches ? '✓ reaches it' : `✗ ${c.note}`} · ${what(c.source)}` }))
      : choices.sources.map((s) => ({ label: s, description: what(s) }));
    const pick = await vscode.window.showQuickPick(items,
      { title: to ? `Simulate Request to ${to}: from` : 'Simulate Request: from', placeHolder: 'Where the request starts' });
    if (!pick) return undefined;
    from = pick.label;
  }
  if (!to) {
    const qp = vscode.window.createQuickPick();
    qp.title = `Simulate Request: from ${from} to`;
    qp.placeholder = 'A Service name, URL, host[:port][/path] or IP — type anything';
    // The calls the source's manifests declare come first, each with where it is written.
    const declared = (choices.calls?.[from] ?? []).map((c) => ({ label: c.target, description: `${c.ok ? '✓' : '✗'} declared in ${c.where}` }));
    const items = [...declared, ...choices.targets.filter((t) => !declared.some((d) => d.label === t)).map((t) => ({ label: t }))];
    const known = new Set(items.map((i) => i.label));
    qp.items = items;
    qp.onDidChangeValue((v) => { qp.items = v && !known.has(v) ? [{ label: v, description: 'as typed' }, ...items] : items; });
    to = await new Promise<string | undefined>((resolve) => {
      // A value typed exactly as a target is that target: the selection the workbench reports
      // can lag behind the items replaced while typing (it once ran cache.shop for api.shop).
      qp.onDidAccept(() => { resolve(known.has(qp.value) ? qp.value : qp.selectedItems[0]?.label ?? qp.value); qp.hide(); });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!to) return undefined;
  }
  return { from, to };
}
