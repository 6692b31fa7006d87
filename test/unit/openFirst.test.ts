// The open file first: headers scanned without parsing, the reading order that puts an open
// file's unit and namespaces first, and the early findings published while the rest is read —
// each of which must be a finding the complete analysis also makes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Diagnostic, WorkspaceModel } from '../../server/src/model';
import { Header, identitiesOf, scanHeaders } from '../../server/src/model/headers';
import { parseFile } from '../../server/src/model/parse';
import { apiGroupOf } from '../../server/src/model/kinds';
import { RULES } from '../../server/src/model/rules';
import { CORPUS_ROOT, needsShared } from '../helpers/corpus';
import { generateWorkspace } from '../bench/generate';

const ROOT = path.join(__dirname, '../..');

function walk(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [path.join(d, e.name)] : [])).sort();
}

function filesOf(dir: string): Map<string, string> {
  return new Map(walk(dir).map((f) => [path.relative(dir, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8')]));
}

const parsedIdentities = (file: string, text: string) =>
  parseFile(file, text, 'default').objects.filter((o) => o.name).map((o) => `${apiGroupOf(o.apiVersion)}/${o.kind}/${o.namespace}/${o.name}`);

/** Checks the scan against the parse on every file it answers for; how many it answered. */
function assertScanAgrees(files: string[]): number {
  let answered = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const headers = scanHeaders(text);
    if (!headers) continue;
    answered++;
    assert.deepEqual(identitiesOf(headers, 'default'), parsedIdentities(f, text), f);
  }
  return answered;
}

test('scanned headers are the parse\'s identities wherever the scan answers (samples, fixtures, rule examples)', () => {
  const files = [...walk(path.join(ROOT, 'samples')), ...walk(path.join(ROOT, 'test/fixtures')), ...walk(path.join(ROOT, 'server/src/model/rules'))];
  const answered = assertScanAgrees(files);
  assert.ok(answered > files.length / 2, `${answered} of ${files.length} files scanned`);
});

test('scanned headers agree with the parse on the real corpus', { skip: needsShared() }, () => {
  const files = walk(CORPUS_ROOT);
  const answered = assertScanAgrees(files);
  assert.ok(answered > files.length * 0.8, `${answered} of ${files.length} files scanned`);
});

test('the scan reads plain block headers exactly and declines what only a parse can read', () => {
  const one = (text: string) => scanHeaders(text)?.map((h) => `${h.apiVersion} ${h.kind} ${h.namespace ?? '-'} ${h.name ?? '-'}`);
  assert.deepEqual(one('# a comment\napiVersion: v1\nkind: Service\nmetadata:\n  name: "web"  # the front\n  labels:\n    name: not-this\n  namespace: \'shop\'\nspec:\n  ports: []\n'), ['v1 Service shop web']);
  assert.deepEqual(one('--- # first\napiVersion: v1\nkind: Namespace\nmetadata:\n    name: shop\n---\n# only a comment\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\n'), ['v1 Namespace - shop'], 'an empty document has no object; a CRD is skipped as the parse skips it');
  assert.deepEqual(one('apiVersion: v1\nkind: ConfigMap\nsubjects:\n- kind: User\n  name: x\nmetadata:\n  name: cfg\n'), ['v1 ConfigMap - cfg'], 'a sequence at the left margin belongs to the key above');
  const declined = {
    json: '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}',
    flowMetadata: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
    list: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n',
    anchor: 'apiVersion: v1\nkind: Service\nmetadata: &m\n  name: web\n',
    alias: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: *n\n',
    tag: 'apiVersion: v1\nkind: !!str Service\nmetadata:\n  name: web\n',
    multiLineName: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n    front\n',
    template: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ${NAME}\n',
    number: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: 0755\n',
    boolean: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: yes\n',
    duplicateKey: 'apiVersion: v1\nkind: Service\nkind: Pod\nmetadata:\n  name: web\n',
    merge: 'apiVersion: v1\nkind: Service\n<<: {metadata: {name: web}}\n',
    quotedKey: '"apiVersion": v1\nkind: Service\nmetadata:\n  name: web\n',
    contentAfterStart: '--- !tag\napiVersion: v1\nkind: Service\n',
    tooDeep: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${'['.repeat(150)}${']'.repeat(150)}\n`,
  };
  for (const [what, text] of Object.entries(declined)) assert.equal(scanHeaders(text), undefined, what);
});

/** What the server does with one open file: structure files and the open file read first, the
 *  rest in the reading plan's order, a preview computed at each milestone. */
function indexWithOpenFile(files: Map<string, string>, open: string) {
  const w = new WorkspaceModel({}, ['']);
  const structural = (rel: string) => /(^|\/)(kustomization\.ya?ml|Kustomization|Chart\.yaml|\.ksi\.yaml)$/.test(rel);
  for (const [rel, text] of files) if (structural(rel) && rel !== open) w.load(rel, text);
  w.update(open, files.get(open)!);
  const own = w.ownDiagnostics(open);
  const unread = new Map<string, Header[] | undefined>();
  for (const [rel, text] of files) if (!structural(rel) && rel !== open) unread.set(rel, scanHeaders(text));
  const plan = w.readingPlan(unread, [open]);
  assert.deepEqual([...plan.order].sort(), [...unread.keys()].sort(), 'every unread file is read once');
  const waits = (plan.milestones.get(open) ?? []).map((m) => ({ m, left: new Set(m.files) }));
  const previews: { scope: string; readBefore: number; list: Diagnostic[] }[] = [];
  let read = 0;
  for (const rel of plan.order) {
    w.load(rel, files.get(rel)!);
    unread.delete(rel);
    read++;
    for (const x of waits) {
      if (!x.left.delete(rel) || x.left.size) continue;
      const list = w.previewDiagnostics(open, unread, x.m.scope);
      if (list) previews.push({ scope: x.m.scope, readBefore: read, list });
    }
  }
  return { own, previews, final: w.diagnostics(open), plan, total: plan.order.length };
}

const key = (d: Diagnostic) => `${d.code} ${d.range.start.line}:${d.range.start.character}`;
const NOT_ON_PART = new Set(RULES.filter((r) => r.checks?.cluster && !r.holdsOnPart).map((r) => r.code as string));

/** Early findings are findings of the complete analysis (a hint may be added to a message);
 *  a unit's preview is its final list; a namespaces preview lacks only cluster-wide findings. */
function assertEarlyFindingsHold(files: Map<string, string>, open: string) {
  const r = indexWithOpenFile(files, open);
  const finalKeys = new Set(r.final.map(key));
  for (const d of r.own) assert.ok(r.final.some((f) => key(f) === key(d) && f.message === d.message), `${open}: own finding ${key(d)} is final`);
  for (const p of r.previews) {
    for (const d of p.list) assert.ok(finalKeys.has(key(d)), `${open}: ${p.scope} preview finding ${key(d)} (${d.message}) is final`);
    if (p.scope === 'unit') assert.deepEqual(p.list.map(key), r.final.filter((d) => !d.code.startsWith('units-')).map(key), `${open}: the unit preview is the final list`);
    else for (const d of r.final) if (!NOT_ON_PART.has(d.code)) assert.ok(p.list.some((x) => key(x) === key(d)), `${open}: final ${key(d)} is in the namespaces preview`);
  }
  return r;
}

test('a large unit: the open file\'s namespaces are read first, and its preview then has its cross-file findings', () => {
  const g = generateWorkspace(3000, 7);
  const withMistakes = [...g.files.keys()].filter((rel) => /app: app-\d+x\n/.test(g.files.get(rel)!));
  assert.ok(withMistakes.length >= 3);
  for (const open of withMistakes.slice(0, 4)) {
    const r = assertEarlyFindingsHold(g.files, open);
    const preview = r.previews.find((p) => p.scope === 'namespaces');
    assert.ok(preview, `${open}: a namespaces preview`);
    assert.ok(preview.readBefore < r.total / 3, `${open}: it came after ${preview.readBefore} of ${r.total} files`);
    assert.ok(preview.list.some((d) => d.code === 'service-selector-no-match'), `${open}: the Service that selects nothing is found early`);
    const ns = open.split('/')[0];
    assert.ok(r.plan.order.slice(0, preview.readBefore).every((f) => f.startsWith(`${ns}/`) || g.files.get(f)!.includes(`namespace: ${ns}\n`)), 'only files of its namespace before it');
  }
});

test('what other namespaces decide is not reported early: DNS allowed through kube-system\'s labels, declared in another file', () => {
  const g = generateWorkspace(2000, 5);
  const files = new Map(g.files);
  files.set('team-0/egress.yaml', `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: egress-dns\n  namespace: team-0\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              dns: "yes"\n      ports:\n        - port: 53\n          protocol: UDP\n        - port: 53\n          protocol: TCP\n`);
  files.set('zz-cluster/kube-system.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n  labels:\n    dns: "yes"\n');
  const r = assertEarlyFindingsHold(files, 'team-0/egress.yaml');
  assert.ok(r.previews.some((p) => p.scope === 'namespaces'), 'a namespaces preview was made');
  assert.ok(!r.final.some((d) => d.code === 'network-policy-dns-blocked'));
});

test('alternatives side by side: the open file\'s unit is read first, and its preview is its final list', () => {
  const files = filesOf(path.join(ROOT, 'test/fixtures/real-layouts/alternatives'));
  for (const open of files.keys()) assertEarlyFindingsHold(files, open);
  // Two copies of an app in two folders, plus much else: the copy's folder comes first.
  const app = (ns: string, sel: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${sel}\n  ports:\n    - port: 80\n`;
  const many = new Map<string, string>([['blue/app.yaml', app('shop', 'webx')], ['green/app.yaml', app('shop', 'web')]]);
  for (let i = 0; i < 12; i++) many.set(`green/extra-${i}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: shop\n`);
  const r = assertEarlyFindingsHold(many, 'blue/app.yaml');
  assert.equal(r.previews.length, 0, 'nothing else is in its unit: its list is complete when it is read');
  assert.deepEqual(r.own, [], 'no finding of its own');
  const r2 = assertEarlyFindingsHold(many, 'green/extra-3.yaml');
  assert.deepEqual(r2.plan.order.slice(0, 12).sort(), [...many.keys()].filter((f) => f.startsWith('green/') && f !== 'green/extra-3.yaml').sort(), 'its unit first');
});

test('an unscannable file in the open file\'s folder holds the preview back until it is read', () => {
  const g = generateWorkspace(2000, 11);
  const files = new Map(g.files);
  const open = [...files.keys()].find((rel) => /app: app-\d+x\n/.test(files.get(rel)!))!;
  const ns = open.split('/')[0];
  // JSON declaring the same Deployment as the open file's folder: it splits the folder.
  const deployment = /kind: Deployment\nmetadata:\n  name: (app-\d+)/.exec(files.get(open)!)?.[1] ?? 'app-0';
  files.set('zz-last/copy.json', JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: deployment, namespace: ns } }));
  const r = assertEarlyFindingsHold(files, open);
  assert.equal(r.plan.order[0], 'zz-last/copy.json', 'the file only a parse can read comes first');
  for (const p of r.previews) assert.ok(p.readBefore >= 1);
});

test('early findings hold for every file of the real corpus projects', { skip: needsShared() }, () => {
  for (const project of fs.readdirSync(CORPUS_ROOT).filter((p) => fs.statSync(path.join(CORPUS_ROOT, p)).isDirectory())) {
    const files = filesOf(path.join(CORPUS_ROOT, project));
    const names = [...files.keys()];
    // A spread of open files per project (every file would re-read each project many times).
    for (const open of names.filter((_, i) => i % Math.max(1, Math.floor(names.length / 8)) === 0)) assertEarlyFindingsHold(files, open);
  }
});
