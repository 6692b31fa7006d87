// Files read without keeping their YAML nodes (what the server does for files that are not
// open, and the CLI for all) must give exactly what files with their nodes give: findings,
// topology, Service views, connections, hovers, completions — before and after edits.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { buildTopology, callsReport, complete, connectionsOf, hover, listServices, references, WorkspaceModel } from '../../server/src/model';
import { CORPUS_ROOT, needsShared } from '../helpers/corpus';
import { generateWorkspace, rng } from '../bench/generate';

const ROOT = path.join(__dirname, '../..');

function walk(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [path.join(d, e.name)] : [])).sort();
}

function filesOf(dir: string): Map<string, string> {
  return new Map(walk(dir).map((f) => [path.relative(dir, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8')]));
}

function load(files: Map<string, string>, keep: boolean): WorkspaceModel {
  const w = new WorkspaceModel({}, ['']);
  if (!keep) w.keepNodes(() => false);
  for (const [rel, text] of files) w.load(rel, text);
  return w;
}

/** Everything a user sees, as JSON, for a sample of positions in every file. */
function seen(w: WorkspaceModel, files: Map<string, string>, seed: number): string[] {
  const r = rng(seed);
  const out = [JSON.stringify([...w.allDiagnostics()].sort())];
  const model = w.mainModel();
  out.push(JSON.stringify(buildTopology(model)), JSON.stringify(listServices(model)), JSON.stringify(callsReport(model)));
  if (model.objectCount() < 3000) out.push(JSON.stringify(connectionsOf(model, {})));
  for (const [uri, text] of files) {
    const lines = text.split('\n');
    for (let i = 0; i < Math.min(12, lines.length); i++) {
      const line = Math.floor(r() * lines.length);
      const pos = { line, character: Math.floor(r() * (lines[line].length + 1)) };
      const m = w.modelFor(uri);
      out.push(`${uri} ${line}:${pos.character} ${JSON.stringify(hover(m, uri, pos))} ${JSON.stringify(complete(m, uri, pos))} ${JSON.stringify(references(m, uri, pos))}`);
    }
  }
  return out;
}

function assertSame(files: Map<string, string>, what: string) {
  const kept = load(files, true);
  const compact = load(files, false);
  const a = seen(kept, files, 3);
  const b = seen(compact, files, 3);
  assert.equal(b.length, a.length);
  for (let i = 0; i < a.length; i++) assert.equal(b[i], a[i], `${what}: ${a[i].slice(0, 120)}`);
  return { kept, compact };
}

test('without their nodes, the samples and every fixture read the same (findings, topology, hovers, completions, references)', () => {
  assertSame(filesOf(path.join(ROOT, 'samples')), 'samples');
  for (const dir of fs.readdirSync(path.join(ROOT, 'test/fixtures/real-layouts'))) {
    const p = path.join(ROOT, 'test/fixtures/real-layouts', dir);
    assertSame(fs.statSync(p).isDirectory() ? filesOf(p) : new Map([[dir, fs.readFileSync(p, 'utf8')]]), dir);
  }
  for (const dir of fs.readdirSync(path.join(ROOT, 'server/src/model/rules'))) {
    const p = path.join(ROOT, 'server/src/model/rules', dir, 'fixtures');
    if (fs.existsSync(p)) for (const [rel, text] of filesOf(p)) assertSame(new Map([[rel, text]]), `${dir}/${rel}`);
  }
});

test('without their nodes, a generated workspace reads the same, and so after edits of its files', () => {
  const files = new Map(generateWorkspace(1500, 9).files);
  const { kept, compact } = assertSame(files, 'generated');
  const r = rng(4);
  const uris = [...files.keys()];
  for (let i = 0; i < 20; i++) {
    const uri = uris[Math.floor(r() * uris.length)];
    const text = files.get(uri)!.replace(/app: (app-\d+)\n/, (_, a) => `app: ${a}${i % 2 ? 'x' : ''}\n`).replace(/containerPort: 8080/, `containerPort: ${8080 + (i % 3)}`);
    files.set(uri, text);
    kept.update(uri, text);
    compact.update(uri, text);
  }
  assert.deepEqual(seen(compact, files, 5), seen(kept, files, 5));
});

test('without their nodes, the real corpus reads the same', { skip: needsShared() }, () => {
  for (const project of fs.readdirSync(CORPUS_ROOT).filter((p) => fs.statSync(path.join(CORPUS_ROOT, p)).isDirectory())) {
    assertSame(filesOf(path.join(CORPUS_ROOT, project)), project);
  }
});
