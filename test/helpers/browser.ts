// Headless Chromium (Debian's package) driven by playwright-core, and a loopback server that
// serves the built webview with the same HTML and CSP the extension uses.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { makeNonce, webviewHtml } from '../../webview/src/html';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(__dirname, '../../test-output/webview');

/** Why browser tests cannot run here, or undefined. In CI a missing browser is a failure. */
export function browserMissing(): string | undefined {
  if (fs.existsSync(CHROMIUM)) return undefined;
  const why = `Chromium not found at ${CHROMIUM}: run \`apt-get install chromium\` (or set CHROMIUM_PATH) to run the webview tests`;
  if (process.env.CI) throw new Error(why);
  return why;
}

export async function serveWebview(): Promise<{ url: string; close: () => Promise<void> }> {
  const dist = path.join(__dirname, '../../dist');
  const server = http.createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(webviewHtml({ scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css`, cspSource: origin, nonce: makeNonce() }));
      return;
    }
    if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const file = path.join(dist, path.basename(req.url ?? ''));
    if (!/^\/webview\.(js|css)$/.test(req.url ?? '') || !fs.existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript' });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Headless flags for this machine: no sandbox as root, and no background connections
 *  (the network is closed, so they would only fail). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A workbench browser with its own throw-away profile (code-server suites). */
export async function launchWorkbench(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 }, args: CHROMIUM_ARGS });
}

/** Opens the webview page with a stand-in for VS Code's webview API that records messages. */
export async function openWebview(browser: Browser, url: string, viewport = { width: 1300, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  // A string, not a function: the test transpiler wraps functions in helpers the page lacks.
  await page.addInitScript(`
    window.__posted = [];
    window.__cspViolations = [];
    window.__state = JSON.parse(sessionStorage.getItem('state') || 'null');
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; sessionStorage.setItem('state', JSON.stringify(s)); },
    });
  `);
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return { page, problems };
}

export async function send(page: Page, message: unknown) {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
}

export async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}
