// Runs the analyser over every apply unit of ../shared/corpus (real manifests from public
// projects) and pins the findings. Every error must be a real mistake in the upstream
// project, with the reason written down in test/corpus/justified-errors.json.
// Refresh the pins after a deliberate change: UPDATE_CORPUS=1 npm test.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel } from '../../server/src/model';
import { corpusUnits, needsShared } from '../helpers/corpus';
import { ruleOf } from '../../server/src/model/rules';

const FINDINGS = path.join(__dirname, '../corpus/findings.json');
const JUSTIFIED = path.join(__dirname, '../corpus/justified-errors.json');

interface Finding {
  where: string;
  severity: string;
  code: string;
  message: string;
}

function analyseUnits(): Finding[] {
  const out: Finding[] = [];
  for (const unit of corpusUnits()) {
    const groups = unit.perFile ? unit.files.map((f) => [f]) : [unit.files];
    for (const group of groups) {
      const model = new ClusterModel({ defaultNamespace: unit.defaultNamespace });
      for (const f of group) model.update(path.relative(unit.dir, f), fs.readFileSync(f, 'utf8'));
      for (const [uri, diags] of model.allDiagnostics()) {
        for (const d of diags) {
          out.push({ where: `${unit.name}/${uri}:${d.range.start.line + 1}:${d.range.start.character + 1}`, severity: d.severity, code: d.code, message: d.message });
        }
      }
    }
  }
  return out;
}

test('corpus findings match the pinned list', { skip: needsShared() }, () => {
  const actual = analyseUnits();
  if (process.env.UPDATE_CORPUS) fs.writeFileSync(FINDINGS, JSON.stringify(actual, null, 1) + '\n');
  const pinned = JSON.parse(fs.readFileSync(FINDINGS, 'utf8')) as Finding[];
  assert.deepEqual(actual, pinned);
});

test('every corpus error is a justified upstream mistake', { skip: needsShared() }, () => {
  const justified = JSON.parse(fs.readFileSync(JUSTIFIED, 'utf8')) as Record<string, string>;
  const errors = analyseUnits().filter((f) => f.severity === 'error');
  const unjustified = errors.filter((e) => !justified[`${e.where} ${e.code}`]);
  assert.deepEqual(unjustified, [], 'add a reason to test/corpus/justified-errors.json, or fix the false positive');
  const stale = Object.keys(justified).filter((k) => !errors.some((e) => `${e.where} ${e.code}` === k));
  assert.deepEqual(stale, [], 'justifications for errors that no longer fire');
});

test('the corpus covers the networking kinds the model reads', { skip: needsShared() }, () => {
  const kinds = new Map<string, number>();
  for (const unit of corpusUnits()) {
    const model = new ClusterModel();
    for (const f of unit.files) model.update(f, fs.readFileSync(f, 'utf8'));
    for (const o of model.objects()) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  }
  for (const k of ['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Ingress', 'NetworkPolicy']) {
    assert.ok((kinds.get(k) ?? 0) > 0, `${k} objects read from the corpus`);
  }
  assert.ok([...kinds.values()].reduce((a, b) => a + b, 0) > 600, 'about 690 objects');
});

test('on the corpus every finding has the severity its rule gives it (none is decided at a call site)', { skip: needsShared() }, () => {
  const wrong = analyseUnits().filter((f) => ruleOf(f.code)?.severity !== f.severity);
  assert.deepEqual(wrong, []);
});
