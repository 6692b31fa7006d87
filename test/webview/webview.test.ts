// The built webview in headless Chromium: what it draws, how it simulates, and that
// workspace text never becomes markup.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { buildTopology, ClusterModel, simulate } from '../../server/src/model';
import { parseWebviewMessage } from '../../webview/src/protocol';
import { browserMissing, launch, openWebview, posted, send, serveWebview, shot } from '../helpers/browser';

function samples(): ClusterModel {
  const m = new ClusterModel();
  const root = path.join(__dirname, '../../samples');
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else m.update(`file://${p}`, fs.readFileSync(p, 'utf8'));
  });
  walk(root);
  return m;
}

const skip = browserMissing();

describe('topology webview in Chromium', { skip }, () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveWebview>>;
  const model = samples();
  const topology = buildTopology(model);

  before(async () => {
    server = await serveWebview();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('names the apply unit it draws when the workspace has several', async () => {
    const { page } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology: { ...topology, unit: 'overlays/prod' }, activeUri: null });
    await page.waitForSelector('g.node[data-id="Service/shop/webui-svc"]');
    assert.match((await page.locator('#counts').textContent())!, /^unit overlays\/prod · \d+ nodes/);
    await page.close();
  });

  test('draws namespaces, nodes and links, with broken links dashed and explained', async () => {
    const { page, problems } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology, activeUri: null });
    await page.waitForSelector('g.node[data-id="Service/shop/webui-svc"]');
    const drawn = topology.nodes.filter((n) => n.kind !== 'policy').length;
    assert.equal(await page.locator('g.node').count(), drawn);
    assert.equal(await page.locator('g.edge').count(), topology.edges.filter((e) => e.kind !== 'isolates').length);
    assert.deepEqual(await page.locator('g.band .band-label').allTextContents(), ['outside the cluster', 'namespace data', 'namespace shop']);
    assert.deepEqual((await page.locator('g.edge.broken title').allTextContents()).sort(), ['✗ Service api has no port 8080', '✗ lists no addresses', '✗ selector matches no pods']);
    assert.equal(await page.locator('g.node[data-id="Deployment/shop/webui"] .node-detail').textContent(), '×3');
    assert.equal(await page.locator('g.node[data-id="Deployment/shop/api"] .policy-badge').textContent(), 'NP 3');
    assert.match((await page.locator('g.node[data-id="Service/shop/cache"] title').textContent())!, /service-selector-no-match/);
    assert.match((await page.locator('#counts').textContent())!, /3 broken/);
    assert.doesNotMatch((await page.locator('#counts').textContent())!, /unit/, 'one unit: none named');
    // Left to right: Ingress before Service before workload.
    const x = async (id: string) => (await page.locator(`g.node[data-id="${id}"]`).boundingBox())!.x;
    assert.ok(await x('Ingress/shop/shop') < await x('Service/shop/webui-svc'));
    assert.ok(await x('Service/shop/webui-svc') < await x('Deployment/shop/webui'));
    await shot(page, '01-topology');
    assert.deepEqual(problems, []);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), []);
    await page.close();
  });

  test('clicking a node asks the host to open its YAML; pods expand; filter and namespace narrow the view', async () => {
    const { page } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology, activeUri: null });
    await page.click('g.node[data-id="Service/shop/webui-svc"]');
    const open = (await posted(page)).find((m) => m.type === 'open')!;
    const svc = topology.nodes.find((n) => n.id === 'Service/shop/webui-svc')!;
    assert.deepEqual(open, { type: 'open', uri: svc.uri, line: svc.line });
    await page.click('g.node[data-id="Deployment/shop/webui"] [data-expand]');
    await page.waitForSelector('g.node[data-id="Deployment/shop/webui"] text.pod');
    assert.equal(await page.locator('g.node[data-id="Deployment/shop/webui"] text.pod').count(), 3);
    await page.locator('#search').click();
    await page.keyboard.type('postgres');
    await page.waitForSelector('g.node.dim');
    assert.ok(await page.locator('g.node.match').count() >= 2);
    await shot(page, '02-filtered');
    await page.close();
  });

  test('a simulation: trace table, highlighted path, distribution chart', async () => {
    const { page, problems } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology, activeUri: null });
    await send(page, { type: 'choices', sources: ['external', 'shop/deployment/webui'], targets: ['api.shop'] });
    await page.waitForSelector('g.node');
    const result = simulate(model, 'external', 'http://shop.example.com/', { requests: 300 });
    assert.equal(result.ok, true);
    await send(page, { type: 'simulation', result });
    await page.waitForSelector('g.node.on-path[data-id="Deployment/shop/webui"]');
    assert.deepEqual(await page.locator('g.node.on-path').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.id).sort()),
      ['Deployment/shop/webui', 'Ingress/shop/shop', 'Service/shop/webui-svc', 'external']);
    assert.ok(await page.locator('g.edge.on-path').count() >= 3);
    // The view follows the path: every highlighted node is inside the graph area.
    const area = (await page.locator('#graph').boundingBox())!;
    for (const id of ['external', 'Ingress/shop/shop', 'Service/shop/webui-svc', 'Deployment/shop/webui']) {
      const b = (await page.locator(`g.node[data-id="${id}"]`).boundingBox())!;
      assert.ok(b.y >= area.y - 1 && b.y + b.height <= area.y + area.height + 1 && b.x >= area.x - 1 && b.x + b.width <= area.x + area.width + 1, `${id} in view`);
    }
    const rows = await page.locator('#sim-trace tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(rows.map((r) => [r[1], r[3]]), result.steps.map((s) => [s.title, s.status === 'ok' ? '✔ pass' : s.status === 'fail' ? '✘ fail' : s.status === 'skip' ? '– skipped' : '• note']));
    assert.equal(await page.locator('#sim-chart .bar').count(), 3);
    const counts = (await page.locator('#sim-chart .bar-count').allTextContents()).map(Number);
    assert.equal(counts.reduce((a, b) => a + b, 0), 300);
    assert.match((await page.locator('#sim-status').textContent())!, /reaches Service shop\/webui-svc \(3 endpoints\)/);
    // The summary and the chart come first; the trace of a request that got through is folded.
    const top = async (sel: string) => (await page.locator(sel).boundingBox())!.y;
    assert.ok(await top('#sim-status') < await top('#sim-chart') && await top('#sim-chart') < await top('#sim-trace-box'));
    assert.equal(await page.locator('#sim-trace-box').evaluate((d) => (d as HTMLDetailsElement).open), false);
    assert.match((await page.locator('#sim-trace-box summary').textContent())!, new RegExp(`^Trace: ${result.steps.length} steps, all passed`));
    assert.match((await page.locator('#sim-chart .balancing').textContent())!, /kube-proxy iptables/);
    await shot(page, '03-simulation-ok');
    // A trace row shows its objects on the graph; their names open the YAML.
    await page.click('#sim-trace-box summary');
    await page.locator('#sim-trace tr[data-step="service-port"]').click();
    await page.waitForSelector('g.node.revealed[data-id="Service/shop/webui-svc"]');
    await page.locator('#sim-trace tr[data-step="service-port"] .open-yaml').first().click();
    const svcNode = topology.nodes.find((n) => n.id === 'Service/shop/webui-svc')!;
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'open').at(-1), { type: 'open', uri: svcNode.uri, line: svcNode.line });

    // A pod calling a Service its manifests do not name: the call itself is drawn (the
    // picture has no link for it), with the lookup that found it on the way.
    const other = simulate(model, 'shop/deployment/redis', 'webui-svc.shop');
    assert.equal(other.ok, true);
    await send(page, { type: 'simulation', result: other });
    await page.waitForSelector('g.request-edge.on-path[data-from="Deployment/shop/redis"][data-to="Service/shop/webui-svc"]');
    const otherLookup = page.locator('g.request-dns-ok.on-path[data-from="Deployment/shop/redis"]');
    assert.equal(await otherLookup.locator('text').textContent(), 'DNS ✓ webui-svc.shop');
    assert.match((await otherLookup.locator('title').textContent())!, /webui-svc\.shop\.svc\.cluster\.local → A 10\.\d+\.\d+\.\d+/);
    // The web UI's call to the API is declared (env API_URL): the drawn link lights up.
    const call = simulate(model, 'shop/deployment/webui', 'api.shop');
    assert.equal(call.ok, true);
    await send(page, { type: 'simulation', result: call });
    await page.waitForSelector('g.edge.kind-calls.on-path[data-from="Deployment/shop/webui"][data-to="Service/shop/api"]');
    assert.equal(await page.locator('g.request-edge:not(.request-dns-ok)').count(), 0, 'no second line over the declared one');
    assert.equal(await page.locator('g.request-dns-ok.on-path[data-from="Deployment/shop/webui"] text').textContent(), 'DNS ✓ api.shop');

    // A name that does not resolve: the failed lookup is its own hop after the client, red,
    // with the trace's reason on hover; the next simulation takes it away.
    const typo = simulate(model, 'shop/deployment/webui', 'apii.shop');
    assert.equal(typo.steps.find((x) => x.step === 'dns')?.status, 'fail');
    await send(page, { type: 'simulation', result: typo });
    const dns = page.locator('g.request-dns.failed[data-from="Deployment/shop/webui"]');
    await dns.waitFor();
    assert.match((await dns.locator('text').textContent())!, /^✗ Resolve apii\.shop/);
    assert.match((await dns.locator('title').textContent())!, /apii\.shop/);
    const client = (await page.locator('g.node[data-id="Deployment/shop/webui"] .node-box').boundingBox())!;
    const pill = (await dns.locator('rect').boundingBox())!;
    assert.ok(pill.x > client.x + client.width, 'drawn after the client');
    await shot(page, '03-simulation-dns-failed');
    await send(page, { type: 'simulation', result: call });
    await page.waitForSelector('g.request-dns', { state: 'detached' });

    const failed = simulate(model, 'shop/deployment/api', 'postgres.data:5432');
    await send(page, { type: 'simulation', result: failed });
    // The failing step is the api pods' egress policy: the policies that cause it turn red.
    await page.waitForSelector('g.node.kind-policy.failed');
    assert.match((await page.locator('#sim-status').textContent())!, /policy-denied: NetworkPolicy blocks DNS/);
    assert.match((await page.locator('#sim-status .hint').textContent())!, /UDP and TCP port 53/);
    assert.equal(await page.locator('#sim-trace tr.status-fail').count(), 1);
    // Failed: the trace is open, and the policy that blocks is a node on the path.
    assert.equal(await page.locator('#sim-trace-box').evaluate((d) => (d as HTMLDetailsElement).open), true);
    const blocking = failed.steps.find((x) => x.status === 'fail')!.objects.filter((o) => o.kind === 'NetworkPolicy');
    assert.ok(blocking.length > 0);
    for (const p of blocking) {
      await page.waitForSelector(`g.node.kind-policy.failed[data-id="${p.nodeId}"]`);
      assert.equal(await page.locator(`g.edge.kind-isolates[data-from="${p.nodeId}"][data-to="Deployment/shop/api"]`).count(), 1);
    }
    await shot(page, '04-simulation-failed');
    // The client itself reached the step; only the policies are the failure.
    assert.equal(await page.locator('g.node.failed[data-id="Deployment/shop/api"]').count(), 0);

    // Denied at the destination's ingress: the policies stand beside the pods that refuse (on
    // the path, reached), linked to them and not to the client (whose ingress is not in play).
    const refused = simulate(model, 'shop/deployment/redis', 'api.shop');
    await send(page, { type: 'simulation', result: refused });
    const refusing = refused.steps.find((x) => x.status === 'fail')!.objects.filter((o) => o.kind === 'NetworkPolicy');
    assert.deepEqual(refusing.map((p) => p.name).sort(), ['api-from-webui', 'default-deny-ingress']);
    for (const p of refusing) {
      await page.waitForSelector(`g.node.kind-policy.failed[data-id="${p.nodeId}"]`);
      assert.equal(await page.locator(`g.edge.kind-isolates[data-from="${p.nodeId}"][data-to="Deployment/shop/api"]`).count(), 1);
      assert.equal(await page.locator(`g.edge.kind-isolates[data-from="${p.nodeId}"][data-to="Deployment/shop/redis"]`).count(), 0);
    }
    await page.waitForSelector('g.node.on-path[data-id="Deployment/shop/api"]');
    assert.equal(await page.locator('g.node.failed[data-id="Deployment/shop/api"]').count(), 0);
    // The next request that gets through takes the policy out of the picture again.
    await send(page, { type: 'simulation', result: call });
    await page.waitForSelector(`g.node[data-id="${blocking[0].nodeId}"]`, { state: 'detached' });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the form posts a validated simulate request', async () => {
    const { page } = await openWebview(browser, server.url);
    await send(page, { type: 'choices', sources: ['external', 'shop/deployment/webui'], targets: ['api.shop'] });
    await send(page, { type: 'prefill', from: 'shop/deployment/webui', to: 'api.shop', run: true });
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'simulate'));
    const msg = (await posted(page)).find((m) => m.type === 'simulate');
    assert.deepEqual(parseWebviewMessage(msg), { type: 'simulate', from: 'shop/deployment/webui', to: 'api.shop', requests: 100 });
    await page.close();
  });

  test('state survives a reload (pan/zoom, filter, last simulation)', async () => {
    const { page } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology, activeUri: null });
    await page.waitForSelector('g.node');
    await page.locator('#search').click();
    await page.keyboard.type('api');
    await send(page, { type: 'simulation', result: simulate(model, 'shop/deployment/webui', 'api.shop') });
    await page.waitForSelector('#sim-trace tbody tr', { state: 'attached' });
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    assert.equal(await page.locator('#sim-trace tbody tr').count(), 5);
    await send(page, { type: 'topology', topology, activeUri: null });
    await page.waitForSelector('g.node.match');
    assert.equal(await page.locator('#search').evaluate((el) => (el as HTMLInputElement).value), 'api');
    await page.close();
  });

  test('manifest text with markup and script is shown as text, never run', async () => {
    const { page, problems } = await openWebview(browser, server.url);
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const hostile = {
      ...topology,
      nodes: topology.nodes.map((n) => (n.id === 'Service/shop/webui-svc' ? { ...n, label: evil, detail: evil, problems: [evil] } : n)),
      namespaces: [...topology.namespaces, evil],
    };
    await send(page, { type: 'topology', topology: hostile, activeUri: null });
    await page.waitForSelector('g.node');
    const evilResult = { ...simulate(model, 'external', 'http://shop.example.com/'), service: evil };
    evilResult.steps = evilResult.steps.map((s) => ({ ...s, title: evil, details: [evil] }));
    evilResult.distribution = evilResult.distribution.map((d) => ({ ...d, endpoint: evil }));
    await send(page, { type: 'simulation', result: evilResult });
    await page.waitForSelector('#sim-trace tbody tr', { state: 'attached' });
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('#app img, #app script').count(), 0);
    assert.ok((await page.locator('g.node[data-id="Service/shop/webui-svc"] title').textContent())!.includes('<img src=x'));
    assert.ok((await page.locator('#sim-trace tbody td').nth(1).textContent())!.startsWith('<img src=x'));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('an empty workspace shows what to do, not a form with nothing to pick', async () => {
    const { page, problems } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology: { nodes: [], edges: [], namespaces: [] }, activeUri: null });
    await page.waitForSelector('#empty:not([hidden])');
    assert.match((await page.locator('#empty').textContent())!, /No Kubernetes objects in this workspace yet\.Open a folder with manifests/);
    assert.equal(await page.locator('#simulation').isVisible(), false);
    // Objects arrive: the picture and the form come back.
    await send(page, { type: 'topology', topology, activeUri: null });
    await page.waitForSelector('g.node');
    assert.equal(await page.locator('#empty').isVisible(), false);
    assert.equal(await page.locator('#simulation').isVisible(), true);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('unknown or malformed host messages are dropped', async () => {
    const { page, problems } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology: { nodes: 'nope' } });
    await send(page, { type: 'eval', code: 'window.__pwned = 1' });
    await send(page, 'just a string');
    await send(page, { type: 'topology', topology, activeUri: null });
    await page.waitForSelector('g.node');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

test('messages from the webview are validated before use', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'open', uri: 'file:///w/a.yaml', line: 3 }), { type: 'open', uri: 'file:///w/a.yaml', line: 3 });
  for (const bad of [
    null, 'open', { type: 'open', uri: 42, line: 1 }, { type: 'open', uri: 'x', line: -1 }, { type: 'open', uri: 'x', line: 1, extra: true },
    { type: 'simulate', from: 'a', to: 'b', requests: 0 }, { type: 'simulate', from: 'a', to: 'b', requests: 1e9 }, { type: 'run', cmd: 'rm -rf /' },
    { type: 'simulate', from: 'a'.repeat(600), to: 'b', requests: 1 },
  ]) assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 60));
});
