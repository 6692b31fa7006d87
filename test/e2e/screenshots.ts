// `npm run screenshots`: the README's pictures, taken from the packaged .vsix in code-server on
// a workspace of five real apps from ../shared/corpus (each its own apply unit), in the light
// and the dark default themes. A documentation tool, not a test: it needs ../shared and the
// e2e tools, and writes docs/images/.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installVsix, prepareRun, ROOT, startCodeServer, toolsMissing } from './codeServer';
import { launchWorkbench } from '../helpers/browser';

const CORPUS = path.join(ROOT, '../shared/corpus');
const APPS: [string, string][] = [
  ['gcp-microservices-demo/online-boutique', 'online-boutique'],
  ['istio/bookinfo', 'bookinfo'],
  ['sock-shop/complete-demo', 'sock-shop'],
  ['example-voting-app/k8s-specifications', 'voting-app'],
  ['opentelemetry-demo/otel-demo', 'otel-demo'],
];
/** `simulate`: a request run with Simulate Request (source and target as its pickers list
 *  them) before the picture is taken. */
const SHOTS: { theme: string; file: string; open: string; out: string; simulate?: { from: string; to: string } }[] = [
  { theme: 'Default Light Modern', file: 'kubernetes-manifests.yaml', open: 'online-boutique/kubernetes-manifests.yaml', out: 'topology-light.png' },
  { theme: 'Default Dark Modern', file: 'complete-demo.yaml', open: 'sock-shop/complete-demo.yaml', out: 'topology-dark.png' },
  // Sock Shop's own policy admits name=cart to carts-db, while the pods are name=carts.
  {
    theme: 'Default Dark Modern', file: 'netpol-cart-db-access.yaml', open: 'sock-shop/manifests-policy/netpol-cart-db-access.yaml', out: 'simulate-request.png',
    simulate: { from: 'sock-shop/deployment/carts', to: 'carts-db.sock-shop' },
  },
];
const EXT_ID = 'kube-service-insight.kube-service-insight';
const WAIT_MS = 60_000;

function fiveAppWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-shots-ws-'));
  for (const [from, to] of APPS) fs.cpSync(path.join(CORPUS, from), path.join(dir, to), { recursive: true });
  return dir;
}

async function shoot(vsix: string, shot: (typeof SHOTS)[number]) {
  const run = prepareRun('shots');
  for (const scope of ['User', 'Machine']) {
    const file = path.join(run, 'user-data', scope, 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), 'workbench.colorTheme': shot.theme }, null, 2));
  }
  installVsix(run, vsix);
  const workspace = fiveAppWorkspace();
  if (!fs.existsSync(path.join(workspace, shot.open))) throw new Error(`${shot.open} is not in the five-app workspace`);
  const server = await startCodeServer(run, workspace);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-shots-chromium-'));
  const context = await launchWorkbench(profile);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: WAIT_MS });
    const palette = async (key: string, text: string, row = text) => {
      await page.keyboard.press(key);
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: WAIT_MS });
      await input.focus();
      await page.keyboard.type(text);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: row }).first().waitFor({ timeout: WAIT_MS });
      await page.keyboard.press('Enter');
    };
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'online-boutique' }).first().waitFor({ timeout: WAIT_MS });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
    await palette('Control+P', shot.open, shot.file);
    await page.locator(`.editor-instance .monaco-editor[data-uri$="${shot.file}"]`).waitFor({ timeout: WAIT_MS });
    await page.locator('.statusbar-item', { hasText: 'Kubernetes:' }).first().waitFor({ timeout: WAIT_MS });
    await page.keyboard.press('Control+B'); // the panel gets the Explorer's room
    await palette('F1', 'Kubernetes: Show Service Topology');
    const inner = page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXT_ID}"]`).first().frameLocator('iframe#active-frame');
    await inner.locator('g.node').first().waitFor({ timeout: WAIT_MS });
    await page.waitForTimeout(3000); // the layout settles and the active file's objects are framed
    if (shot.simulate) {
      await palette('F1', 'Kubernetes: Simulate Request');
      // Enter only once the highlighted item is the one wanted (filtering is asynchronous).
      for (const text of [shot.simulate.from, shot.simulate.to]) {
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().waitFor({ timeout: WAIT_MS });
        await page.keyboard.type(text);
        await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: text }).first().waitFor({ timeout: WAIT_MS });
        await page.keyboard.press('Enter');
      }
      await inner.locator('#sim-status').filter({ hasText: /\S/ }).waitFor({ timeout: WAIT_MS });
      await page.waitForTimeout(3000); // the path lights up step by step
    }
    const out = path.join(ROOT, 'docs/images', shot.out);
    await page.screenshot({ path: out });
    const nodes = await inner.locator('g.node').count();
    const status = shot.simulate ? `; simulated: ${await inner.locator('#sim-status').innerText()}` : '';
    console.log(`${out}: ${shot.theme}, ${shot.open} active, ${nodes} nodes drawn${status}`);
  } finally {
    await context.close().catch(() => undefined);
    server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function main() {
  const missing = toolsMissing() ?? (fs.existsSync(CORPUS) ? undefined : `${CORPUS} not found (the corpus sits beside the clone)`);
  if (missing) throw new Error(missing);
  const vsix = path.join(ROOT, 'out/kube-service-insight.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found: run npm run package first`);
  for (const shot of SHOTS) await shoot(vsix, shot);
}

main().then(() => process.exit(0), (e) => {
  console.error(`screenshots: ${(e as Error).message}`);
  process.exit(1);
});
