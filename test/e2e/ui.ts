// `npm run test:ui`: the packaged .vsix installed into code-server, used through the workbench
// UI as a person would (Debian's Chromium driven by playwright-core). Screenshots of every step
// go to test-output/e2e/ (git-ignored).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { freshWorkspace, installVsix, prepareRun, ROOT, SHOTS, runAsScript, startCodeServer, toolsMissing } from './codeServer';
import { launchWorkbench } from '../helpers/browser';
import { HELM, KUBECTL, needsRenderers } from '../helpers/renderers';

/** Adds a Kustomize overlay and a Helm chart to the workspace (from test/render/fixtures,
 *  without their error-level mistakes, which the other steps count), rendered with the real
 *  kubectl and helm named in the user settings. */
function addRenderedUnits(run: string, workspace: string) {
  const fixtures = path.join(ROOT, 'test/render/fixtures');
  const dest = path.join(workspace, 'rendering');
  fs.cpSync(path.join(fixtures, 'kustomize-patches/base'), path.join(dest, 'kustomize/base'), { recursive: true });
  fs.cpSync(path.join(fixtures, 'kustomize-patches/overlays/staging'), path.join(dest, 'kustomize/overlays/staging'), { recursive: true });
  fs.cpSync(path.join(fixtures, 'chart'), path.join(dest, 'chart'), { recursive: true });
  const edit = (rel: string, from: string, to: string) => {
    const file = path.join(dest, rel);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(from, to));
  };
  // The fixtures' `# seeded:` notes are for the tests, not for the screenshots.
  const unseed = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) unseed(p);
      else fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/ # seeded(-related)?: .*$/gm, ''));
    }
  };
  unseed(dest);
  edit('kustomize/base/ingress.yaml', 'number: 8080', 'number: 80');
  edit('chart/charts/cache/templates/cache.yaml', 'targetPort: redis', 'targetPort: tcp-redis');
  fs.writeFileSync(path.join(workspace, '.ksi.yaml'), 'charts:\n  rendering/chart:\n    values: [values-prod.yaml]\n');
  for (const scope of ['User', 'Machine']) {
    const file = path.join(run, 'user-data', scope, 'settings.json');
    const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...settings, 'kubeServiceInsight.kubectlPath': KUBECTL, 'kubeServiceInsight.helmPath': HELM }, null, 2));
  }
}

/** Whether the UI suite includes the rendering steps (the real renderers are installed). */
export const UI_RENDERS = !needsRenderers() && fs.existsSync(KUBECTL);

const EXT_ID = 'kube-service-insight.kube-service-insight';
const STEP_MS = 45_000;
const SEL = {
  workbench: '.monaco-workbench',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  editor: (f: string) => `.editor-instance .monaco-editor[data-uri$="${f}"]`,
  squiggleError: '.view-overlays .cdr.squiggly-error',
  problemsStatus: '.statusbar-item[id="status.problems"]',
  problemsRow: 'div[id="workbench.panel.markers"] .monaco-list-row',
  hover: '.monaco-hover:not(.hidden) .monaco-hover-content',
  webviewOuter: `iframe.webview.ready[src*="extensionId=${EXT_ID}"]`,
};

export async function runUiSuite(vsix = path.join(ROOT, 'out/kube-service-insight.vsix')): Promise<{ passed: number; failed: number; results: { step: string; ok: boolean; info?: string }[] }> {
  const missing = toolsMissing();
  if (missing) throw new Error(missing);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found: run npm run package first`);
  const run = prepareRun('ui');
  installVsix(run, vsix);
  const workspace = freshWorkspace();
  if (UI_RENDERS) addRenderedUnits(run, workspace);
  const server = await startCodeServer(run, workspace);
  fs.mkdirSync(SHOTS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-ui-chromium-'));
  const context = await launchWorkbench(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  const results: { step: string; ok: boolean; info?: string }[] = [];
  let n = 0;
  const step = async (name: string, fn: () => Promise<string | void>) => {
    const id = `ui-${String(++n).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
    const t = Date.now();
    try {
      const info = await fn();
      await page.screenshot({ path: path.join(SHOTS, `${id}.png`) });
      results.push({ step: name, ok: true, info: `${info ?? ''} (${Date.now() - t} ms)`.trim() });
      console.log(`[ui] ✔ ${name}${info ? ` — ${info}` : ''}`);
    } catch (e) {
      await page.screenshot({ path: path.join(SHOTS, `${id}-FAILED.png`) }).catch(() => undefined);
      results.push({ step: name, ok: false, info: (e as Error).message.split('\n')[0] });
      console.log(`[ui] ✘ ${name}: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  const quickInput = async (key: string) => {
    await page.keyboard.press(key);
    await page.locator(SEL.quickInputBox).waitFor({ state: 'visible', timeout: STEP_MS });
    // Typing before the input has focus sends keys to the editor.
    await page.waitForFunction((sel) => document.activeElement === document.querySelector(sel), SEL.quickInputBox, { timeout: STEP_MS });
  };
  const quickOpen = async (file: string) => {
    await quickInput('Control+P');
    await page.keyboard.type(file);
    await page.locator(SEL.quickInputRow, { hasText: file }).first().waitFor({ timeout: STEP_MS });
    await page.keyboard.press('Enter');
    await page.locator(SEL.editor(file)).waitFor({ timeout: STEP_MS });
  };
  const inner = () => page.frameLocator(SEL.webviewOuter).first().frameLocator('iframe#active-frame');
  try {
    await step('workbench loads the workspace', async () => {
      await page.goto(server.url(workspace));
      await page.locator(SEL.workbench).waitFor({ timeout: STEP_MS });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'shop' }).first().waitFor({ timeout: STEP_MS });
    });
    await step('open a manifest with Quick Open and see the squiggle', async () => {
      await page.locator(SEL.workbench).click({ position: { x: 700, y: 400 } }).catch(() => undefined);
      await quickOpen('api.yaml');
      // Monaco renders only visible lines: go to the mistake first.
      const text = fs.readFileSync(path.join(workspace, 'shop/api.yaml'), 'utf8');
      const line = text.slice(0, text.indexOf('type: ClusterIp')).split('\n').length;
      await quickInput('Control+G');
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
      await page.locator(`${SEL.editor('api.yaml')} ${SEL.squiggleError}`).first().waitFor({ timeout: STEP_MS });
      await page.waitForFunction((sel) => /Errors: 2\b/.test(document.querySelector(sel)?.getAttribute('aria-label') ?? ''), SEL.problemsStatus, { timeout: STEP_MS });
      return (await page.locator(SEL.problemsStatus).getAttribute('aria-label')) ?? '';
    });
    await step('the status bar item says Kubernetes and the objects, not the problem counts', async () => {
      const item = page.locator('.statusbar-item', { hasText: 'Kubernetes:' }).first();
      await item.waitFor({ timeout: STEP_MS });
      await page.waitForFunction(() => [...document.querySelectorAll('.statusbar-item')].some((e) => /Kubernetes: \d+ objects/.test(e.textContent ?? '')), undefined, { timeout: STEP_MS });
      const text = (await item.innerText()).replace(/\s+/g, ' ').trim();
      // VS Code's own item counts errors and warnings; ours names them only in its tooltip.
      if (!/^Kubernetes: \d+ objects(?: · unit \S+| · \d+ units)?(?: · \d+ Helm charts? not analysed)?$/.test(text)) throw new Error(`status bar item: "${text}"`);
      return text;
    });
    await step('the Problems panel lists findings from every file, with codes', async () => {
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator(SEL.problemsRow, { hasText: 'is not a valid Service type' }).first();
      await row.waitFor({ timeout: STEP_MS });
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      if (!/invalid-value/.test(text)) throw new Error(`no code in "${text}"`);
      await page.locator(SEL.problemsRow, { hasText: 'Ingress must use 80' }).first().waitFor({ timeout: STEP_MS });
      return text;
    });
    await step('hovering a Service shows its FQDN', async () => {
      await page.keyboard.press('Control+Shift+M');
      await quickOpen('frontend.yaml');
      const word = page.locator(`${SEL.editor('frontend.yaml')} .view-lines .view-line span span`, { hasText: /^webui-svc$/ }).first();
      await word.waitFor({ timeout: STEP_MS });
      const hover = page.locator(SEL.hover, { hasText: 'webui-svc.shop.svc.cluster.local' }).first();
      // Like a person: if no hover shows up, move away and point again.
      for (let attempt = 0; ; attempt++) {
        await page.mouse.move(5, 5);
        await word.hover();
        try {
          await hover.waitFor({ timeout: 5000 });
          break;
        } catch (e) {
          if (attempt >= 5) throw e;
        }
      }
      return (await hover.innerText()).split('\n').slice(0, 2).join(' ');
    });
    await step('Simulate Request from the command palette draws the trace and chart', async () => {
      await page.mouse.move(10, 10);
      await page.keyboard.press('Escape');
      await quickInput('F1');
      await page.keyboard.type('Kubernetes: Simulate Request');
      await page.locator(SEL.quickInputRow, { hasText: 'Kubernetes: Simulate Request' }).first().waitFor({ timeout: STEP_MS });
      await page.keyboard.press('Enter');
      // Enter only once the highlighted item is the one wanted (filtering is asynchronous).
      const choose = async (text: string, exact: RegExp) => {
        await page.locator(SEL.quickInputRow, { hasText: text }).first().waitFor({ timeout: STEP_MS });
        await page.keyboard.type(text);
        await page.locator(`${SEL.quickInputRow}.focused`, { hasText: exact }).first().waitFor({ timeout: STEP_MS });
        await page.keyboard.press('Enter');
      };
      await choose('shop/deployment/webui', /^shop\/deployment\/webui/);
      await choose('api.shop', /^api\.shop/);
      await inner().locator('#sim-trace tbody tr').nth(4).waitFor({ state: 'attached', timeout: STEP_MS }); // folded when the request got through
      await inner().locator('#sim-chart .bar').first().waitFor({ timeout: STEP_MS });
      const status = await inner().locator('#sim-status').innerText();
      if (!/reaches Service shop\/api/.test(status)) throw new Error(status);
      const bars = await inner().locator('#sim-chart .bar').count();
      if (bars !== 2) throw new Error(`${bars} bars`);
      await page.waitForTimeout(1500); // the path lights up step by step
      return status;
    });
    await step('clicking a topology node jumps to its YAML', async () => {
      await page.locator('.tabs-container .tab', { hasText: 'api.yaml' }).first().click();
      await page.locator('.tabs-container .tab.active', { hasText: 'api.yaml' }).first().waitFor({ timeout: STEP_MS });
      // The active file's objects are highlighted, and stay so while the panel has focus.
      const active = inner().locator('g.node.active[data-id="Deployment/shop/api"]');
      await active.waitFor({ state: 'attached', timeout: STEP_MS });
      // Find moves the view to the node (it may be outside the part of the graph shown).
      await inner().locator('#search').click();
      await page.keyboard.type('webui-svc');
      await page.keyboard.press('Enter');
      await inner().locator('g.node.current-match[data-id="Service/shop/webui-svc"]').waitFor({ timeout: STEP_MS });
      if (!(await active.count())) throw new Error('the active file\'s highlight was lost when the panel took focus');
      const node = inner().locator('g.node[data-id="Service/shop/webui-svc"]');
      await node.click();
      const text = fs.readFileSync(path.join(workspace, 'shop/frontend.yaml'), 'utf8');
      const line = text.slice(0, text.indexOf('kind: Service')).split('\n').length - 1;
      await page.locator('.tabs-container .tab.active', { hasText: 'frontend.yaml' }).first().waitFor({ timeout: STEP_MS });
      const want = `Ln ${line}, Col 1`;
      try {
        await page.waitForFunction((w) => [...document.querySelectorAll('.statusbar-item')].some((e) => (e.textContent ?? '').includes(w)), want, { timeout: 15_000 });
      } catch {
        const items = await page.locator('.statusbar-item').allInnerTexts();
        throw new Error(`expected ${want}; status bar: ${items.filter((x) => /Ln \d+/.test(x)).join(' | ')}`);
      }
      return want;
    });
    await step('the panel: legend, focus on a node, and collapsing a namespace', async () => {
      await inner().locator('#legend summary').click();
      const legend = (await inner().locator('#legend li').allInnerTexts()).join(' | ');
      if (!/broken/.test(legend) || !/simulated/.test(legend)) throw new Error(`legend: ${legend}`);
      await inner().locator('#legend summary').click();
      await inner().locator('#search').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      const everything = await inner().locator('g.node').count();
      const api = inner().locator('g.node[data-id="Service/shop/api"]');
      await api.focus();
      await page.keyboard.press('f');
      const label = inner().locator('#focus-label');
      await label.waitFor({ timeout: STEP_MS });
      const focus = await label.innerText();
      if (focus !== 'Focus: Service api · 2 hops') throw new Error(focus);
      // The label shows at once; the focused picture once laid out (a node far from it leaves).
      await inner().locator('g.node[data-id="Service/data/postgres"]').waitFor({ state: 'detached', timeout: STEP_MS });
      const near = await inner().locator('g.node').count();
      if (near >= everything) throw new Error(`focus drew ${near} of ${everything} nodes`);
      await inner().locator('#focus-clear').click();
      await label.waitFor({ state: 'detached', timeout: STEP_MS });
      await inner().locator('g.band[data-namespace="data"] .band-toggle').click();
      await inner().locator('g.band.collapsed[data-namespace="data"]').waitFor({ timeout: STEP_MS });
      const counts = await inner().locator('#counts').innerText();
      if (!/1 namespace collapsed/.test(counts)) throw new Error(counts);
      await inner().locator('#fit').click(); // the collapsed box may lie outside the view
      await inner().locator('g.band.collapsed[data-namespace="data"]').click();
      await inner().locator('g.band.collapsed').waitFor({ state: 'detached', timeout: STEP_MS });
      return `${legend.split(' | ').length} legend entries; ${focus} (${near} of ${everything} nodes); ${counts}`;
    });
    if (UI_RENDERS) {
      // A squiggle on the line that wrote the value, with the message on hover.
      const findingAt = async (file: string, needle: string, message: string) => {
        await page.mouse.move(10, 10);
        await page.keyboard.press('Escape');
        await quickOpen(file);
        const text = fs.readFileSync(path.join(workspace, 'rendering', file.startsWith('service-port') ? 'kustomize/overlays/staging' : 'chart/templates', file), 'utf8');
        await quickInput('Control+G');
        await page.keyboard.type(String(text.slice(0, text.indexOf(needle)).split('\n').length));
        await page.keyboard.press('Enter');
        const squiggle = page.locator(`${SEL.editor(file)} .view-overlays .cdr.squiggly-warning`).first();
        await squiggle.waitFor({ timeout: STEP_MS });
        const hover = page.locator(SEL.hover, { hasText: message }).first();
        for (let attempt = 0; ; attempt++) {
          await page.mouse.move(5, 5);
          // The squiggle layer takes no pointer events: point at its middle.
          const box = (await squiggle.boundingBox())!;
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 4);
          try {
            await hover.waitFor({ timeout: 5000 });
            break;
          } catch (e) {
            if (attempt >= 5) throw e;
          }
        }
        return (await hover.innerText()).split('\n')[0];
      };
      await step('a finding of a rendered Kustomize overlay is on the patch line', () =>
        findingAt('service-port.yaml', 'targetPort: 8081', "Service 'staging-web' sends port 80 to TCP 8081"));
      await step('a finding of a rendered Helm chart is on the template line', () =>
        findingAt('service.yaml', 'targetPort: {{', "Service 'shop-web' sends port 80 to TCP 8443"));
    }
  } finally {
    await context.close().catch(() => undefined);
    server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}

if (require.main === module) runAsScript('ui', runUiSuite);

export type { Page };
