// The language server renders Kustomize roots with the real kubectl (trusted workspaces only)
// and publishes the findings at the source lines; an unsaved edit in an overlay re-renders.
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, posOf, ROOT } from '../helpers/lspClient';
import { HELM, KUBECTL, needsRenderers } from '../helpers/renderers';

const FIXTURE = path.join(ROOT, 'test/render/fixtures/kustomize-patches');

function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-render-ws-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe('language server rendering', { skip: needsRenderers() }, () => {
  const clients: LspClient[] = [];
  after(async () => {
    for (const c of clients) await c.stop();
  });

  test('findings of the rendered overlays land on the patch lines; an unsaved edit of a patch re-renders', async () => {
    const ws = copyFixture();
    const client = new LspClient();
    clients.push(client);
    client.settings = { kubectlPath: KUBECTL, helmPath: HELM };
    await client.start(ws, { initializationOptions: { trusted: true }, timeoutMs: 30_000 });
    const patch = pathToFileURL(path.join(ws, 'overlays/staging/service-port.yaml')).href;
    const inline = pathToFileURL(path.join(ws, 'overlays/prod/kustomization.yaml')).href;
    const found = await client.waitFor('the staging patch finding', () => client.diagnostics.get(patch)?.find((d) => d.code === 'target-port-not-exposed'), 20_000);
    assert.equal(found.range.start.line, 8);
    assert.match(String(found.message), /Service 'staging-web' sends port 80 to TCP 8081/);
    assert.ok(client.diagnostics.get(inline)?.some((d) => d.code === 'target-port-not-exposed' && d.range.start.line === 14), 'the inline JSON patch line');
    const status = client.status[client.status.length - 1] as unknown as { renderers?: string; rendered?: number };
    assert.match(status.renderers ?? '', /kubectl v1\.35\.\d+ \(kustomize v5\.7\.1\)/);
    assert.equal(status.rendered, 2);

    // Hovers and navigation on source lines work on the rendered objects.
    const base = pathToFileURL(path.join(ws, 'base/web.yaml')).href;
    const baseText = fs.readFileSync(path.join(ws, 'base/web.yaml'), 'utf8');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: base }, position: posOf(baseText, 'name: web', 0, 7) });
    const shown = (hover.contents as MarkupContent).value;
    assert.match(shown, /^\*Rendered by kubectl v1\.35\.\d+ \(kustomize v5\.7\.1\)\*$/m);
    assert.match(shown, /^- rendered in `overlays\/prod`: `prod-web` \(the value `web` in base\/web\.yaml, before `namePrefix: prod-` changed it\)$/m);
    assert.match(shown, /^- rendered in `overlays\/staging`: `staging-web`/m);
    const ingress = pathToFileURL(path.join(ws, 'base/ingress.yaml')).href;
    const ingressText = fs.readFileSync(path.join(ws, 'base/ingress.yaml'), 'utf8');
    const defs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: ingress }, position: posOf(ingressText, 'name: web', 1, 7) });
    assert.deepEqual(defs.map((d) => [d.uri, d.range.start.line]), [[base, 3]], 'the backend Service, at its source line');

    // The panel draws and simulates the rendered unit of the file at hand, at source lines.
    const topo = await client.request<{ unit?: string; nodes: { id: string; uri: string | null; line: number | null }[] }>('kubeServiceInsight/topology', { uri: patch });
    assert.equal(topo.unit, 'overlays/staging');
    assert.ok(topo.nodes.some((n) => n.id.endsWith('/staging-web')), JSON.stringify(topo.nodes.map((n) => n.id)));
    const placed = topo.nodes.filter((n) => n.uri);
    assert.ok(placed.length >= 3 && placed.every((n) => fs.existsSync(fileURLToPath(n.uri!)) && typeof n.line === 'number'), JSON.stringify(placed));
    const sim = await client.request<Record<string, unknown>>('kubeServiceInsight/simulate', { from: 'staging/deployment/staging-web', to: 'staging-web:80', uri: patch });
    assert.equal(sim.service, 'staging/staging-web');
    assert.doesNotMatch(JSON.stringify(sim), /<rendered>/);

    // Fix the port in the editor, without saving: the overlay renders from the buffer.
    const text = fs.readFileSync(path.join(ws, 'overlays/staging/service-port.yaml'), 'utf8');
    client.open(patch, text);
    const started = Date.now();
    client.change(patch, 2, text.replace('targetPort: 8081', 'targetPort: 8080'));
    await client.waitFor('the finding to go', () => !client.diagnostics.get(patch)?.some((d) => d.code === 'target-port-not-exposed'), 20_000);
    assert.ok(Date.now() - started < 15_000);
    assert.equal(fs.readFileSync(path.join(ws, 'overlays/staging/service-port.yaml'), 'utf8'), text, 'the workspace is never written');
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('restricted mode reads raw and says so; granting trust renders', async () => {
    const ws = copyFixture();
    const client = new LspClient();
    clients.push(client);
    client.settings = { kubectlPath: KUBECTL, helmPath: HELM };
    await client.start(ws, { initializationOptions: { trusted: false }, timeoutMs: 30_000 });
    const root = pathToFileURL(path.join(ws, 'overlays/staging/kustomization.yaml')).href;
    const patch = pathToFileURL(path.join(ws, 'overlays/staging/service-port.yaml')).href;
    await client.waitFor('the unrendered note', () => client.diagnostics.get(root)?.some((d) => d.code === 'kustomize-not-rendered'));
    assert.ok(!client.diagnostics.get(patch)?.length, 'nothing on the patch: it is not applied');
    const status = client.status[client.status.length - 1] as unknown as { renderNote?: string };
    assert.match(status.renderNote ?? '', /^Restricted mode: Kustomize trees and Helm charts are read without rendering/);
    client.conn.sendNotification('kubeServiceInsight/trust', { trusted: true });
    await client.waitFor('the rendered finding', () => client.diagnostics.get(patch)?.some((d) => d.code === 'target-port-not-exposed'), 20_000);
    await client.waitFor('the note to go', () => !client.diagnostics.get(root)?.some((d) => d.code === 'kustomize-not-rendered'));
    fs.rmSync(ws, { recursive: true, force: true });
  });
});
