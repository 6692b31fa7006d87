// The benchmark must keep working: CI runs it at smoke size and checks its report's shape
// (never its timings; budgets are judged by `npm run bench` on a quiet machine).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

test('npm run bench works (smoke size) and reports every measurement', { timeout: 300_000 }, () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-bench-')), 'bench.json');
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'bench.ts'), '--smoke', '--json', out], { encoding: 'utf8', cwd: path.join(__dirname, '../..') });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const j = JSON.parse(fs.readFileSync(out, 'utf8'));
  for (const key of ['machine', 'cold', 'floor', 'coldOverFloor', 'incremental', 'hover', 'completion', 'simulate', 'server', 'webview', 'render', 'connections', 'crdMix', 'openFileFirst', 'budgets']) {
    assert.ok(key in j, `${key} reported`);
  }
  assert.ok(j.budgets.length >= 10);
  assert.match(r.stdout, /Budgets:/);
  assert.ok(j.openFileFirst.every((x: { ours: { first: { median: number } } }) => x.ours.first.median > 0), 'the open file got diagnostics at every size');
  assert.ok(j.openFileFirst.every((x: { checkPeakRssMB: number }) => x.checkPeakRssMB > 20), 'ksi check reported its peak RSS at every size');
  assert.match(fs.readFileSync(out.replace(/\.json$/, '.md'), 'utf8'), /\| Open file first/);
});
