// The VS Code extension: starts the language server and shows its state. All analysis
// happens in the server; this file only wires VS Code UI to it.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CloseAction, CloseHandlerResult, ErrorAction, ErrorHandler, ErrorHandlerResult, LanguageClient, LanguageClientOptions, Message,
  ServerOptions, TransportKind,
} from 'vscode-languageclient/node';
import type { SimulationResult } from '../../server/src/model';
import { pickSimulation, runSimulation, TopologyPanel, VIEW_TYPE } from './panel';
import { Status, StatusNotification, TrustNotification, UnitRequest } from '../../server/src/protocol';
import { onNotification, request } from './requests';


let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Kube Service Insight', { log: true });
  const status = vscode.window.createStatusBarItem('kubeServiceInsight.status', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Kube Service Insight';
  status.command = 'kubeServiceInsight.showTopology';
  context.subscriptions.push(output, status);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', pattern: '**/*.{yaml,yml}' },
      { scheme: 'file', language: 'json' },
      // Helm helpers: an unsaved edit re-renders the chart.
      { scheme: 'file', pattern: '**/templates/**/*.tpl' },
    ],
    synchronize: { configurationSection: 'kubeServiceInsight' },
    // Rendering (kubectl kustomize, helm template) runs only in trusted workspaces.
    initializationOptions: { trusted: vscode.workspace.isTrusted },
    outputChannel: output,
    errorHandler: restartingErrorHandler(output),
  };
  client = new LanguageClient('kubeServiceInsight', 'Kube Service Insight', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('kubeServiceInsight.showTopology', () => {
      TopologyPanel.show(context, client!);
    }),
    // Arguments (from code lenses, other extensions and tests): {from?, to?, requests?}. Returns the result.
    vscode.commands.registerCommand('kubeServiceInsight.simulateRequest', async (args?: { from?: string; to?: string; requests?: number }): Promise<SimulationResult | undefined> => {
      const pair = args?.from && args?.to ? { from: args.from, to: args.to } : await pickSimulation(client!, context, args ?? {});
      if (!pair) return undefined;
      const panel = TopologyPanel.show(context, client!);
      const result = await runSimulation(client!, context, pair.from, pair.to, args?.requests ?? 100);
      if (!result) return undefined;
      panel.prefill(pair.from, pair.to, false);
      panel.showResult(result);
      return result;
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        new TopologyPanel(panel, context, client!);
      },
    }),
    vscode.commands.registerCommand('kubeServiceInsight.restartServer', async () => {
      output.info('Restarting the language server');
      await client?.restart();
    }),
    // Code lenses carry plain LSP locations; VS Code's reference view wants its own types.
    vscode.commands.registerCommand('kubeServiceInsight.showLocations', (uri: string, position: { line: number; character: number }, locations: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[]) => {
      const toPos = (p: { line: number; character: number }) => new vscode.Position(p.line, p.character);
      return vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), toPos(position),
        locations.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(toPos(l.range.start), toPos(l.range.end)))));
    }),
  );

  let last: Status | undefined;
  /** The last status of a finished index: while the workspace is read again, the item keeps
   *  showing it (no flicker, no partial counts). */
  let settled: Status | undefined;
  let activeUnit: string | undefined;
  const render = () => {
    if (last?.indexing && !settled) {
      status.text = '$(sync~spin) Kubernetes: indexing…';
      status.tooltip = 'Kube Service Insight is reading the workspace manifests';
      status.show();
      return;
    }
    const s = last?.indexing ? settled : last;
    if (!s) return;
    // Quiet on workspaces without manifests (a lone Helm chart still says it is not analysed).
    if (!s.indexing && s.objects === 0 && !s.chartsNotAnalysed) {
      status.hide();
      return;
    }
    const many = (s.units ?? 1) > 1;
    const unitText = many ? ` · ${activeUnit ? `unit ${activeUnit}` : `${s.units} units`}` : '';
    const charts = s.chartsNotAnalysed ? ` · ${s.chartsNotAnalysed} Helm chart${s.chartsNotAnalysed === 1 ? '' : 's'} not analysed` : '';
    // The errors and warnings are VS Code's own counters' business: named in the tooltip only.
    status.text = `$(type-hierarchy) Kubernetes: ${s.objects} object${s.objects === 1 ? '' : 's'}${unitText}${charts}`;
    status.tooltip = `Kube Service Insight: ${s.objects} Kubernetes objects in ${s.files} files${many ? `, ${s.units} apply units${activeUnit ? ` (this file: ${activeUnit})` : ''}` : ''}; ${s.errors} errors, ${s.warnings} warnings${s.suppressed ? `, ${s.suppressed} suppressed (ksi-ignore)` : ''}.`
        + (s.renderers ? `\nRenderers: ${s.renderers}${s.rendered ? ` (${s.rendered} unit${s.rendered === 1 ? '' : 's'} rendered)` : ''}.` : '')
        + (s.renderNote ? `\n${s.renderNote}` : '')
        + '\nClick for the service topology.';
    status.show();
  };
  const refreshActiveUnit = async () => {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    activeUnit = uri && (last?.units ?? 1) > 1
      ? (client ? await request(client, UnitRequest, { uri }).catch(() => null) : null)?.name
      : undefined;
    render();
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(() => void refreshActiveUnit()));
  onNotification(client, StatusNotification, (s) => {
    last = s;
    if (!s.indexing) settled = s;
    render();
    if (!s.indexing) void refreshActiveUnit();
    TopologyPanel.current?.scheduleRefresh();
  });
  await client.start();
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    void client?.sendNotification(TrustNotification.method, { trusted: true });
  }));
}

/** The library's policy (restart up to 4 times in 3 minutes), telling the user once. */
function restartingErrorHandler(output: vscode.LogOutputChannel): ErrorHandler {
  const restarts: number[] = [];
  let told = false;
  return {
    error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
      return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
    },
    closed(): CloseHandlerResult {
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0] < now - 3 * 60_000) restarts.shift();
      if (restarts.length > 4) {
        void vscode.window.showErrorMessage('The Kube Service Insight server crashed 5 times in 3 minutes and will not be restarted. See the output channel; "Kubernetes Service Insight: Restart Server" tries again.');
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      output.warn('The language server stopped unexpectedly; restarting it.');
      if (!told) {
        told = true;
        void vscode.window.showWarningMessage('The Kube Service Insight server stopped unexpectedly and was restarted. Details are in its output channel.');
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
