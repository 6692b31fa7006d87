// Property: after any sequence of edits, the incrementally updated model reports exactly
// what a model rebuilt from scratch reports.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel, listServices, WorkspaceModel } from '../../server/src/model';
import { corpusUnits, needsShared } from '../helpers/corpus';
import { seededRandom as rng } from '../../server/src/model/random';


type Edit = (text: string, r: () => number) => string;
const pick = <T>(xs: T[], r: () => number) => xs[Math.floor(r() * xs.length)];
const replaceNth = (text: string, re: RegExp, f: (m: string) => string, r: () => number) => {
  const hits = [...text.matchAll(re)];
  if (!hits.length) return text;
  const h = pick(hits, r);
  return text.slice(0, h.index!) + f(h[0]) + text.slice(h.index! + h[0].length);
};

const EDITS: Edit[] = [
  // change a label / selector value
  (t, r) => replaceNth(t, /(app|name|tier|role): [\w-]+/g, (m) => `${m.split(':')[0]}: ${pick(['web', 'api', 'db', 'webui', 'redis', 'carts', 'x'], r)}`, r),
  // change a port number
  (t, r) => replaceNth(t, /(port|targetPort|containerPort|number): \d+/g, (m) => `${m.split(':')[0]}: ${pick([80, 8080, 5432, 6379, 9090, 30080], r)}`, r),
  // change a namespace or a name
  (t, r) => replaceNth(t, /(namespace|name): [\w-]+/g, (m) => `${m.split(':')[0]}: ${pick(['default', 'shop', 'data', 'web', 'postgres'], r)}`, r),
  // delete a line
  (t, r) => { const ls = t.split('\n'); ls.splice(Math.floor(r() * ls.length), 1); return ls.join('\n'); },
  // break the YAML
  (t, r) => { const i = Math.floor(r() * t.length); return `${t.slice(0, i)}: [\n${t.slice(i)}`; },
  // change a type
  (t, r) => replaceNth(t, /type: \w+/g, () => `type: ${pick(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'ClusterIp'], r)}`, r),
  // split a document in two, or join two (edits that move document boundaries)
  (t, r) => { const ls = t.split('\n'); ls.splice(Math.floor(r() * ls.length), 0, '---'); return ls.join('\n'); },
  (t, r) => replaceNth(t, /\n---[^\n]*\n/g, () => '\n', r),
  // type a character anywhere
  (t, r) => { const i = Math.floor(r() * (t.length + 1)); return `${t.slice(0, i)}${pick(['x', ' ', '"', ':', '\n'], r)}${t.slice(i)}`; },
];

function snapshot(m: ClusterModel): string {
  return JSON.stringify({ diags: [...m.allDiagnostics()].sort(), services: listServices(m) });
}

interface Editable {
  update(uri: string, text: string): void;
  remove(uri: string): void;
}

interface Subject<M extends Editable> {
  make(): M;
  /** How the live model first reads a file (the fresh one uses `update`). */
  load?(m: M, uri: string, text: string): void;
  snapshot(m: M): string;
  edits: Edit[];
}

const clusterModel = (defaultNamespace: string): Subject<ClusterModel> => ({ make: () => new ClusterModel({ defaultNamespace }), snapshot, edits: EDITS });

function runProperty<M extends Editable>(files: Map<string, string>, seed: number, steps: number, subject: Subject<M>) {
  const r = rng(seed);
  const current = new Map(files);
  const live = subject.make();
  for (const [uri, text] of current) (subject.load ? subject.load(live, uri, text) : live.update(uri, text));
  const uris = [...files.keys()];
  for (let step = 0; step < steps; step++) {
    const uri = pick(uris, r);
    const action = r();
    if (action < 0.08 && current.has(uri)) {
      current.delete(uri);
      live.remove(uri);
    } else if (action < 0.16) {
      current.set(uri, files.get(uri)!);
      live.update(uri, files.get(uri)!);
    } else if (current.has(uri)) {
      const next = pick(subject.edits, r)(current.get(uri)!, r);
      current.set(uri, next);
      live.update(uri, next);
    }
    // Query often, as an editor would; the caches must survive interleaved reads.
    if (step % 3 === 0 || step === steps - 1) {
      const fresh = subject.make();
      for (const u of [...current.keys()].sort()) fresh.update(u, current.get(u)!);
      assert.equal(subject.snapshot(live), subject.snapshot(fresh), `seed ${seed}, step ${step}: incremental result differs from rebuild`);
    }
  }
}

test('samples: random edit sequences equal a rebuild', () => {
  const root = path.join(__dirname, '../../samples');
  const files = new Map<string, string>();
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else files.set(path.relative(root, p), fs.readFileSync(p, 'utf8'));
  });
  walk(root);
  for (let seed = 1; seed <= 12; seed++) runProperty(files, seed, 40, clusterModel('default'));
});

test('corpus units: random edit sequences equal a rebuild', { skip: needsShared() }, () => {
  const units = corpusUnits().filter((u) => !u.perFile && u.files.length > 1);
  assert.ok(units.length >= 10, 'corpus units found');
  let seed = 100;
  for (const u of units) {
    const files = new Map(u.files.map((f) => [path.relative(u.dir, f), fs.readFileSync(f, 'utf8')]));
    runProperty(files, seed++, 15, clusterModel(u.defaultNamespace));
  }
});

// The same property for a workspace of apply units: edits that add or remove clashes,
// rename objects or break kustomizations re-split the units exactly as a fresh read would.
function workspaceSnapshot(w: WorkspaceModel): string {
  const units = w.units().map((u) => `${u.name} ${u.readAs} ${u.files.join(',')}`);
  const services = w.units().filter((u) => u.kind !== 'helm').map((u) => listServices(w.unitModel(u.id)!));
  return JSON.stringify({ diags: [...w.allDiagnostics()].sort(), units, services });
}

test('a workspace of apply units: random edit sequences equal a rebuild', () => {
  const root = path.join(__dirname, '../fixtures/real-layouts');
  const files = new Map<string, string>();
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(ya?ml|json)$/.test(e.name)) files.set(path.relative(root, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8'));
  });
  walk(root);
  files.set('.ksi.yaml', 'units: []\n');
  const unitEdits: Edit[] = [
    ...EDITS,
    // declare or undeclare a unit
    (t) => (t.includes('alternatives') ? 'units: []\n' : 'units: [alternatives]\n'),
    // drop or add a kustomization resource
    (t, r) => replaceNth(t, /- [\w./-]+\.yaml/g, () => pick(['- deployment.yaml', '- ../../base', '- missing.yaml'], r), r),
  ];
  const workspace: Subject<WorkspaceModel> = {
    make: () => new WorkspaceModel({}, ['']),
    load: (w, uri, text) => w.load(uri, text),
    snapshot: workspaceSnapshot,
    edits: unitEdits,
  };
  for (let seed = 1; seed <= 16; seed++) runProperty(files, seed, 30, workspace);
});
