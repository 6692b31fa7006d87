// What the extension promises about workspace content: it is read, never executed or sent
// anywhere, and never becomes markup in the panel (see SECURITY.md).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { makeNonce, webviewHtml } from '../../webview/src/html';

const ROOT = path.join(__dirname, '../..');
const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? sources(path.join(dir, e.name)) : /\.ts$/.test(e.name) ? [path.join(dir, e.name)] : []);

test('our code opens no network connections and builds no code or HTML from strings; only the renderer runner starts processes', () => {
  const offenders: string[] = [];
  // The one module that starts kubectl/kustomize/helm (clean environment, timeout, no network).
  const RUNNER = 'server/src/workspace/render/exec.ts';
  for (const f of sources(path.join(ROOT, 'server/src'))) {
    if (path.relative(ROOT, f) !== RUNNER && /from ['"](node:)?child_process['"]/.test(fs.readFileSync(f, 'utf8'))) offenders.push(`${path.relative(ROOT, f)}: child_process`);
  }
  assert.match(fs.readFileSync(path.join(ROOT, RUNNER), 'utf8'), /env: cleanEnv\(\)/);
  const forbidden = [/from ['"](node:)?(http|https|http2|dgram|tls)['"]/, /\bfetch\(/, /XMLHttpRequest/, /WebSocket/, /\beval\(/, /new Function/, /\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/];
  for (const dir of ['server/src', 'client/src', 'webview/src']) {
    for (const f of sources(path.join(ROOT, dir))) {
      const text = fs.readFileSync(f, 'utf8');
      for (const re of forbidden) if (re.test(text)) offenders.push(`${path.relative(ROOT, f)}: ${re}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the shipped bundles contain no HTTP client, fetch, XHR or WebSocket use (no network, no telemetry)', () => {
  for (const b of ['dist/server.js', 'dist/extension.js', 'dist/webview.js']) {
    const text = fs.readFileSync(path.join(ROOT, b), 'utf8');
    for (const re of [/require\("(node:)?https?"\)/, /\bfetch\(/, /new XMLHttpRequest/, /new WebSocket/, /sendBeacon/]) {
      assert.ok(!re.test(text), `${b} matches ${re}`);
    }
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(pkg.dependencies).filter((d) => /telemetry|analytics|sentry/i.test(d)), []);
});

test('the webview CSP is strict: nothing by default, scripts only with a fresh nonce, no inline or eval', () => {
  const a = makeNonce();
  const b = makeNonce();
  assert.notEqual(a, b);
  assert.match(a, /^[A-Za-z0-9]{32}$/);
  const html = webviewHtml({ scriptUri: 'https://res/webview.js', styleUri: 'https://res/webview.css', cspSource: 'https://res', nonce: a });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'], [`'nonce-${a}'`]);
  assert.deepEqual(directives['style-src'], ['https://res', `'nonce-${a}'`]);
  assert.deepEqual(directives['font-src'], ['https://res']);
  assert.ok(!/unsafe-(inline|eval)/.test(csp));
  assert.equal((html.match(/<script /g) ?? []).length, 1);
  assert.match(html, new RegExp(`<script nonce="${a}" src="https://res/webview.js"></script>`));
  assert.ok(!/ on\w+=/.test(html), 'no inline event handlers');
});

test('untrusted workspaces: limited to reading (no rendering), the renderer settings restricted', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /read without rendering/);
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.sort(), ['kubeServiceInsight.helmPath', 'kubeServiceInsight.kubectlPath', 'kubeServiceInsight.kustomizePath', 'kubeServiceInsight.render']);
  // The extension passes the trust state to the server, and tells it when trust is granted.
  const extension = fs.readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
  assert.match(extension, /trusted: vscode\.workspace\.isTrusted/);
  assert.match(extension, /onDidGrantWorkspaceTrust/);
  assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
});
