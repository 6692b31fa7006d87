import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { parseAllDocuments, visit } from 'yaml';
import { parseFile, parseYamlDocuments } from '../../server/src/model/parse';
import { seededRandom } from '../../server/src/model/random';
import { analyze, modelOf } from '../helpers/analyze';
import { corpusUnits, needsShared } from '../helpers/corpus';
import { yamlShape } from '../helpers/yamlShape';

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

// Re-parsing after an edit takes over the documents the edit did not touch; whatever the
// edit, the result must equal parsing the new text from scratch.
test('an edited file parses the same whether unchanged documents are reused or not', { skip: needsShared() }, () => {
  const files = corpusUnits().flatMap((u) => u.files)
    .map((f) => fs.readFileSync(f, 'utf8'))
    .filter((t) => (t.match(/^---/gm)?.length ?? 0) >= 2 && t.length < 60_000);
  assert.ok(files.length >= 20, 'multi-document corpus files found');
  const r = seededRandom(42);
  const at = (t: string) => Math.floor(r() * (t.length + 1));
  const lineStart = (t: string) => { const i = t.lastIndexOf('\n', at(t) - 1); return i + 1; };
  const edits: ((t: string) => string)[] = [
    (t) => { const i = at(t); return t.slice(0, i) + ['x', '"', "'", '[', ':', ' '][Math.floor(r() * 6)] + t.slice(i); }, // type a character
    (t) => { const i = at(t); return t.slice(0, i) + t.slice(i + 1 + Math.floor(r() * 40)); }, // delete a run
    (t) => { const i = lineStart(t); return `${t.slice(0, i)}---\n${t.slice(i)}`; }, // split a document
    (t) => t.replace(/\n---[^\n]*\n/, '\n'), // join two documents
    (t) => { const i = lineStart(t); return `${t.slice(0, i)}${['...\n', '%YAML 1.1\n', '"open\n', '[\n', 'k: |\n', '\t\n'][Math.floor(r() * 6)]}${t.slice(i)}`; },
    (t) => { const docs = t.split(/^---$/m); const i = Math.floor(r() * docs.length); docs.splice(i, 0, docs[i]); return docs.join('---'); }, // duplicate a document
    (t) => t.replace(/(port|name): \S+/, (m) => `${m}0`),
  ];
  const dump = (f: ReturnType<typeof parseFile>) => JSON.stringify({
    objects: f.objects.map((o) => [o.id, o.kind, o.name, o.namespace, o.inBrokenDocument, nodeRanges(o.node)]),
    diagnostics: f.diagnostics,
    skipped: f.skipped,
  });
  let compared = 0;
  for (const original of files.slice(0, 60)) {
    let text = original;
    let live = parseFile('f.yaml', text, 'default');
    for (let step = 0; step < 8; step++) {
      text = edits[Math.floor(r() * edits.length)](text);
      live = parseFile('f.yaml', text, 'default', live);
      assert.equal(dump(live), dump(parseFile('f.yaml', text, 'default')), `after edit ${step} of a ${original.length}-character file`);
      compared++;
    }
  }
  assert.ok(compared >= 160);
});

/** Every node's source range and scalar value, in document order. */
function nodeRanges(node: unknown): unknown[] {
  const out: unknown[] = [];
  visit(node as never, (_key, n) => {
    const x = n as { range?: number[]; value?: unknown };
    if (x?.range) out.push([x.range, typeof x.value === 'object' ? null : x.value]);
  });
  return out;
}

test('findings after a syntax error stay on their own lines', () => {
  // The parser's own line counter skips line breaks inside tokens it drops while recovering.
  const text = '        version: v2\n      - name: tcp-echo\n           ports:\n' +
    '---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n  type: ClusterIp\n  ports: [{port: 80}]\n';
  const typeLine = text.split('\n').indexOf('  type: ClusterIp');
  const typo = analyze({ 'f.yaml': text }).find((d) => d.message.includes('ClusterIp'));
  assert.equal(typo?.range.start.line, typeLine);
});

test('the fast path for plain words reads every scalar as plain YAML 1.1 does', () => {
  const trees = (docs: { contents: unknown }[]) => docs.map((d) => yamlShape(d.contents));
  const words = ['y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yES', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE',
    'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL', 'nULL', '~', '', 'yes please', 'nope', 'onward', 'Nullable', 'y2k', 'n/a',
    '.inf', '-.Inf', '.nan', '0x1F', '0o17', '017', '0b101', '1_000', '1:30', '1:30.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
    '1e3', '3.14', '+12', '-0', '<<', 'http', 'app.kubernetes.io/name', 'E', 'e1', 'E+5', 'e-2x', 'Infinity', 'NaN', 'x:y', 'a b'];
  const texts = [
    words.map((w, i) => `k${i}: ${w}\n${w === '' || w === '~' || w === '<<' ? 'x' : w}: v${i}\n`).join(''),
    'base: &b {port: 80, on: yes}\nderived:\n  <<: *b\n  name: web\nlist: [a, 1, off, ~, 0x10]\n',
    // CRDs are blanked before parsing (a test of its own), so they are left out here.
    ...corpusUnits().flatMap((u) => u.files).map((f) => fs.readFileSync(f, 'utf8')).filter((t) => !t.includes('CustomResourceDefinition')),
  ];
  for (const text of texts) {
    assert.deepEqual(trees(parseYamlDocuments(text)), trees(parseAllDocuments(text, { version: '1.1', uniqueKeys: true })), text.slice(0, 80));
  }
});
