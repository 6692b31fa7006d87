// The model is a pure library: no editor or protocol imports may creep in.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

test('server/src/model imports neither vscode nor vscode-languageserver*', () => {
  const offenders = files(path.join(__dirname, '../../server/src/model')).filter((f) =>
    /from\s+['"](vscode|vscode-languageserver[^'"]*|vscode-jsonrpc)['"]|require\(['"]vscode/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('server/src/model does not touch the file system or network', () => {
  const offenders = files(path.join(__dirname, '../../server/src/model')).filter((f) =>
    /from\s+['"](fs|node:fs|http|https|net|child_process|node:child_process)['"]/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('findings take their severity from the registry: no call site in the model writes one', () => {
  // report.ts (rules' findings), index.ts (the engine's) and suppress.ts (configured levels)
  // are the only places that set a finding's severity.
  const allowed = new Set(['rules/report.ts', 'rules/index.ts', 'rules/suppress.ts']);
  const root = path.join(__dirname, '../../server/src/model');
  const offenders = files(root).filter((f) => !allowed.has(path.relative(root, f).split(path.sep).join('/')))
    .filter((f) => /severity:\s*(['"](error|warning|information|hint)['"]|[a-z]+\.severity|level)/.test(fs.readFileSync(f, 'utf8')))
    // A rule's own declaration (`severity: 'error'` in defineRule) is the registry.
    .filter((f) => !/rules\/[a-z0-9-]+\/rule\.ts$/.test(f.split(path.sep).join('/')));
  assert.deepEqual(offenders.map((f) => path.relative(root, f)), []);
});
