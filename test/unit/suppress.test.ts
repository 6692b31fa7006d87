// Rule settings and suppressions, as users write them: .ksi.yaml `rules:`, the setting (over
// the file), `# ksi-ignore` comments (on the line or the lines above) and the annotation.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { WorkspaceModel } from '../../server/src/model';
import { ignoreCommentFix } from '../../server/src/model/rules/suppress';

const SERVICE = (extra = '', portComment = '') => `apiVersion: v1
kind: Service
metadata:
  name: db
${extra}spec:
  ports:
${portComment}    - port: 70000
`;

function findings(files: Record<string, string>, settings = {}) {
  const ws = new WorkspaceModel(settings, ['']);
  for (const [uri, text] of Object.entries(files)) ws.update(uri, text);
  return { ws, list: [...ws.allDiagnostics().values()].flat().map((d) => `${d.code} ${d.severity} ${d.range.start.line}`) };
}

test('without configuration both findings are reported', () => {
  assert.deepEqual(findings({ 'db.yaml': SERVICE() }).list, ['service-no-endpoints warning 3', 'port-out-of-range error 6']);
});

test('a ksi-ignore comment above a line (or after it) hides that finding only, and it is counted', () => {
  const above = findings({ 'db.yaml': SERVICE('', '    # ksi-ignore port-out-of-range: the proxy rewrites it\n') });
  assert.deepEqual(above.list, ['service-no-endpoints warning 3']);
  assert.equal(above.ws.suppressedCount(), 1);
  const trailing = findings({ 'db.yaml': SERVICE().replace('port: 70000', 'port: 70000  # ksi-ignore port-out-of-range') });
  assert.deepEqual(trailing.list, ['service-no-endpoints warning 3']);
  // Several codes in one comment; comment lines and blank lines in between are skipped over.
  const stacked = findings({ 'db.yaml': SERVICE('', '    # ksi-ignore service-no-endpoints, port-out-of-range: why\n\n    # more words\n') });
  assert.deepEqual(stacked.list, ['service-no-endpoints warning 3'], 'service-no-endpoints is on another line, so it stays');
  const elsewhere = findings({ 'db.yaml': `# ksi-ignore port-out-of-range\n${SERVICE()}` });
  assert.deepEqual(elsewhere.list, ['service-no-endpoints warning 4', 'port-out-of-range error 7'], 'a comment applies to the next line only');
});

test('the ignore annotation hides the named codes anywhere in its object, not in others', () => {
  const text = `${SERVICE('  annotations:\n    kube-service-insight.io/ignore: "port-out-of-range, service-no-endpoints"\n')}---\n${SERVICE().replace('name: db', 'name: cache')}`;
  const r = findings({ 'db.yaml': text });
  assert.deepEqual(r.list, ['service-no-endpoints warning 13', 'port-out-of-range error 16']);
  assert.equal(r.ws.suppressedCount(), 2);
});

test('.ksi.yaml rules: turn rules off or change their severity; the setting wins over the file', () => {
  const config = '.ksi.yaml';
  const r = findings({ [config]: 'rules:\n  service-no-endpoints: off\n  port-out-of-range: warning\n', 'db.yaml': SERVICE() });
  assert.deepEqual(r.list, ['port-out-of-range warning 6']);
  assert.equal(r.ws.suppressedCount(), 0, 'rules turned off are not counted as suppressed');
  const setting = findings({ [config]: 'rules:\n  service-no-endpoints: off\n', 'db.yaml': SERVICE() }, { rules: { 'service-no-endpoints': 'information' } });
  assert.deepEqual(setting.list, ['service-no-endpoints information 3', 'port-out-of-range error 6']);
});

test('editing .ksi.yaml re-applies the rules without reloading the manifests', () => {
  const ws = new WorkspaceModel({}, ['']);
  ws.update('db.yaml', SERVICE());
  ws.update('.ksi.yaml', 'rules: {port-out-of-range: off}\n');
  assert.deepEqual(ws.diagnostics('db.yaml').map((d) => d.code), ['service-no-endpoints']);
  ws.update('.ksi.yaml', 'rules: {}\n');
  assert.deepEqual(ws.diagnostics('db.yaml').map((d) => d.code), ['service-no-endpoints', 'port-out-of-range']);
});

test('the ignore quick fix comments the line above at its indentation', () => {
  const text = SERVICE();
  const ws = new WorkspaceModel({}, ['']);
  ws.update('db.yaml', text);
  const d = ws.diagnostics('db.yaml').find((x) => x.code === 'port-out-of-range')!;
  const fix = ignoreCommentFix(text, d)!;
  assert.deepEqual(fix.edits.map((e) => [e.range.start, e.newText]), [[{ line: 6, character: 0 }, '    # ksi-ignore port-out-of-range\n']]);
  const lines = text.split('\n');
  lines.splice(6, 0, fix.edits[0].newText.trimEnd());
  ws.update('db.yaml', lines.join('\n'));
  assert.deepEqual(ws.diagnostics('db.yaml').map((d) => d.code), ['service-no-endpoints']);
});
