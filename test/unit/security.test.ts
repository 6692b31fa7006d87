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

test('our code runs no processes, opens no network connections and builds no code or HTML from strings', () => {
  const offenders: string[] = [];
  const forbidden = [/from ['"](node:)?(child_process|http|https|http2|dgram|tls)['"]/, /\bfetch\(/, /XMLHttpRequest/, /WebSocket/, /\beval\(/, /new Function/, /\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/];
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

test('untrusted workspaces: supported for reading only, declared honestly', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /nothing from the workspace is executed/);
  assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
});
