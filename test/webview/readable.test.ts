// The topology at workspace scale, in headless Chromium: namespaces packed side by side, read
// at a legible size, labels clear of nodes, find, namespace choice, the legend, and links
// between boxes drawn to stand-ins.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { buildTopology, ClusterModel, Topology } from '../../server/src/model';
import { generateWorkspace } from '../bench/generate';
import { browserMissing, launch, openWebview, send, serveWebview, shot } from '../helpers/browser';

function modelOf(files: Iterable<[string, string]>): ClusterModel {
  const m = new ClusterModel();
  for (const [uri, text] of files) m.update(uri, text);
  return m;
}

function sampleFiles(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else out.push([`file://${p}`, fs.readFileSync(p, 'utf8')]);
  });
  walk(path.join(__dirname, '../../samples'));
  return out;
}

interface Rect { id: string; x: number; y: number; width: number; height: number }

/** Screen rectangles of the drawn nodes, stand-ins, edge labels and namespace boxes. */
async function geometry(page: Page): Promise<{ nodes: Rect[]; labels: Rect[]; bands: Rect[] }> {
  return page.evaluate(`(() => {
    const r = (el, id) => { const b = el.getBoundingClientRect(); return { id, x: b.x, y: b.y, width: b.width, height: b.height }; };
    return {
      nodes: [...document.querySelectorAll('g.node .node-box, g.proxy rect')].map((el) => r(el, el.closest('g').dataset.id || el.closest('g').dataset.of)),
      labels: [...document.querySelectorAll('g.edge-label-box rect')].map((el) => r(el, el.closest('g').dataset.edge)),
      bands: [...document.querySelectorAll('g.band rect')].map((el) => r(el, el.closest('g').dataset.namespace)),
    };
  })()`);
}

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

function assertApart(what: string, xs: Rect[], ys: Rect[] = xs) {
  for (const [i, a] of xs.entries()) {
    for (const [j, b] of ys.entries()) {
      if (xs === ys && j <= i) continue;
      assert.ok(!overlap(a, b), `${what}: ${a.id} overlaps ${b.id}`);
    }
  }
}

/** On-screen height of a node's name: 12 px text at scale 1. */
async function labelPixels(page: Page): Promise<number> {
  return (await page.locator('g.node .node-label').first().boundingBox())!.height;
}

const inView = async (page: Page, selector: string) => {
  const area = (await page.locator('#graph').boundingBox())!;
  const b = (await page.locator(selector).boundingBox())!;
  return b.x >= area.x - 1 && b.y >= area.y - 1 && b.x + b.width <= area.x + area.width + 1 && b.y + b.height <= area.y + area.height + 1;
};

const skip = browserMissing();

describe('the topology at workspace scale, in Chromium', { skip }, () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveWebview>>;
  const samples = buildTopology(modelOf(sampleFiles()));
  const generated = generateWorkspace(300);
  const large: Topology = buildTopology(modelOf([...generated.files].map(([rel, text]) => [`file:///w/${rel}`, text])));
  const huge: Topology = buildTopology(modelOf([...generateWorkspace(1200, 7).files].map(([rel, text]) => [`file:///h/${rel}`, text])));

  before(async () => {
    server = await serveWebview();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('namespaces are boxes side by side, nothing overlaps, and links between boxes end at stand-ins', async () => {
    const { page, problems } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology: samples, activeUri: null });
    await page.waitForSelector('g.node[data-id="Service/shop/webui-svc"]');
    const g = await geometry(page);
    assertApart('nodes', g.nodes);
    assertApart('labels over nodes', g.labels, g.nodes);
    assertApart('namespace boxes', g.bands);
    // Packed to the panel's shape: some box beside another, not one column.
    assert.ok(g.bands.some((a) => g.bands.some((b) => a !== b && a.x + a.width <= b.x)), 'two boxes side by side');
    // Every node inside its namespace's box.
    for (const n of g.nodes.filter((x) => x.id?.includes('/shop/'))) {
      const band = g.bands.find((b) => b.id === 'shop')!;
      assert.ok(n.x >= band.x && n.x + n.width <= band.x + band.width && n.y >= band.y && n.y + n.height <= band.y + band.height, `${n.id} inside shop`);
    }
    // External clients link into shop through a stand-in there; clicking it shows them.
    const proxy = page.locator('g.proxy[data-of="external"]');
    assert.equal(await proxy.count(), 1);
    assert.equal(await proxy.locator('text').textContent(), 'from External clients');
    assert.equal(await page.locator('g.edge[data-from="external"][data-to="Ingress/shop/shop"]').count(), 1);
    await page.locator('#graph').evaluate(`(el) => el.dispatchEvent(new WheelEvent('wheel', { deltaY: 500, clientX: 1200, clientY: 800, bubbles: true }))`);
    await proxy.click();
    assert.ok(await inView(page, 'g.node[data-id="external"]'), 'external clients shown');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test(`a ${large.nodes.length}-node workspace opens at a readable scale, with labels clear of nodes`, async () => {
    const { page, problems } = await openWebview(browser, server.url, { width: 1000, height: 700 });
    await send(page, { type: 'topology', topology: large, activeUri: null });
    await page.waitForSelector('g.node');
    assert.ok(await labelPixels(page) >= 10, `node names ${await labelPixels(page)} px high`);
    const g = await geometry(page);
    assertApart('nodes', g.nodes);
    assertApart('labels over nodes', g.labels, g.nodes);
    // The namespace with the most problems is the one in view.
    const worst = [...new Set(large.nodes.map((n) => n.namespace))]
      .map((ns) => ({ ns, problems: large.nodes.filter((n) => n.namespace === ns).reduce((a, n) => a + n.problems.length, 0) }))
      .sort((a, b) => b.problems - a.problems)[0];
    const band = g.bands.find((b) => b.id === (worst.ns ?? ''))!;
    const area = (await page.locator('#graph').boundingBox())!;
    assert.ok(band.x <= area.x + area.width && band.x + band.width >= area.x && band.y <= area.y + area.height && band.y + band.height >= area.y, `namespace ${worst.ns} in view`);
    await shot(page, '05-generated-readable');
    // Fit shows all of it, however small.
    await page.click('#fit');
    assert.ok(await labelPixels(page) < 10);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a long name stops short of the node\'s badges (policy count, problem mark)', async () => {
    const long = 'recommendationservice-canary';
    const topo = buildTopology(modelOf([['file:///b/app.yaml', [
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${long}, namespace: shop}\nspec:\n  selector: {matchLabels: {app: r}}\n  template:\n    metadata: {labels: {app: r}}\n    spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${long}, namespace: shop}\nspec:\n  selector: {app: r}\n  ports: [{port: 80, targetPort: 9999}]`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}`,
    ].join('\n---\n')]]));
    const { page, problems } = await openWebview(browser, server.url, { width: 1000, height: 700 });
    await send(page, { type: 'topology', topology: topo, activeUri: null });
    await page.waitForSelector('g.node .policy-badge');
    const badges = await page.evaluate(`[...document.querySelectorAll('g.node')].flatMap((n) => {
      const name = n.querySelector('.node-label').getBoundingClientRect();
      return [...n.querySelectorAll('.policy-badge, .problem-mark')].map((b) => ({ id: n.dataset.id, over: Math.round(name.right - b.getBoundingClientRect().left) }));
    })`) as { id: string; over: number }[];
    assert.equal(badges.length, 2, 'the policy badge on the Deployment, the problem mark on the Service');
    assert.deepEqual(badges.filter((b) => b.over > 0), [], 'names running into badges');
    assert.deepEqual(problems, []);
    await page.close();
  });


  test('a namespace entered from outside through many Ingresses: a stand-in beside each, columns by kind', async () => {
    const app = (i: number) => [
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web-${i}, namespace: edge}\nspec:\n  selector: {matchLabels: {app: web-${i}}}\n  template:\n    metadata: {labels: {app: web-${i}}}\n    spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: web-${i}, namespace: edge}\nspec:\n  selector: {app: web-${i}}\n  ports: [{port: 80, targetPort: 8080}]`,
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web-${i}, namespace: edge}\nspec:\n  rules: [{host: web-${i}.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web-${i}, port: {number: 80}}}}]}}]`,
    ].join('\n---\n');
    const entries = 12;
    const topo = buildTopology(modelOf([['file:///e/apps.yaml', Array.from({ length: entries }, (_, i) => app(i)).join('\n---\n')]]));
    const { page, problems } = await openWebview(browser, server.url, { width: 1300, height: 900 });
    await send(page, { type: 'topology', topology: topo, activeUri: null });
    await page.waitForSelector('g.node[data-id="Ingress/edge/web-0"]');
    await page.click('#fit');
    const g = await geometry(page);
    assertApart('nodes', g.nodes);
    assertApart('labels over nodes', g.labels, g.nodes);
    // Twelve links from outside would fan out of one far stand-in: each Ingress has its own.
    assert.equal(await page.locator('g.proxy[data-of="external"]').count(), entries);
    const at = (id: string) => g.nodes.find((n) => n.id === id)!;
    const stands = g.nodes.filter((n) => n.id === 'external');
    for (let i = 0; i < entries; i++) {
      const [ingress, service, workload] = [at(`Ingress/edge/web-${i}`), at(`Service/edge/web-${i}`), at(`Deployment/edge/web-${i}`)];
      assert.ok(ingress.x < service.x && service.x < workload.x, `web-${i}: Ingress, Service, Deployment left to right`);
      const mine = stands.filter((p) => p.x + p.width <= ingress.x && Math.abs((p.y + p.height / 2) - (ingress.y + ingress.height / 2)) < ingress.height);
      assert.equal(mine.length, 1, `web-${i}: one stand-in on its row, left of it`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
  test('opening on the active file: its objects and neighbours, readable', async () => {
    const { page } = await openWebview(browser, server.url, { width: 900, height: 600 });
    // A file of a few objects, far from the start of the picture.
    const perFile = new Map<string, string[]>();
    for (const n of large.nodes) if (n.uri && n.kind !== 'policy') perFile.set(n.uri, [...(perFile.get(n.uri) ?? []), n.id]);
    const [uri, ids] = [...perFile].filter(([, xs]) => xs.length <= 3).at(-1)!;
    await send(page, { type: 'topology', topology: large, activeUri: uri });
    await page.waitForSelector('g.node.active');
    assert.ok(await labelPixels(page) >= 10);
    for (const id of ids) assert.ok(await inView(page, `g.node[data-id="${id}"]`), `${id} in view`);
    await page.close();
  });

  test('find lists and counts the matches; Enter moves to each in turn', async () => {
    const { page } = await openWebview(browser, server.url, { width: 1000, height: 700 });
    await send(page, { type: 'topology', topology: large, activeUri: null });
    await page.waitForSelector('g.node');
    await page.click('#fit');
    const query = 'app-1';
    const expected = large.nodes.filter((n) => n.kind !== 'policy' && (n.id.toLowerCase().includes(query) || n.label.toLowerCase().includes(query)));
    assert.ok(expected.length > 8, 'enough matches to step through');
    await page.locator('#search').click();
    await page.keyboard.type(query);
    await page.waitForSelector('#matches li');
    assert.equal(await page.locator('#match-count').textContent(), `${expected.length} matches`);
    assert.equal(await page.locator('#matches li[data-match]').count(), 8);
    assert.match((await page.locator('#matches li.more').textContent())!, new RegExp(`${expected.length - 8} more`));
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('#match-count').textContent(), `${i + 1} of ${expected.length}`);
      const id = (await page.locator('g.node.current-match').getAttribute('data-id'))!;
      assert.ok(expected.some((n) => n.id === id));
      assert.ok(await inView(page, 'g.node.current-match'), `${id} moved into view`);
      assert.ok(await labelPixels(page) >= 10, 'and readable');
      seen.push(id);
    }
    assert.equal(new Set(seen).size, 3, 'each Enter a new match');
    await page.keyboard.press('Shift+Enter');
    assert.equal(await page.locator('g.node.current-match').getAttribute('data-id'), seen[1]);
    // A match in the list is a way there too.
    await page.locator('#matches li[data-match]').nth(5).click();
    assert.equal(await page.locator('#match-count').textContent(), `6 of ${expected.length}`);
    await page.close();
  });

  test('choosing a namespace lays it out alone and counts only it', async () => {
    const { page } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology: samples, activeUri: null });
    await page.waitForSelector('g.node[data-id="Service/data/postgres"]');
    await page.evaluate(`(() => { const d = document.getElementById('namespace'); d.value = 'shop'; d.dispatchEvent(new Event('change')); })()`);
    await page.waitForSelector('g.node[data-id="Service/data/postgres"]', { state: 'detached' });
    const shop = samples.nodes.filter((n) => n.kind !== 'policy' && n.namespace === 'shop');
    const drawn = await page.locator('g.node').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.id));
    // Shop's objects and, outside the cluster, the clients that reach them.
    assert.deepEqual(drawn.filter((id) => id !== 'external').sort(), shop.map((n) => n.id).sort());
    assert.deepEqual(await page.locator('g.band .band-label').allTextContents(), ['outside the cluster', 'namespace shop']);
    assert.match((await page.locator('#counts').textContent())!, new RegExp(`^namespace shop · ${drawn.length} nodes`));
    await page.close();
  });

  test('the legend explains colours, broken and simulated-path links, badges and the * marker', async () => {
    const { page } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology: samples, activeUri: null });
    await page.click('#legend summary');
    const items = await page.locator('#legend li').allTextContents();
    for (const text of ['Ingress', 'Service', 'broken link', 'path of the last simulated request', 'NetworkPolicies', 'simulated value']) {
      assert.ok(items.some((i) => i.includes(text)), `legend: ${text}`);
    }
    assert.ok(await page.locator('#legend ul').isVisible());
    await page.close();
  });

  test('a large picture opens with one namespace open and the others as boxes with their counts', async () => {
    const { page, problems } = await openWebview(browser, server.url, { width: 1100, height: 750 });
    await send(page, { type: 'topology', topology: huge, activeUri: null });
    await page.waitForSelector('g.band.collapsed');
    const drawable = huge.nodes.filter((n) => n.kind !== 'policy');
    const namespaces = [...new Set(drawable.map((n) => n.namespace).filter((ns): ns is string => !!ns))].sort();
    const problemsIn = (ns: string) => drawable.filter((n) => n.namespace === ns).reduce((a, n) => a + n.problems.length, 0);
    const worst = [...namespaces].sort((a, b) => problemsIn(b) - problemsIn(a) || (a < b ? -1 : 1))[0];
    const collapsed = await page.locator('g.band.collapsed').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.namespace));
    assert.deepEqual(collapsed, namespaces.filter((ns) => ns !== worst));
    // Only the open namespace's objects are drawn, readable; each box says what it holds.
    const drawn = await page.locator('g.node').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.namespace));
    assert.ok(drawn.length > 0 && drawn.every((ns) => ns === worst || ns === ''));
    assert.ok(await labelPixels(page) >= 10);
    const other = collapsed[0]!;
    const count = drawable.filter((n) => n.namespace === other).length;
    assert.match((await page.locator(`g.band.collapsed[data-namespace="${other}"] .band-summary`).textContent())!, new RegExp(`^${count} objects`));
    assert.match((await page.locator('#counts').textContent())!, new RegExp(`${collapsed.length} namespaces collapsed`));
    const g = await geometry(page);
    assertApart('boxes', g.bands);
    await shot(page, '06-collapsed-namespaces');
    // A click opens one; its objects join the picture.
    await page.click('#fit');
    await page.locator(`g.band.collapsed[data-namespace="${other}"]`).click();
    await page.waitForSelector(`g.node[data-namespace="${other}"]`);
    assert.equal(await page.locator(`g.node[data-namespace="${other}"]`).count(), count);
    // And collapses again.
    await page.click('#fit');
    await page.locator(`g.band[data-namespace="${other}"] .band-toggle`).click();
    await page.waitForSelector(`g.band.collapsed[data-namespace="${other}"]`);
    assert.equal(await page.locator(`g.node[data-namespace="${other}"]`).count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });


  test('the minimap shows the whole picture and the part in view; a click there moves the view; hidden when all is in view', async () => {
    const { page, problems } = await openWebview(browser, server.url, { width: 1100, height: 750 });
    await send(page, { type: 'topology', topology: huge, activeUri: null });
    await page.waitForSelector('g.band.collapsed');
    const map = page.locator('.minimap');
    assert.ok(await map.isVisible(), 'a picture larger than the view has a minimap');
    // One mark per drawn node, coloured by kind; those with problems marked as such.
    assert.equal(await map.locator('rect.minimap-node').count(), await page.locator('g.node').count());
    assert.equal(await map.locator('rect.minimap-node.problems').count(), await page.locator('g.node .problem-mark').count());
    // The frame is to the map what the view is to the picture.
    const graph = (await page.locator('#graph').boundingBox())!;
    const mapBox = (await map.locator('svg').boundingBox())!;
    const frame = (await map.locator('rect.minimap-view').boundingBox())!;
    const scale = await page.evaluate(`(() => { const t = document.getElementById('viewport').getAttribute('transform'); return Number(/scale\\(([^)]+)\\)/.exec(t)[1]); })()`) as number;
    const graphWidth = Number(await map.locator('svg').getAttribute('width'));
    const pictureWidth = (await page.locator('g.band').evaluateAll((els) => Math.max(...els.map((e) => { const r = (e.querySelector('rect') as SVGRectElement).getBBox(); return r.x + r.width; })))) as number;
    const expectedFrame = (graph.width / scale) * (graphWidth / pictureWidth);
    assert.ok(Math.abs(frame.width - expectedFrame) < Math.max(4, expectedFrame * 0.1), `frame ${frame.width} px wide, expected about ${expectedFrame}`);
    // A click in the map's far corner brings what is there into view.
    const corner = { x: mapBox.x + mapBox.width - 3, y: mapBox.y + mapBox.height - 3 };
    const before = await page.locator('#viewport').getAttribute('transform');
    await page.mouse.click(corner.x, corner.y);
    assert.notEqual(await page.locator('#viewport').getAttribute('transform'), before);
    const moved = (await map.locator('rect.minimap-view').boundingBox())!;
    assert.ok(Math.abs(moved.x + moved.width / 2 - corner.x) < 2 && Math.abs(moved.y + moved.height / 2 - corner.y) < 2, 'the frame is centred where the click was');
    // Fit shows everything: no minimap.
    await page.click('#fit');
    assert.ok(!(await map.isVisible()), 'no minimap when all is in view');
    assert.deepEqual(problems, []);
    await page.close();
  });
  test('find reaches into a collapsed namespace: it opens, and the match is shown', async () => {
    const { page } = await openWebview(browser, server.url, { width: 1100, height: 750 });
    await send(page, { type: 'topology', topology: huge, activeUri: null });
    await page.waitForSelector('g.band.collapsed');
    const ns = await page.locator('g.band.collapsed').first().getAttribute('data-namespace');
    // A Service whose name is in no other node's name or id: the only match.
    const unique = (q: string) => huge.nodes.filter((n) => n.kind !== 'policy' && (n.id.toLowerCase().includes(q) || n.label.toLowerCase().includes(q))).length === 1;
    const target = huge.nodes.find((n) => n.namespace === ns && n.kind === 'service' && unique(n.id.toLowerCase()))!;
    await page.locator('#search').click();
    await page.keyboard.type(target.id);
    assert.equal(await page.locator('#match-count').textContent(), '1 match');
    await page.waitForSelector('#matches li');
    const index = (await page.locator('#matches li[data-match]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.match))).indexOf(target.id);
    assert.ok(index >= 0, `${target.id} listed`);
    await page.locator('#matches li[data-match]').nth(index).click();
    await page.waitForSelector(`g.node.current-match[data-id="${target.id}"]`);
    assert.ok(await inView(page, `g.node[data-id="${target.id}"]`));
    assert.equal(await page.locator(`g.band.collapsed[data-namespace="${ns}"]`).count(), 0, 'its namespace opened');
    await page.close();
  });

  test('keyboard: Tab follows the picture, arrows follow the links, the focused node is in view', async () => {
    const { page, problems } = await openWebview(browser, server.url, { width: 1000, height: 700 });
    await send(page, { type: 'topology', topology: samples, activeUri: null });
    await page.waitForSelector('g.node[data-id="Ingress/shop/shop"]');
    // Tab order is reading order: box by box, then row by row, left to right.
    const order = await page.locator('g.node').evaluateAll((els) => els.map((e) => {
      const b = e.getBoundingClientRect();
      return { id: (e as SVGElement).dataset.id!, ns: (e as SVGElement).dataset.namespace!, x: b.x, y: b.y };
    }));
    const boxes = [...new Set(order.map((o) => o.ns))];
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1], order[i]];
      if (a.ns !== b.ns) { assert.ok(boxes.indexOf(a.ns) < boxes.indexOf(b.ns)); continue; }
      assert.ok(a.y < b.y - 5 || (Math.abs(a.y - b.y) <= 20 && a.x < b.x), `${a.id} before ${b.id}`);
    }
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id);
    await page.locator('g.node[data-id="Ingress/shop/shop"]').focus();
    await page.keyboard.press('ArrowRight');
    const service = await focused();
    assert.ok(['Service/shop/api', 'Service/shop/webui-svc'].includes(service!), `→ ${service}`);
    await page.keyboard.press('ArrowDown');
    const other = await focused();
    assert.ok(['Service/shop/api', 'Service/shop/webui-svc'].includes(other!) && other !== service, `↓ ${other}`);
    await page.keyboard.press('ArrowRight');
    assert.match((await focused())!, /^Deployment\/shop\//);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focused(), other);
    // Zoomed in far from it, a node that takes the focus is brought into view.
    for (let i = 0; i < 6; i++) await page.click('#zoom-in');
    await page.locator('g.node[data-id="Deployment/shop/redis"]').focus();
    assert.ok(await inView(page, 'g.node[data-id="Deployment/shop/redis"]'));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('focus mode: a node with what reaches it and what it reaches, and its policies; Show all returns', async () => {
    const { page, problems } = await openWebview(browser, server.url);
    await send(page, { type: 'topology', topology: samples, activeUri: null });
    await page.waitForSelector('g.node[data-id="Service/shop/api"]');
    assert.equal(await page.locator('#focus').getAttribute('disabled'), '', 'nothing selected yet');
    await page.locator('g.node[data-id="Service/shop/api"]').focus();
    await page.keyboard.press('f');
    await page.waitForSelector('#focus-label');
    assert.equal(await page.locator('#focus-label').textContent(), 'Focus: Service api · 2 hops');
    await page.waitForSelector('g.node[data-id="Service/data/postgres"]', { state: 'detached' });
    const drawn = (await page.locator('g.node').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.id!))).sort();
    // Upstream the Ingress and the clients outside (also through its load balancer) and the web
    // UI that declares a call to it (and, a hop further, the Services that select the web UI);
    // downstream its workload; and the NetworkPolicies that isolate the workloads, as nodes.
    const policies = samples.edges.filter((e) => e.kind === 'isolates' && (e.to === 'Deployment/shop/api' || e.to === 'Deployment/shop/webui')).map((e) => e.from);
    assert.equal(new Set(policies).size, 4);
    assert.deepEqual(drawn, [...new Set(['Deployment/shop/api', 'Deployment/shop/webui', 'Ingress/shop/shop', 'Service/shop/api', 'Service/shop/webui-nodeport', 'Service/shop/webui-svc', 'external', ...policies])].sort());
    assert.equal(await page.locator('g.node.kind-policy').count(), 4);
    assert.ok(await labelPixels(page) >= 10, 'readable');
    // Fewer hops never draw more.
    await page.click('#focus-less');
    await page.waitForFunction(() => document.querySelector('#focus-label')?.textContent === 'Focus: Service api · 1 hop');
    assert.ok(await page.locator('g.node').count() <= drawn.length);
    await page.click('#focus-clear');
    await page.waitForSelector('g.node[data-id="Service/data/postgres"]');
    assert.equal(await page.locator('g.node').count(), samples.nodes.filter((n) => n.kind !== 'policy').length);
    // The toolbar button focuses the node last clicked.
    await page.locator('g.node[data-id="Deployment/shop/webui"]').focus();
    await page.click('#focus');
    await page.waitForSelector('#focus-label');
    assert.match((await page.locator('#focus-label').textContent())!, /^Focus: Deployment webui/);
    await page.locator('g.node[data-id="Deployment/shop/webui"]').focus();
    await page.keyboard.press('Escape');
    await page.waitForSelector('g.node[data-id="Service/data/postgres"]');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
