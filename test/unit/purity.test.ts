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
