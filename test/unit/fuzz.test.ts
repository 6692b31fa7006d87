// A few thousand seeded fuzz cases in every test run (bounded well under a minute), and every
// input that ever broke the analyser, kept as a regression fixture.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel, complete, hover } from '../../server/src/model';
import { REGRESSIONS, runCase, seeds } from '../fuzz/fuzz';

test('fuzz: mutated manifests never crash, hang or answer differently twice', { timeout: 120_000 }, () => {
  const all = seeds();
  const deadline = Date.now() + 45_000;
  let ran = 0;
  const failures: string[] = [];
  for (let i = 0; i < 2500 && Date.now() < deadline; i++) {
    const seed = all[i % all.length];
    const r = runCase(seed, 10_000 + i);
    ran++;
    if (!r.ok) failures.push(`case ${10_000 + i} (${seed.name}): ${r.error}`);
  }
  assert.deepEqual(failures, []);
  // The time box bounds the test on a loaded machine; a few hundred cases still mean something.
  assert.ok(ran >= 300, `${ran} cases ran`);
});

test('fuzz regressions: every saved input is analysed without error', () => {
  const dirs = fs.existsSync(REGRESSIONS) ? fs.readdirSync(REGRESSIONS).filter((d) => fs.statSync(path.join(REGRESSIONS, d)).isDirectory()) : [];
  for (const d of dirs) {
    const model = new ClusterModel();
    const files = fs.readdirSync(path.join(REGRESSIONS, d)).filter((f) => f !== 'ERROR.txt');
    for (const f of files) model.update(f, fs.readFileSync(path.join(REGRESSIONS, d, f), 'utf8'));
    const diags = model.allDiagnostics();
    assert.deepEqual([...diags.keys()].sort(), [...files].sort(), `${d}: every file analysed`);
    for (const f of files) {
      const lines = fs.readFileSync(path.join(REGRESSIONS, d, f), 'utf8').split('\n');
      for (let l = 0; l < lines.length; l += 3) {
        hover(model, f, { line: l, character: 2 });
        complete(model, f, { line: l, character: lines[l].length });
      }
    }
  }
});
