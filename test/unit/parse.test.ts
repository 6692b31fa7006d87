import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseFile } from '../../server/src/model/parse';
import { analyze, modelOf } from '../helpers/analyze';

test('one broken document does not hide the others', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n---\nkind: [oops\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {ports: [{port: 80}]}\n';
  const f = parseFile('f.yaml', text, 'default');
  assert.deepEqual(f.objects.map((o) => o.name), ['a', 'b']);
  const syntax = f.diagnostics.filter((d) => d.code === 'yaml-syntax');
  assert.ok(syntax.length >= 1);
  assert.ok(syntax.every((d) => d.range.start.line >= 5 && d.range.start.line <= 6), 'located in the broken document');
});

test('List items are objects; documents without apiVersion/kind are ignored', () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: a}\n    spec: {ports: [{port: 80}]}\n---\nname: CI\non: [push]\njobs: {}\n---\nversion: "3"\nservices: {web: {image: nginx}}\n';
  const f = parseFile('f.yaml', text, 'default');
  assert.deepEqual(f.objects.map((o) => `${o.kind}/${o.name}`), ['Service/a']);
  assert.deepEqual(analyze({ 'f.yaml': text }).filter((d) => d.severity === 'error'), []);
});

test('Helm templates are skipped silently; `{{` inside strings is not a template', () => {
  const helm = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  ports:\n  {{- range .Values.ports }}\n  - port: {{ . }}\n  {{- end }}\n';
  const f = parseFile('t.yaml', helm, 'default');
  assert.equal(f.skipped, 'helm-template');
  assert.deepEqual(analyze({ 't.yaml': helm }), []);
  const rules = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rules}\ndata:\n  alert: |\n    summary: {{ $labels.instance }} down\n';
  assert.equal(parseFile('c.yaml', rules, 'default').skipped, undefined);
  assert.equal(parseFile('c.yaml', rules, 'default').objects.length, 1);
});

test('JSON manifests are read too', () => {
  const json = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'j' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] } }, null, 2);
  const diags = analyze({ 's.json': json });
  const d = diags.find((x) => x.code === 'node-port-out-of-range');
  assert.ok(d);
  assert.equal(d.range.start.line, json.split('\n').findIndex((l) => l.includes('"nodePort"')));
});

test('YAML 1.1 booleans, as kubectl reads them, are not strings', () => {
  const diags = analyze({ 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels:\n    enabled: on\nspec:\n  ports: [{port: 80}]\n' });
  assert.ok(diags.some((d) => d.code === 'invalid-type' && d.message.includes('boolean')));
});

test('namespaces: explicit, default setting, cluster-scoped', () => {
  const m = modelOf({
    'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: shop}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
  }, { defaultNamespace: 'team' });
  assert.deepEqual(m.objects().map((o) => `${o.kind}/${o.name}@${o.namespace}`), ['Service/a@shop', 'Service/b@team', 'Namespace/shop@']);
});

test('ranges are 0-based and count UTF-16 code units', () => {
  const text = '# ünïcödé 🚀 comment\napiVersion: v1\nkind: Service\nmetadata: {name: s, labels: {emoji: "🚀x"}}\nspec:\n  type: ClusterIp\n  ports: [{port: 80}]\n';
  const d = analyze({ 'a.yaml': text }).find((x) => x.code === 'invalid-value')!;
  assert.deepEqual(d.range, { start: { line: 5, character: 8 }, end: { line: 5, character: 17 } });
});

test('anchors, aliases and merge keys are followed without expanding bombs', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: &sel\n    app: web\n  ports:\n    - &p {port: 80, name: a}\n    - <<: *p\n      name: b\n      port: 81\n';
  const m = modelOf({ 'a.yaml': text });
  assert.deepEqual(m.view('default').services.get('s')?.ports.map((p) => `${p.name}:${p.port}`), ['a:80', 'b:81']);
  const lol = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 12; i++) lol.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n${lol.map((l) => `  ${l}`).join('\n')}\n`;
  const started = Date.now();
  const diags = analyze({ 'bomb.yaml': bomb });
  assert.ok(Date.now() - started < 5000, 'bounded');
  assert.ok(Array.isArray(diags));
});
