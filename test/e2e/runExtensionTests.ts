// `npm run test:e2e`: the extension-host suite inside code-server's Node extension host, with
// headless Chromium as the workbench (the payload carries extensionDevelopmentPath and
// extensionTestsPath, as VS Code's own browser integration tests do). While the suite runs,
// this runner also reads the webview from the outside and hands its findings to the suite.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import { buildSuite } from './build';
import { launchWorkbench } from '../helpers/browser';
import { freshWorkspace, prepareRun, ROOT, SHOTS, runAsScript, startCodeServer, toolsMissing } from './codeServer';

const EXT_ID = 'kube-service-insight.kube-service-insight';
const TIMEOUT_MS = Number(process.env.KSI_E2E_TIMEOUT_MS ?? 240_000);

export async function runExtensionTests(): Promise<{ passed: number; failed: number; lines: string[] }> {
  const missing = toolsMissing();
  if (missing) throw new Error(missing);
  const t0 = Date.now();
  const lines: string[] = [];
  const log = (...a: unknown[]) => { const l = `[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${util.format(...a)}`; lines.push(l); console.log(l); };
  const suite = await buildSuite();
  const run = prepareRun('ext');
  const workspace = freshWorkspace();
  const report = path.join(run, 'report.json');
  const marker = path.join(run, 'webview-seen.json');
  const server = await startCodeServer(run, workspace, { smokeTestDriver: true, env: { KSI_E2E_REPORT: report, KSI_E2E_WEBVIEW_MARKER: marker } });
  log(`code-server on ${server.port}, workspace ${workspace}`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-e2e-chromium-'));
  const context = await launchWorkbench(profile);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let exitCode: unknown;
    const exited = new Promise<unknown>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: unknown) => { exitCode = code; resolve(code); });
      setTimeout(() => resolve('timeout'), TIMEOUT_MS);
    });
    const browserLog = fs.createWriteStream(path.join(run, 'browser.log'));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = util.format(...(args ?? []));
      browserLog.write(`[${type}] ${line}\n`);
      if (/^\s*(✔|✓|\d+\) |\d+ passing|\d+ failing|\d+ pending)/.test(line)) log(`exthost: ${line.trim()}`);
    });
    await page.goto(server.url(workspace, [
      ['extensionDevelopmentPath', server.remote(ROOT)],
      ['extensionTestsPath', server.remote(suite)],
      ['skipWelcome', 'true'],
    ]), { waitUntil: 'domcontentloaded' });
    // Hybrid: read the webview while the suite is running (it is gone once the host exits).
    const hybrid = (async () => {
      const inner = page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXT_ID}"]`).first().frameLocator('iframe#active-frame');
      // The trace of a request that got through is folded: its rows are there, not shown.
      await inner.locator('#sim-trace tbody tr').nth(4).waitFor({ state: 'attached', timeout: TIMEOUT_MS });
      await inner.locator('g.node').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1500); // let the path animation finish
      const seen = { nodes: await inner.locator('g.node').count(), traceRows: await inner.locator('#sim-trace tbody tr').count(), bars: await inner.locator('#sim-chart .bar').count() };
      await page.screenshot({ path: path.join(SHOTS, 'ext-host-simulation.png') });
      fs.writeFileSync(marker, JSON.stringify(seen));
      log('webview seen from outside:', JSON.stringify(seen));
    })().catch((e) => log('could not read the webview:', (e as Error).message));
    await exited;
    await Promise.race([hybrid, new Promise((r) => setTimeout(r, 5000))]);
    log('extension host exited with', exitCode ?? 'timeout');
    if (!fs.existsSync(report)) {
      log(`no report; last lines of the code-server log:\n${server.log().split('\n').slice(-30).join('\n')}`);
      return { passed: 0, failed: 1, lines };
    }
    const r = JSON.parse(fs.readFileSync(report, 'utf8')) as { tests: { title: string; state: string; error?: string }[]; passed: number; failed: number };
    for (const t of r.tests) log(`${t.state === 'passed' ? 'PASS' : 'FAIL'} ${t.title}${t.error ? `\n${t.error}` : ''}`);
    return { passed: r.passed, failed: exitCode === 0 ? r.failed : Math.max(1, r.failed), lines };
  } finally {
    await context.close().catch(() => undefined);
    server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

if (require.main === module) runAsScript('e2e', runExtensionTests);
