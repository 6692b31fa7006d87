// Hostile and pathological input: alias bombs, deep nesting, duplicate keys, huge files,
// binary and non-UTF-8 files. Each is bounded and reported, never expanded or crashed on.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze, modelOf } from '../helpers/analyze';
import { decodeManifest } from '../../server/src/workspace/files';
import { complete, hover } from '../../server/src/model';

test('an alias bomb ("billion laughs") is reported, not expanded', { timeout: 30_000 }, () => {
  const levels = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 12; i++) levels.push(`lol${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
  const diags = analyze({ 'bomb.yaml': text });
  assert.deepEqual(diags.map((d) => d.code), ['yaml-too-complex']);
  assert.match(diags[0].message, /would expand to more than 100000 nodes/);
  // Hover and completion on the bomb stay harmless.
  const model = modelOf({ 'bomb.yaml': text });
  assert.equal(hover(model, 'bomb.yaml', { line: 10, character: 12 }), undefined);
  assert.deepEqual(complete(model, 'bomb.yaml', { line: 10, character: 12 }), []);
});

test('a few ordinary anchors and merge keys are fine', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, labels: &l {app: web}}\nspec:\n  selector: *l\n  ports: [{port: 80}]\n';
  assert.deepEqual(analyze({ 'a.yaml': text }).map((d) => d.code), ['service-selector-no-match']);
});

test('deep nesting is refused before parsing, with a located diagnostic', { timeout: 30_000 }, () => {
  const flow = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
  const d1 = analyze({ 'flow.yaml': flow });
  assert.deepEqual(d1.map((d) => [d.code, d.range.start.line]), [['yaml-too-complex', 4]]);
  let block = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n';
  for (let i = 1; i < 400; i++) block += `${'  '.repeat(i)}k${i}:\n`;
  const d2 = analyze({ 'block.yaml': block });
  assert.deepEqual(d2.map((d) => d.code), ['yaml-too-complex']);
  // Brackets inside quoted strings do not count as nesting.
  assert.deepEqual(analyze({ 'q.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: q}\ndata:\n  x: "${'['.repeat(500)}"\n` }), []);
});

test('duplicate keys are reported at the second key', () => {
  const d = analyze({ 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports: [{port: 80}]\n  type: ClusterIP\n  type: NodePort\n' });
  assert.deepEqual(d.filter((x) => x.code === 'yaml-syntax').map((x) => [x.range.start.line, x.message.split('.')[0]]), [[7, 'Duplicate key `type` in this map']]);
});

test('100,000 documents in one file are all read', { timeout: 120_000 }, () => {
  const docs: string[] = [];
  for (let i = 0; i < 100_000; i++) docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: ns${i % 50}}\nspec: {type: ExternalName, externalName: s${i}.example.com}\n`);
  const model = modelOf({ 'huge.yaml': docs.join('---\n') });
  assert.equal(model.objectCount(), 100_000);
  assert.deepEqual(model.diagnostics('huge.yaml'), []);
  assert.equal(model.namespaceNames().length, 50);
});

test('binary and non-UTF-8 content is skipped with a reason', () => {
  assert.deepEqual(decodeManifest(Buffer.from([0x61, 0x00, 0x62])), { skipped: 'File is binary; it is not analysed.' });
  assert.deepEqual(decodeManifest(Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0xfe])), { skipped: 'File is not UTF-8 text; it is not analysed.' });
  assert.deepEqual(decodeManifest(Buffer.from('\ufeffkind: x\n')), { text: 'kind: x\n' }, 'a byte-order mark is dropped');
  const nul = analyze({ 'b.yaml': 'apiVersion: v1\u0000kind' });
  assert.deepEqual(nul.map((d) => d.code), ['file-skipped']);
});

test('text that is not YAML at all, or YAML that is not an object, is quiet', () => {
  for (const text of ['', '   ', '---\n---\n', '42', '- a\n- b\n', '"just a string"', '{}', 'null', '\ud800\udfff', 'kind: Service', 'apiVersion: v1']) {
    const d = analyze({ 'x.yaml': text }).filter((x) => x.code !== 'yaml-syntax');
    assert.deepEqual(d, [], JSON.stringify(text));
  }
});
