// Runs inside VS Code's extension host (code-server here, Electron with test:vscode) on a
// copy of the samples workspace, and uses the extension the way VS Code does.
import * as assert from 'assert';
import { execSync } from 'child_process';
import * as fs from 'fs';

import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';

const EXT_ID = 'kube-service-insight.kube-service-insight';
const root = () => vscode.workspace.workspaceFolders![0].uri;
const file = (rel: string) => vscode.Uri.joinPath(root(), rel);
const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
const codes = (rel: string) => vscode.languages.getDiagnostics(file(rel)).map(codeOf).sort();

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function positionOf(rel: string, needle: string, delta = 0): Promise<{ doc: vscode.TextDocument; pos: vscode.Position }> {
  const doc = await vscode.workspace.openTextDocument(file(rel));
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} in ${rel}`);
  return { doc, pos: doc.positionAt(offset + delta) };
}

describe('Kube Service Insight in VS Code', () => {
  before(async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, 'extension installed');
    await ext.activate();
    await until('the workspace to be indexed', () => codes('shop/ingress.yaml').length > 0, 60_000);
  });

  it('fills the Problems panel with the samples\' findings, in the right files', () => {
    assert.deepEqual(codes('shop/ingress.yaml'), ['ingress-port-not-found']);
    assert.deepEqual(codes('shop/api.yaml'), ['invalid-value', 'service-selector-no-match']);
    assert.deepEqual(codes('data/postgres.yaml'), ['target-port-not-exposed']);
    assert.deepEqual(codes('data/external.yaml'), ['service-no-endpoints', 'unknown-field']);
    assert.deepEqual(codes('shop/policies.yaml'), ['network-policy-dns-blocked']);
    const d = vscode.languages.getDiagnostics(file('shop/api.yaml')).find((x) => codeOf(x) === 'invalid-value')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /did you mean 'ClusterIP'/);
  });

  it('hovers a Service with its FQDN and endpoints', async () => {
    const { doc, pos } = await positionOf('shop/frontend.yaml', 'name: webui-svc', 8);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /webui-svc\.shop\.svc\.cluster\.local/);
    assert.match(text, /\*\*Endpoints\*\* \(3, names and IPs simulated\)/);
  });

  it('completes selector values from the labels that exist', async () => {
    const { doc } = await positionOf('shop/frontend.yaml', 'selector:\n    app: webui\n  ports');
    const original = doc.getText();
    const valueStart = doc.positionAt(original.indexOf('selector:\n    app: webui\n  ports') + 'selector:\n    app: '.length);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(valueStart, valueStart.translate(0, 'webui'.length)), '');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, valueStart);
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(['api', 'redis', 'webui'].every((l) => labels.includes(l)), labels.join(', '));
    } finally {
      const restore = new vscode.WorkspaceEdit();
      restore.insert(doc.uri, valueStart, 'webui');
      await vscode.workspace.applyEdit(restore);
      await doc.save();
    }
    assert.equal(doc.getText(), original, 'the file is restored');
    await until('frontend.yaml clean again', () => codes('shop/frontend.yaml').length === 0);
  });

  it('goes from a Service selector to the workload it selects', async () => {
    const { doc, pos } = await positionOf('shop/frontend.yaml', 'selector:\n    app: webui\n  ports', 'selector:\n    a'.length);
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, pos);
    const targets = defs.map((d) => ('targetUri' in d ? { uri: d.targetUri, range: d.targetRange } : d));
    assert.equal(targets.length, 1);
    assert.equal(targets[0].uri.toString(), doc.uri.toString());
    const labelsLine = doc.positionAt(doc.getText().indexOf('        app: webui')).line;
    assert.equal(targets[0].range.start.line, labelsLine);
  });

  it('Simulate Request with arguments opens the panel and returns the trace', async () => {
    const result = await vscode.commands.executeCommand<{ ok: boolean; service: string; steps: { step: string; status: string }[]; distribution: { count: number }[] }>(
      'kubeServiceInsight.simulateRequest', { from: 'shop/deployment/webui', to: 'api.shop', requests: 40 });
    assert.ok(result, 'a result');
    assert.equal(result.ok, true);
    assert.equal(result.service, 'shop/api');
    assert.deepEqual(result.steps.map((s) => s.step), ['source', 'dns', 'service-port', 'ingress-policy', 'endpoints']);
    assert.equal(result.distribution.reduce((n, d) => n + d.count, 0), 40);
    const tab = await until('the topology panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('kubeServiceInsight.topology')));
    assert.equal(tab.label, 'Service Topology');
  });

  it('an edit in one file updates another file\'s diagnostics', async () => {
    const { doc, pos } = await positionOf('shop/api.yaml', '    - name: http\n      port: 80\n      targetPort: web', '    - name: http\n      port: '.length);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(pos, pos.translate(0, 2)), '8080');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until('ingress.yaml to be clean', () => codes('shop/ingress.yaml').length === 0);
    const undo = new vscode.WorkspaceEdit();
    undo.replace(doc.uri, new vscode.Range(pos, pos.translate(0, 4)), '80');
    await vscode.workspace.applyEdit(undo);
    await until('the finding to return', () => codes('shop/ingress.yaml').includes('ingress-port-not-found'));
  });

  it('ignores a finding with its quick fix, and the rules setting turns a rule off', async () => {
    const doc = await vscode.workspace.openTextDocument(file('data/postgres.yaml'));
    const d = vscode.languages.getDiagnostics(doc.uri).find((x) => codeOf(x) === 'target-port-not-exposed')!;
    assert.match(String((d.code as { target: vscode.Uri }).target), /docs\/rules\/target-port-not-exposed\.md$/, 'the code links its rule page');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
    const ignore = actions.find((a) => a.title === "Ignore 'target-port-not-exposed' here (adds a ksi-ignore comment)");
    assert.ok(ignore?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    const before = doc.getText();
    assert.ok(await vscode.workspace.applyEdit(ignore.edit));
    try {
      await until('the ignored finding to go', () => !codes('data/postgres.yaml').includes('target-port-not-exposed'));
      assert.match(doc.getText(), /# ksi-ignore target-port-not-exposed\n/);
    } finally {
      const revert = new vscode.WorkspaceEdit();
      revert.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), before);
      await vscode.workspace.applyEdit(revert);
      await doc.save();
    }
    await until('the finding back', () => codes('data/postgres.yaml').includes('target-port-not-exposed'));
    const config = vscode.workspace.getConfiguration('kubeServiceInsight');
    await config.update('rules', { 'ingress-port-not-found': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await until('ingress-port-not-found to be off', () => codes('shop/ingress.yaml').length === 0);
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until('ingress-port-not-found back', () => codes('shop/ingress.yaml').includes('ingress-port-not-found'));
  });

  it('a crashed language server is restarted and serves again', async () => {
    // The client forks the server with --clientProcessId=<this extension host's pid>.
    const find = () => execSync(`pgrep -f "[s]erver.js --node-ipc --clientProcessId=${process.pid}" || true`, { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    const before = find();
    assert.equal(before.length, 1, `one server process for this extension host: ${before.join(', ')}`);
    process.kill(Number(before[0]), 'SIGKILL');
    const after = await until('a new server process', () => { const now = find(); return now.length === 1 && now[0] !== before[0] && now; }, 30_000);
    assert.notEqual(after[0], before[0]);
    const { doc, pos } = await positionOf('shop/frontend.yaml', 'name: webui-svc', 8);
    const text = await until('hovers to work again', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      const t = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
      return /webui-svc\.shop\.svc\.cluster\.local/.test(t) && t;
    }, 30_000);
    assert.ok(text);
    await until('diagnostics again', () => codes('shop/ingress.yaml').includes('ingress-port-not-found'));
  });

  it('the webview drew the simulation (checked from outside by the runner)', async function () {
    const marker = process.env.KSI_E2E_WEBVIEW_MARKER;
    if (!marker) return this.skip(); // test:vscode has no outside browser
    const seen = await until('the runner to read the webview', () => fs.existsSync(marker) && JSON.parse(fs.readFileSync(marker, 'utf8')), 90_000);
    assert.ok(seen.nodes > 10, `nodes drawn: ${seen.nodes}`);
    assert.ok(seen.traceRows >= 5, `trace rows: ${seen.traceRows}`);
    assert.equal(seen.bars, 2);
  });
});
