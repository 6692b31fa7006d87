// The bundled language server, driven over stdio by a real JSON-RPC client (no VS Code),
// on a temporary copy of the samples workspace.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CodeAction, CodeLens, CompletionItem, DocumentSymbol, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { plainText } from '../../server/src/lsp/convert';
import { ClusterModel } from '../../server/src/model';
import { generateWorkspace } from '../bench/generate';
import { copySamples, LspClient, posOf } from '../helpers/lspClient';

let ws: string;
let client: LspClient;
const uri = (rel: string) => pathToFileURL(path.join(ws, rel)).href;
const read = (rel: string) => fs.readFileSync(path.join(ws, rel), 'utf8');
const codes = (rel: string) => (client.diagnostics.get(uri(rel)) ?? []).map((d) => d.code);

async function hoverAt(rel: string, needle: string, nth = 0, delta = 1): Promise<string> {
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(rel) }, position: posOf(read(rel), needle, nth, delta) });
  return h ? (h.contents as MarkupContent).value : '';
}

/** Opens `rel` with `text` and asks for completions at the end of `needle`. */
async function completeAt(rel: string, text: string, needle: string): Promise<CompletionItem[]> {
  client.open(uri(rel), text);
  const r = await client.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', {
    textDocument: { uri: uri(rel) }, position: posOf(text, needle, 0, needle.length),
  });
  client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(rel) } });
  return Array.isArray(r) ? r : r.items;
}

describe('language server over stdio', () => {
  before(async () => {
    ws = copySamples();
    client = new LspClient();
    await client.start(ws);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('indexes the workspace with progress and publishes every file with findings, open or not', async () => {
    // start() waited for the status that follows the initial publishes.
    assert.deepEqual(codes('shop/ingress.yaml'), ['ingress-port-not-found']);
    assert.deepEqual(codes('shop/api.yaml').sort(), ['invalid-value', 'service-selector-no-match']);
    assert.deepEqual(codes('data/postgres.yaml'), ['target-port-not-exposed']);
    assert.equal(client.diagnostics.has(uri('namespaces.yaml')), false, 'a clean file is not sent an empty list');
    const d = client.diagnostics.get(uri('shop/ingress.yaml'))![0];
    assert.equal(d.source, 'kube-service-insight');
    assert.equal(d.relatedInformation?.[0].location.uri, uri('shop/api.yaml'));
    const kinds = client.progress.map((p) => (p as { value: { kind: string } }).value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    assert.ok(client.progress.some((p) => /7\/7 files/.test((p as { value: { message?: string } }).value.message ?? '')));
    const last = client.status[client.status.length - 1];
    assert.deepEqual([last.files, last.objects, last.errors, last.warnings], [7, 22, 2, 5]);
  });

  test('hover on a Service: FQDN, short names, simulated cluster IP, ports and endpoints', async () => {
    const h = await hoverAt('shop/frontend.yaml', 'name: webui-svc', 0, 7);
    assert.match(h, /FQDN `webui-svc\.shop\.svc\.cluster\.local`/);
    assert.match(h, /from other namespaces: `webui-svc\.shop`/);
    assert.match(h, /Cluster IP `10\.\d+\.\d+\.\d+` \*\(simulated\)\*/);
    assert.match(h, /\| http 80 \| http \| TCP \| Deployment\/webui: 8080 \(web\) \|/);
    assert.match(h, /\*\*Endpoints\*\* \(3, names and IPs simulated\): Deployment\/webui ×3/);
    // DNS records as a Markdown list (VS Code shows no <br> from a language server), the
    // simulated addresses marked and the mark explained.
    assert.match(h, /\n- SRV `_http\._tcp\.webui-svc\.shop\.svc\.cluster\.local`/);
    assert.match(h, /\n- A `webui-svc\.shop\.svc\.cluster\.local` → `10\.[\d.]+` \\\*/);
    assert.match(h, /\*\*DNS\*\* \(\\\* simulated: the cluster assigns these addresses/);
    assert.doesNotMatch(h, /<br>/);
  });

  test('hover on a NodePort Service shows node access; on an ExternalName the CNAME', async () => {
    assert.match(await hoverAt('shop/frontend.yaml', 'name: webui-nodeport', 0, 7), /NodePort access \(simulated nodes\): `172\.18\.0\.2:30080`/);
    assert.match(await hoverAt('data/external.yaml', 'name: payments', 0, 7), /CNAME → `api\.payments\.example\.com`/);
  });

  test('hover on selectors: what they match, or why nothing', async () => {
    assert.match(await hoverAt('shop/frontend.yaml', 'app: webui', 2), /matches `Deployment\/webui ×3` — 3 pods/);
    const none = await hoverAt('shop/api.yaml', 'app: redis-cache');
    assert.match(none, /matches \*\*no pods\*\* in `shop`/);
    assert.match(none, /Nearest label set: `Deployment\/redis` has `app=redis`/);
  });

  test('hover on targetPort shows the per-workload resolution', async () => {
    const h = await hoverAt('data/postgres.yaml', 'targetPort: 5433', 0, 13);
    assert.match(h, /Port `5432`\/TCP \(`pg`\) → targetPort `5433`/);
    assert.match(h, /`StatefulSet\/postgres`: container port `5433` \(not declared; works only if the app listens there\)/);
  });

  test('hover on workload labels and container ports shows who targets them', async () => {
    const labels = await hoverAt('shop/frontend.yaml', 'tier: frontend');
    assert.match(labels, /Selected by Service `webui-svc` \(ClusterIP\), Service `webui-nodeport` \(NodePort\)/);
    assert.match(labels, /Reached from Ingress `shop`/);
    assert.match(labels, /Isolated by NetworkPolicy `default-deny-ingress` \(Ingress\)/);
    const port = await hoverAt('shop/frontend.yaml', 'containerPort: 8080', 0, 16);
    assert.match(port, /Targeted by Service `webui-svc` port 80 \(targetPort `http`\), Service `webui-nodeport` port 80/);
  });

  test('hover on Ingress paths shows the URL served; on NetworkPolicies and Endpoints what they apply to', async () => {
    assert.match(await hoverAt('shop/ingress.yaml', 'path: /', 0, 6), /Serves `https:\/\/shop\.example\.com\/` and \/… → Service `webui-svc:80` \(3 endpoints\)/);
    assert.match(await hoverAt('shop/ingress.yaml', 'path: /api', 0, 6), /✗ Service api has no port 8080/);
    assert.match(await hoverAt('shop/policies.yaml', 'name: api-from-webui', 0, 7), /isolates `Deployment\/api` for Ingress/);
    assert.match(await hoverAt('shop/policies.yaml', 'app: webui'), /Allows traffic from\*\* \(rule 1\): `shop\/Deployment\/webui`/);
    assert.match(await hoverAt('data/external.yaml', 'ip: 10.20.30.40', 0, 5), /Feeds Service `data\/legacy-billing`.*2 addresses/);
  });

  test('completion: selector keys and values from real pod labels, best first', async () => {
    const base = read('shop/frontend.yaml');
    const values = await completeAt('shop/frontend.yaml', base.replace('  selector:\n    app: webui\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---', '  selector:\n    app: \n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---'), 'selector:\n    app: ');
    assert.deepEqual(values.map((i) => i.label).sort(), ['api', 'redis', 'webui']);
    assert.match(values.find((i) => i.label === 'webui')!.detail!, /app: webui — Deployment\/webui ×3/);
    const keys = await completeAt('shop/frontend.yaml', base.replace('  selector:\n    app: webui\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---', '  selector:\n    app: webui\n    ti\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---'), 'app: webui\n    ti');
    assert.deepEqual(keys.map((i) => i.label), ['tier']);
    assert.equal((keys[0].textEdit as { newText: string }).newText, 'tier: ');
  });

  test('completion: targetPort from the selected pods, Ingress backends, headless and selectorless Services, enums', async () => {
    const fe = read('shop/frontend.yaml');
    const tp = await completeAt('shop/frontend.yaml', fe.replace('      targetPort: http\n---', '      targetPort: \n---'), '      targetPort: ');
    assert.deepEqual(tp.map((i) => i.label), ['http', 'metrics', '8080', '9102']);
    const ing = read('shop/ingress.yaml');
    const svc = await completeAt('shop/ingress.yaml', ing.replace('name: webui-svc', 'name: '), 'service:\n                name: ');
    assert.deepEqual(svc.map((i) => i.label), ['api', 'cache', 'webui-nodeport', 'webui-svc']);
    const port = await completeAt('shop/ingress.yaml', ing.replace('number: 8080', 'number: '), 'number: ');
    assert.deepEqual(port.map((i) => [i.label, i.detail]), [['80', 'Service api port 80 (http) → targetPort web']]);
    const pg = read('data/postgres.yaml');
    const sn = await completeAt('data/postgres.yaml', pg.replace('serviceName: postgres', 'serviceName: '), 'serviceName: ');
    assert.deepEqual(sn.map((i) => i.label), ['postgres']);
    const ext = read('data/external.yaml');
    const ep = await completeAt('data/external.yaml', ext.replace('kind: Endpoints\nmetadata:\n  name: legacy-billing', 'kind: Endpoints\nmetadata:\n  name: '), 'kind: Endpoints\nmetadata:\n  name: ');
    assert.deepEqual(ep.map((i) => i.label), ['legacy-billing', 'reports']);
    const type = await completeAt('shop/api.yaml', read('shop/api.yaml').replace('type: ClusterIp', 'type: Node'), 'type: Node');
    assert.deepEqual(type.map((i) => i.label), ['NodePort']);
    const np = await completeAt('shop/policies.yaml', read('shop/policies.yaml').replace('kubernetes.io/metadata.name: data', 'team: '), 'team: ');
    assert.deepEqual(np.map((i) => i.label), ['platform', 'storefront']);
  });

  test('definition and references link selectors, Services, Ingress backends and Endpoints', async () => {
    const fe = read('shop/frontend.yaml');
    // From the Service selector to the pod template labels it matches.
    const def = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('shop/frontend.yaml') }, position: posOf(fe, 'app: webui', 2, 1) });
    assert.deepEqual(def.map((l) => [l.uri, l.range.start.line]), [[uri('shop/frontend.yaml'), posOf(fe, 'app: webui', 1).line]]);
    const ingDef = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('shop/ingress.yaml') }, position: posOf(read('shop/ingress.yaml'), 'webui-svc', 0, 2) });
    assert.deepEqual(ingDef.map((l) => [l.uri, l.range.start.line]), [[uri('shop/frontend.yaml'), posOf(fe, 'name: webui-svc').line]]);
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: uri('shop/frontend.yaml') }, position: posOf(fe, 'name: webui-svc', 0, 8), context: { includeDeclaration: false } });
    assert.deepEqual(refs.map((l) => l.uri), [uri('shop/ingress.yaml')]);
    const ext = read('data/external.yaml');
    const epDef = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('data/external.yaml') }, position: posOf(ext, 'ip: 10.20.30.40', 0, 5) });
    assert.deepEqual(epDef.map((l) => l.range.start.line), [posOf(ext, 'name: legacy-billing').line]);
    const tp = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('shop/frontend.yaml') }, position: posOf(fe, 'targetPort: http', 0, 13) });
    assert.deepEqual(tp.map((l) => l.range.start.line), [posOf(fe, 'name: http').line]);
  });

  test('code actions offer the unambiguous fixes', async () => {
    const api = read('shop/api.yaml');
    const fix = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri('shop/api.yaml') }, range: { start: posOf(api, 'type: ClusterIp', 0, 6), end: posOf(api, 'type: ClusterIp', 0, 15) },
      context: { diagnostics: client.diagnostics.get(uri('shop/api.yaml')) },
    });
    const typeFix = fix.find((a) => a.title === "Change to 'ClusterIP'")!;
    assert.equal(typeFix.kind, 'quickfix');
    assert.deepEqual(typeFix.edit?.changes?.[uri('shop/api.yaml')].map((e) => e.newText), ['ClusterIP']);
    const selFix = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri('shop/api.yaml') }, range: { start: posOf(api, 'app: redis-cache', 0, 5), end: posOf(api, 'app: redis-cache', 0, 5) }, context: { diagnostics: [] },
    });
    assert.deepEqual(selFix.map((a) => [a.title, a.edit?.changes?.[uri('shop/api.yaml')][0].newText]), [
      ['Change selector to app: redis', 'redis'],
      ["Ignore 'service-selector-no-match' here (adds a ksi-ignore comment)", '    # ksi-ignore service-selector-no-match\n'],
    ], 'the fix first (preferred), then the ignore comment');
    assert.deepEqual(selFix.map((a) => a.isPreferred), [true, false]);
    const ing = read('shop/ingress.yaml');
    const ingFix = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri('shop/ingress.yaml') }, range: { start: posOf(ing, 'number: 8080', 0, 8), end: posOf(ing, 'number: 8080', 0, 12) }, context: { diagnostics: [] },
    });
    assert.deepEqual(ingFix.map((a) => [a.title, a.edit?.changes?.[uri('shop/ingress.yaml')][0].newText]), [
      ['Use Service port 80', '80'],
      ["Ignore 'ingress-port-not-found' here (adds a ksi-ignore comment)", '                  # ksi-ignore ingress-port-not-found\n'],
    ]);
  });

  test('a finding can be ignored: the quick fix adds a ksi-ignore comment, the finding goes and is counted as suppressed', async () => {
    const rel = 'data/postgres.yaml';
    const d = client.diagnostics.get(uri(rel))!.find((x) => x.code === 'target-port-not-exposed')!;
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/target-port-not-exposed\.md$/, 'the Problems panel links the rule page');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(rel) }, range: d.range, context: { diagnostics: [d] } });
    const ignore = actions.find((a) => a.title === "Ignore 'target-port-not-exposed' here (adds a ksi-ignore comment)");
    assert.ok(ignore, `actions: ${actions.map((a) => a.title).join(', ')}`);
    const [edit] = ignore.edit!.changes![uri(rel)];
    const lines = read(rel).split('\n');
    lines.splice(edit.range.start.line, 0, edit.newText.replace(/\n$/, ''));
    assert.match(lines[edit.range.start.line], /^\s*# ksi-ignore target-port-not-exposed$/);
    client.open(uri(rel), lines.join('\n'));
    await client.waitFor('the ignored finding to go', () => !(client.diagnostics.get(uri(rel)) ?? []).some((x) => x.code === 'target-port-not-exposed'));
    await client.waitFor('the status to count it', () => client.status[client.status.length - 1].suppressed === 1);
    client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(rel) } });
    await client.waitFor('the finding back from disk', () => (client.diagnostics.get(uri(rel)) ?? []).some((x) => x.code === 'target-port-not-exposed'));
  });

  test('the rules setting turns rules off and changes severities, live', async () => {
    const statusBefore = client.status.length;
    client.settings = { rules: { 'ingress-port-not-found': 'off', 'invalid-value': 'warning' } };
    client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitFor('re-index after the settings change', () => {
      const since = client.status.slice(statusBefore);
      const started = since.findIndex((s) => s.indexing);
      return started >= 0 && since.slice(started).find((s) => !s.indexing);
    });
    await client.waitFor('ingress-port-not-found off', () => !codes('shop/ingress.yaml').includes('ingress-port-not-found'));
    const invalid = client.diagnostics.get(uri('shop/api.yaml'))!.find((x) => x.code === 'invalid-value')!;
    assert.equal(invalid.severity, 2, 'invalid-value is now a warning');
    client.settings = {};
    client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitFor('ingress-port-not-found back', () => codes('shop/ingress.yaml').includes('ingress-port-not-found'));
  });

  test('code lenses and the outline', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri('shop/frontend.yaml') } });
    assert.deepEqual(lenses.map((l) => l.command?.title), [
      '← Service webui-svc, Service webui-nodeport, Ingress shop · 2 NetworkPolicies',
      '→ calls 1 service',
      '▷ Simulate request from here',
      '→ 3 pods (Deployment webui)',
      '▷ Simulate request',
      '→ 3 pods (Deployment webui)',
      '▷ Simulate request',
    ]);
    assert.deepEqual(lenses[2].command?.arguments, [{ from: 'shop/deployment/webui' }]);
    assert.deepEqual(lenses[4].command?.arguments, [{ to: 'webui-svc.shop' }]);
    // Each above its object's first line (`apiVersion:`), not inside `metadata:`.
    const text = fs.readFileSync(path.join(ws, 'shop/frontend.yaml'), 'utf8').split('\n');
    for (const l of lenses) assert.match(text[l.range.start.line], /^apiVersion:/, `lens '${l.command?.title}' on line ${l.range.start.line + 1}`);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('data/external.yaml') } });
    assert.deepEqual(symbols.map((s) => `${s.name} (${s.detail})`), [
      'Service payments (namespace data)', 'Service legacy-billing (namespace data)', 'Endpoints legacy-billing (namespace data)',
      'Service reports (namespace data)', 'Endpoints reports (namespace data)',
    ]);
  });

  test('custom requests behind the panel: topology, choices, simulate', async () => {
    // Sent without params, exactly as the VS Code client sends it.
    const topo = await client.conn.sendRequest('kubeServiceInsight/topology') as { nodes: { id: string }[]; edges: { broken: boolean }[] };
    assert.ok(topo.nodes.some((n) => n.id === 'Service/shop/webui-svc'));
    assert.equal(topo.edges.filter((e) => e.broken).length, 3);
    const choices = await client.conn.sendRequest('kubeServiceInsight/choices') as { sources: string[]; targets: string[] };
    assert.ok(choices.sources.includes('shop/deployment/webui') && choices.sources.includes('external'));
    assert.ok(choices.targets.includes('webui-svc.shop') && choices.targets.includes('https://shop.example.com/'));
    // The calls a workload's manifests declare, offered first as its targets.
    assert.deepEqual((choices as { calls?: Record<string, unknown[]> }).calls?.['shop/deployment/webui'], [{ target: 'api.shop:80', where: 'web: env API_URL', ok: true }]);
    // Toward a Service (its lens), the clients that get there come first; the cluster-internal
    // name is no choice for an external client.
    const toward = (await client.request<{ toward: { source: string; reaches: boolean; note: string }[] }>('kubeServiceInsight/choices', { to: 'api.shop' })).toward;
    assert.deepEqual(toward[0], { source: 'shop/deployment/webui', reaches: true, note: 'reaches it' });
    assert.ok(toward.slice(1).every((c) => !c.reaches && c.note === 'policy-denied'), JSON.stringify(toward));
    assert.ok(!toward.some((c) => c.source === 'external'));
    const r = await client.request<{ ok: boolean; service: string; distribution: { count: number }[] }>('kubeServiceInsight/simulate', { from: 'external', to: 'https://shop.example.com/', requests: 30 });
    assert.equal(r.ok, true);
    assert.equal(r.service, 'shop/webui-svc');
    assert.equal(r.distribution.reduce((n, d) => n + d.count, 0), 30);
    assert.equal(await client.request('kubeServiceInsight/simulate', { from: 42 }), null, 'malformed parameters answer null');
  });

  test('who may talk to whom: the connections request (ksi connections\'s JSON) and the workload hover\'s network reach', async () => {
    const all = await client.request<{ version: number; connections: { from: string; to: string; allowed: unknown }[] }>('kubeServiceInsight/connections', {});
    assert.equal(all.version, 1);
    assert.deepEqual(all.connections.find((c) => c.from === 'shop/deployment/webui' && c.to === 'shop/deployment/api')?.allowed, [{ protocol: 'TCP', ports: [[8080, 8080]] }]);
    const one = await client.request<{ connections: { from: string; to: string }[] }>('kubeServiceInsight/connections', { workload: 'shop/deployment/api' });
    assert.ok(one.connections.length > 0 && one.connections.every((c) => c.from === 'shop/deployment/api' || c.to === 'shop/deployment/api'));
    const h = await hoverAt('shop/frontend.yaml', 'kind: Deployment', 0, 7);
    assert.match(h, /\*\*Network reach\*\* \(NetworkPolicies, as `ksi connections`\)/);
    assert.match(h, /reachable from anywhere outside on TCP 8080/);
  });

  test('editing one file updates another file\'s diagnostics; closing reverts to disk', async () => {
    const api = read('shop/api.yaml');
    const apiUri = uri('shop/api.yaml');
    client.open(apiUri, api);
    const ingressPublishes = client.publishCounts.get(uri('shop/ingress.yaml')) ?? 0;
    const postgresPublishes = client.publishCounts.get(uri('data/postgres.yaml')) ?? 0;
    const policiesPublishes = client.publishCounts.get(uri('shop/policies.yaml')) ?? 0;
    client.change(apiUri, 2, api.replace('      port: 80\n      targetPort: web', '      port: 8080\n      targetPort: web'));
    await client.waitFor('ingress diagnostics cleared', () => codes('shop/ingress.yaml').length === 0);
    // The web UI's declared call to api.shop (port 80) now misses the Service's port.
    await client.waitFor('the caller flagged', () => codes('shop/frontend.yaml').includes('service-reference-port-mismatch'));
    assert.equal(client.publishCounts.get(uri('data/postgres.yaml')) ?? 0, postgresPublishes, 'unchanged files are not republished');
    assert.equal(client.publishCounts.get(uri('shop/policies.yaml')) ?? 0, policiesPublishes, 'not even in the same namespace');
    assert.ok((client.publishCounts.get(uri('shop/ingress.yaml')) ?? 0) > ingressPublishes);
    client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: apiUri } });
    await client.waitFor('ingress diagnostic back after close', () => codes('shop/ingress.yaml').includes('ingress-port-not-found'));
    await client.waitFor('the caller clear again', () => !codes('shop/frontend.yaml').includes('service-reference-port-mismatch'));
  });

  test('a line being typed shows its syntax error alone; Problems text has no Markdown backticks', async () => {
    for (const list of client.diagnostics.values()) {
      for (const d of list) assert.ok(!String(d.message).includes('`'), `plain text in Problems: ${d.message}`);
    }
    const pgUri = uri('data/postgres.yaml');
    const pg = read('data/postgres.yaml');
    client.open(pgUri, pg);
    // Half-way through typing `name: postgres-read` the parser's recovery reads `name` and
    // `namespace` as one key: without shadowing that gives "no metadata.name" and an unknown field.
    client.change(pgUri, 2, pg.replace('  name: postgres-read\n', '  name\n'));
    await client.waitFor('syntax error published', () => codes('data/postgres.yaml').includes('yaml-syntax'));
    assert.deepEqual(codes('data/postgres.yaml'), ['yaml-syntax']);
    client.change(pgUri, 3, pg);
    await client.waitFor('back to the real finding', () => codes('data/postgres.yaml').join() === 'target-port-not-exposed');
    client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: pgUri } });
  });

  test('files created or deleted on disk are picked up from watched-file events', async () => {
    const file = path.join(ws, 'shop/extra.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\n  namespace: shop\nspec:\n  type: NodePort\n  selector: {app: webui}\n  ports:\n    - port: 80\n      nodePort: 30080\n');
    client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 1 }] });
    await client.waitFor('nodePort conflict in both files', () => codes('shop/extra.yaml').includes('node-port-conflict') && codes('shop/frontend.yaml').includes('node-port-conflict'));
    fs.rmSync(file);
    client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 3 }] });
    await client.waitFor('conflict gone', () => !codes('shop/frontend.yaml').includes('node-port-conflict') && client.diagnostics.get(pathToFileURL(file).href)?.length === 0);
  });

  test('settings apply live: a different cluster domain changes the FQDN', async () => {
    const statusBefore = client.status.length;
    client.settings = { clusterDomain: 'corp.internal' };
    client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitFor('re-index after the settings change', () => {
      const since = client.status.slice(statusBefore);
      const started = since.findIndex((s) => s.indexing);
      return started >= 0 && since.slice(started).find((s) => !s.indexing);
    });
    assert.match(await hoverAt('shop/frontend.yaml', 'name: webui-svc', 0, 7), /FQDN `webui-svc\.shop\.svc\.corp\.internal`/);
  });
});

describe('language server with a minimal client (Helix/Neovim style)', () => {
  test('settings from initializationOptions, rootUri only, no progress or configuration support', async () => {
    const dir = copySamples();
    const c = new LspClient();
    try {
      await c.start(dir, { minimal: true, initializationOptions: { kubeServiceInsight: { clusterDomain: 'corp.internal' } } });
      const u = pathToFileURL(path.join(dir, 'shop/ingress.yaml')).href;
      await c.waitFor('diagnostics', () => c.diagnostics.get(u)?.length);
      assert.equal(c.progress.length, 0);
      const fe = fs.readFileSync(path.join(dir, 'shop/frontend.yaml'), 'utf8');
      const h = await c.request<Hover>('textDocument/hover', { textDocument: { uri: pathToFileURL(path.join(dir, 'shop/frontend.yaml')).href }, position: posOf(fe, 'name: webui-svc', 0, 7) });
      assert.match((h.contents as MarkupContent).value, /webui-svc\.shop\.svc\.corp\.internal/);
    } finally {
      await c.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('language server on a workspace of many files', () => {
  test('a worker thread shares the parsing; the findings are those of parsing every file on one thread', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-many-'));
    const files = new Map(generateWorkspace(1200, 5).files);
    // Files the worker hands back unparsed: anchors, a syntax error, not UTF-8.
    files.set('special/anchors.yaml', 'apiVersion: v1\nkind: Service\nmetadata: &m {name: anchored, namespace: team-0}\nspec:\n  selector: {app: nothing}\n  ports: [{port: 80}]\n');
    files.set('special/broken.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: [broken\n');
    for (const [rel, text] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    fs.writeFileSync(path.join(dir, 'special/latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    const c = new LspClient();
    try {
      await c.start(dir, { timeoutMs: 60_000 });
      const byWorker = Number(/\((\d+) files parsed by a worker thread\)/.exec(c.logs.join('\n'))?.[1]);
      assert.ok(byWorker > 0 && byWorker < files.size, `worker parsed ${byWorker} of ${files.size} files`);
      const expected = new ClusterModel();
      for (const [rel, text] of files) expected.update(pathToFileURL(path.join(dir, rel)).href, text);
      expected.markSkipped(pathToFileURL(path.join(dir, 'special/latin1.yaml')).href, 'File is not UTF-8 text; it is not analysed.');
      const summary = (ds: { code?: unknown; range: { start: { line: number; character: number } }; message: unknown }[]) =>
        ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${plainText(String(d.message))}`);
      const withFindings = [...expected.allDiagnostics()].filter(([, ds]) => ds.length > 0);
      assert.ok(withFindings.length > 5, `${withFindings.length} files with findings`);
      assert.deepEqual([...c.diagnostics.keys()].sort(), withFindings.map(([uri]) => uri).sort());
      for (const [uri, ds] of withFindings) assert.deepEqual(summary(c.diagnostics.get(uri)!), summary(ds), uri);
    } finally {
      await c.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('language server: the open file first', () => {
  test('an open file\'s own findings come at once, its namespace\'s while the rest is read, each one final', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-open-'));
    const files = new Map(generateWorkspace(3000, 3).files);
    const open = 'team-1/web.yaml';
    files.set(open, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: team-1\nspec:\n  selector:\n    app: nothing-has-this\n  ports:\n    - port: 70000\n');
    for (const [rel, text] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    const c = new LspClient();
    const openUri = pathToFileURL(path.join(dir, open)).href;
    try {
      await c.start(dir, { timeoutMs: 60_000, initialized: () => c.open(openUri, files.get(open)!) });
      // Early: before the indexing progress ended (the rest of the workspace is published after).
      const mine = c.publishLog.filter((p) => p.uri === openUri).map((p) => ({ ...p, early: !p.afterProgress }));
      assert.ok(c.publishLog.every((p) => p.uri === openUri || p.afterProgress), 'other files only once all is read');
      const codesOf = (p: (typeof mine)[number]) => p.diagnostics.map((d) => d.code).sort();
      assert.ok(mine.length >= 2, `${mine.length} publishes`);
      assert.equal(mine[0].early, true, 'the first came while the workspace was read');
      assert.deepEqual(codesOf(mine[0]), ['port-out-of-range'], 'first: what the file alone proves');
      assert.ok(mine.some((p) => p.early && codesOf(p).includes('service-selector-no-match')), 'the Service that selects nothing was reported before the rest was read');
      const final = mine[mine.length - 1];
      assert.deepEqual(codesOf(final), ['port-out-of-range', 'service-selector-no-match']);
      const key = (d: { code?: unknown; range: { start: { line: number } } }) => `${d.code}@${d.range.start.line}`;
      for (const p of mine) for (const d of p.diagnostics) assert.ok(final.diagnostics.some((f) => key(f) === key(d)), `early ${key(d)} is final`);
    } finally {
      await c.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('language server robustness', () => {
  test('malformed requests are answered empty and the server stays up', async () => {
    const dir = copySamples();
    const c = new LspClient();
    try {
      await c.start(dir);
      const fe = pathToFileURL(path.join(dir, 'shop/frontend.yaml')).href;
      assert.equal(await c.request('textDocument/hover', { textDocument: { uri: fe }, position: null }), null);
      assert.equal(await c.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere/x.yaml' }, position: { line: 0, character: 0 } }), null);
      assert.deepEqual(await c.request('textDocument/completion', { textDocument: { uri: fe }, position: { line: -5, character: 1e9 } }), []);
      assert.deepEqual(await c.request('textDocument/definition', { textDocument: {}, position: {} }), []);
      assert.deepEqual(await c.request('textDocument/codeLens', { textDocument: { uri: 42 } }), []);
      assert.equal(await c.request('kubeServiceInsight/simulate', { from: 'external', to: '\u0000'.repeat(10) }).then((r) => (r as { ok: boolean }).ok), false);
      // Still serving.
      const h = await c.request<Hover>('textDocument/hover', { textDocument: { uri: fe }, position: posOf(fs.readFileSync(path.join(dir, 'shop/frontend.yaml'), 'utf8'), 'name: webui-svc', 0, 7) });
      assert.match((h.contents as MarkupContent).value, /webui-svc\.shop\.svc\.cluster\.local/);
      assert.ok(c.logs.some((l) => /failed/.test(l)), 'the failure was logged');
    } finally {
      await c.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('language server on a repository of several apply units', () => {
  test('alternatives stay apart in diagnostics, hovers and the panel requests; a Kustomize overlay is read through its root', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-units-'));
    const fixtures = path.join(__dirname, '../fixtures/real-layouts');
    fs.cpSync(path.join(fixtures, 'alternatives'), path.join(dir, 'alternatives'), { recursive: true });
    fs.cpSync(path.join(fixtures, 'kustomize-overlay'), path.join(dir, 'kustomize'), { recursive: true });
    const c = new LspClient();
    // Unrendered reading (rendering is tested in render.test.ts).
    c.settings = { render: false };
    const at = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
    try {
      await c.start(dir);
      await c.waitFor('unit notes', () => c.diagnostics.get(at('kustomize/overlays/prod/kustomization.yaml'))?.length);
      const codesOf = (rel: string) => (c.diagnostics.get(at(rel)) ?? []).map((d) => d.code);
      assert.deepEqual(codesOf('kustomize/overlays/prod/kustomization.yaml'), ['kustomize-not-rendered']);
      assert.deepEqual(codesOf('kustomize/overlays/prod/deployment-patch.yaml'), [], 'a patch is not an object');
      assert.ok(!codesOf('alternatives/install/install.yaml').includes('ingress-port-not-found'));
      assert.ok(!codesOf('alternatives/install/namespace-install.yaml').includes('duplicate-object'));
      const last = c.status[c.status.length - 1] as { units?: number; chartsNotAnalysed?: number };
      assert.equal(last.units, 4);
      assert.equal(last.chartsNotAnalysed, 0);
      assert.deepEqual(await c.request('kubeServiceInsight/unit', { uri: at('kustomize/base/service.yaml') }), { name: 'kustomize/overlays/prod', readAs: 'kustomize (unrendered, transformers not applied)' });
      assert.equal(await c.request('kubeServiceInsight/unit', { uri: at('kustomize/overlays/prod/deployment-patch.yaml') }), null, 'a patch is in no unit');
      // The same Service name, two bundles: each hover shows its own unit's port.
      const hoverOf = async (rel: string) => {
        const text = fs.readFileSync(path.join(dir, rel), 'utf8');
        const h = await c.request<Hover>('textDocument/hover', { textDocument: { uri: at(rel) }, position: posOf(text, 'name: server\nspec:\n  selector: {', 0, 7) });
        return (h.contents as MarkupContent).value;
      };
      const a = await hoverOf('alternatives/install/install.yaml');
      const b = await hoverOf('alternatives/install/namespace-install.yaml');
      assert.match(a, /Apply unit `alternatives\/install\/install\.yaml`/);
      assert.match(b, /Apply unit `alternatives\/install\/namespace-install\.yaml`/);
      assert.match(a, /^\| 80 \| 8080 \| TCP \| Deployment\/server: 8080/m);
      assert.match(b, /^\| 8000 \| 9090 \| TCP \| Deployment\/server: 9090/m);
      assert.doesNotMatch(a, /8000/);
      // Panel requests follow the file they name.
      const unitTopo = await c.request<{ unit?: string }>('kubeServiceInsight/topology', { uri: at('alternatives/install/install.yaml') });
      assert.equal(unitTopo.unit, 'alternatives/install/install.yaml', 'the panel is told which unit it draws');
      const topoOf = async (rel: string) => (await c.request<{ nodes: { id: string; uri?: string }[] }>('kubeServiceInsight/topology', { uri: at(rel) })).nodes;
      const nodesA = await topoOf('alternatives/install/install.yaml');
      assert.ok(nodesA.some((n) => n.id.startsWith('Ingress/')), 'install.yaml has the Ingress');
      assert.ok(!(await topoOf('alternatives/install/namespace-install.yaml')).some((n) => n.id.startsWith('Ingress/')));
      const sim = await c.request<{ ok: boolean; service: string; fqdn: string }>('kubeServiceInsight/simulate', { from: 'default/deployment/server', to: 'server:8000', uri: at('alternatives/install/namespace-install.yaml') });
      assert.equal(sim.ok, true, 'port 8000 exists in the namespace-install bundle');
    } finally {
      await c.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
