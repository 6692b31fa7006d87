// Kustomize and Helm rendered by the real binaries (kubectl 1.35 with Kustomize 5.7.1, helm
// 4.1), and the findings on the rendered objects mapped back to the lines that wrote them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadWorkspace } from '../../server/src/cli/load';
import type { Diagnostic, WorkspaceModel } from '../../server/src/model';
import { isRendered, RenderedUnit } from '../../server/src/model/render/sourceMap';
import { SourceText } from '../../server/src/model/yamlNodes';
import { API_VERSIONS } from '../../server/src/workspace/render/render';
import { DEFAULT_RENDER, RenderRun } from '../../server/src/workspace/render/driver';
import { HELM, KUBECTL, needsRenderers } from '../helpers/renderers';
import { needsShared, RENDER_CORPUS_ROOT } from '../helpers/corpus';

const ROOT = path.join(__dirname, '../..');
const FIXTURES = 'test/render/fixtures';
const CLI = path.join(ROOT, 'dist/cli.js');
const skip = needsRenderers();
const render = { ...DEFAULT_RENDER, kubectlPath: KUBECTL, helmPath: HELM };

async function load(paths: string[]): Promise<{ ws: WorkspaceModel; run: RenderRun }> {
  let run: RenderRun | undefined;
  const ws = await loadWorkspace(paths, {}, { render, onRender: (r) => { run = r; } });
  return { ws, run: run! };
}

function findings(ws: WorkspaceModel): Diagnostic[] {
  const all = ws.allDiagnostics();
  return ws.uris().flatMap((u) => all.get(u) ?? []);
}

function renderedUnits(ws: WorkspaceModel): { id: string; name: string; kind: string; r: RenderedUnit }[] {
  return ws.units().flatMap((u) => {
    const r = ws.renderOf(u.id);
    return r && isRendered(r) ? [{ id: u.id, name: u.name, kind: u.kind, r }] : [];
  });
}

/** What the binary prints for a unit, run the plain way. */
function binaryOutput(kind: string, dir: string, release?: string): string {
  if (kind === 'kustomize') return execFileSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return execFileSync(HELM, ['template', release!, dir, '--namespace', 'default', '--skip-tests', '--skip-schema-validation', ...API_VERSIONS.flatMap((a) => ['--api-versions', a])], { encoding: 'utf8', maxBuffer: 1 << 28, env: { PATH: process.env.PATH, HOME: os.tmpdir() } });
}

/** A chart's output with generated secrets (\`genCA\`, \`randAlphaNum\`) blanked: they differ per run. */
function withoutGenerated(text: string): string {
  return text.replace(/^(\s+[\w./-]+: )"?[A-Za-z0-9+/=]{16,}"?$/gm, '$1<generated>');
}

/** `# seeded: CODE` marks the line a finding of CODE must be on; `# seeded-related: CODE`
 *  a line that a finding of CODE must name as related information. */
function seeds(dir: string): { file: string; line: number; code: string; related: boolean }[] {
  const out: { file: string; line: number; code: string; related: boolean }[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else fs.readFileSync(p, 'utf8').split('\n').forEach((l, line) => {
        const m = /# seeded(-related)?: ([a-z-]+)/.exec(l);
        if (m) out.push({ file: path.relative(ROOT, p).split(path.sep).join('/'), line, code: m[2], related: !!m[1] });
      });
    }
  };
  walk(path.join(ROOT, dir));
  return out;
}

/** Every finding of a rendered unit is on a real source file, at text that is there. */
function assertOnSourceLines(ws: WorkspaceModel, list: Diagnostic[]) {
  for (const d of list) {
    const label = `${d.code} ${d.uri}:${d.range.start.line + 1} ${d.message}`;
    assert.ok(!d.uri.includes('<rendered>'), `${label}: left on the rendered output`);
    const text = ws.textOf(d.uri) ?? fs.readFileSync(d.uri, 'utf8');
    const src = SourceText.of(d.uri, text);
    const lines = text.split('\n');
    assert.ok(d.range.start.line < lines.length, `${label}: beyond the end of the file`);
    const at = text.slice(src.offsetAt(d.range.start), src.offsetAt(d.range.end));
    // File-level notes sit at the start; every other finding covers written text.
    if (d.range.end.line > d.range.start.line || d.range.end.character > d.range.start.character) {
      assert.ok(at.trim() && !at.trim().startsWith('#'), `${label}: covers ${JSON.stringify(at)}`);
    } else assert.ok(['render-failed', 'render-incomplete', 'units-split'].includes(d.code) || d.range.start.line === 0, `${label}: an empty range`);
  }
}

test('rendered objects are exactly what kubectl kustomize and helm template print', { skip }, async () => {
  const { ws } = await load([FIXTURES]);
  const units = renderedUnits(ws);
  assert.deepEqual(units.map((u) => u.name).sort(), ['chart', 'kustomize-nested/overlays/prod-eu', 'kustomize-patches/overlays/prod', 'kustomize-patches/overlays/staging', 'remote'].sort());
  for (const u of units.filter((x) => x.name !== 'remote')) {
    const release = u.kind === 'helm' ? 'shop' : undefined;
    const printed = u.kind === 'helm'
      ? execFileSync(HELM, ['template', 'shop', u.id, '--namespace', 'default', '--skip-tests', '--skip-schema-validation', ...API_VERSIONS.flatMap((a) => ['--api-versions', a]), '--values', `${u.id}/values-prod.yaml`], { encoding: 'utf8' })
      : binaryOutput(u.kind, u.id, release);
    assert.equal(u.r.text, printed, `${u.name}: rendered text differs from the binary's`);
  }
});

test('every seeded mistake is reported on the overlay, patch, component, template or values line that wrote it', { skip }, async () => {
  const { ws } = await load([FIXTURES]);
  const list = findings(ws);
  const brief = list.map((d) => `${d.code} ${d.uri}:${d.range.start.line + 1}`);
  const planted = seeds(FIXTURES);
  assert.ok(planted.length >= 9, 'the fixtures plant their mistakes');
  for (const s of planted) {
    if (s.related) {
      assert.ok(list.some((d) => d.code === s.code && d.related?.some((r) => r.uri === s.file && r.range.start.line === s.line)), `${s.code} names ${s.file}:${s.line + 1} as related; found: ${JSON.stringify(list.filter((d) => d.code === s.code).map((d) => d.related))}`);
    } else {
      assert.ok(list.some((d) => d.code === s.code && d.uri === s.file && d.range.start.line === s.line), `${s.code} at ${s.file}:${s.line + 1}; found:\n${brief.join('\n')}`);
    }
  }
  // Nothing else: each finding is one of the planted ones (or the scaled-to-zero overlay's).
  const expected = new Set(planted.filter((s) => !s.related).map((s) => `${s.code} ${s.file}:${s.line + 1}`));
  const extra = brief.filter((b) => !expected.has(b) && !b.startsWith('service-scaled-to-zero '));
  assert.deepEqual(extra, []);
  assertOnSourceLines(ws, list);
});

test('a base shared by overlays reports a finding once, naming each overlay and its wording there', { skip }, async () => {
  const { ws } = await load([`${FIXTURES}/kustomize-patches`]);
  const shared = findings(ws).filter((d) => d.code === 'ingress-port-not-found');
  assert.equal(shared.length, 1);
  assert.equal(shared[0].unit, 'overlays/prod, overlays/staging');
  assert.match(shared[0].message, /Service `prod-web` has no port 8080/);
  assert.ok(shared[0].related?.some((r) => r.message === 'In overlays/staging: Service `staging-web` has no port 8080; its ports are 80 (http).'));
});

test('rendered values map to the kustomization line that changed them, with the base line related', { skip }, async () => {
  const { ws } = await load([`${FIXTURES}/kustomize-patches`, `${FIXTURES}/kustomize-nested`]);
  const unit = (name: string) => renderedUnits(ws).find((u) => u.id.endsWith(name))!;
  const spotOf = (u: RenderedUnit, needle: string, nth = 0) => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = u.text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${needle} in the rendered text`);
    const spot = u.map.lookup(at + needle.length - 1)!;
    const line = fs.readFileSync(spot.uri, 'utf8').split('\n')[spot.range.start.line];
    return { spot, line, file: path.basename(path.dirname(spot.uri)) + '/' + path.basename(spot.uri) };
  };
  const prod = unit('kustomize-patches/overlays/prod').r;
  const name = spotOf(prod, 'name: prod-web');
  assert.equal(name.file, 'prod/kustomization.yaml');
  assert.match(name.line, /^namePrefix: prod-/);
  assert.ok(name.spot.via?.some((v) => /base\/web\.yaml$/.test(v.uri) && /the value `web`/.test(v.message)));
  const replicas = spotOf(prod, 'replicas: 0');
  assert.match(replicas.line, /^- name: web/);
  assert.match(spotOf(prod, 'namespace: prod').line, /^namespace: prod/);
  assert.match(spotOf(prod, 'image: nginx:1.27').line, /image: nginx:1\.27/);
  const nested = unit('kustomize-nested/overlays/prod-eu').r;
  const label = spotOf(nested, 'tier: backend', 1);
  assert.equal(label.file, 'prod/kustomization.yaml');
  assert.match(label.line, /tier: backend/);
  assert.match(spotOf(nested, 'namespace: prod-eu').line, /^namespace: prod-eu/);
  const port = spotOf(nested, 'containerPort: 9000');
  assert.equal(port.file, 'prod/api-port.yaml');
  const policy = spotOf(nested, 'name: prod-egress-to-db');
  assert.match(policy.line, /^namePrefix: prod-/);
});

test('Helm: values toggles decide what is rendered; findings land on template lines with the values line related', { skip }, async () => {
  const plain = await load([`${FIXTURES}/chart`]);
  const [chart] = renderedUnits(plain.ws);
  assert.doesNotMatch(chart.r.text, /kind: NetworkPolicy/, 'networkPolicy.enabled is false by default');
  assert.match(chart.r.summary, /release shop, namespace default, values values\.yaml$/);
  const list = findings(plain.ws);
  assert.deepEqual(list.map((d) => d.code), ['target-port-name-unresolved'], 'only the subchart mistake with default values');
  assert.match(list[0].uri, /charts\/cache\/templates\/cache\.yaml$/);
  assertOnSourceLines(plain.ws, list);
  const port = chart.r.text.indexOf('port: 80');
  const spot = chart.r.map.lookup(port + 'port: 8'.length)!;
  assert.match(spot.uri, /templates\/service\.yaml$/);
  assert.equal(fs.readFileSync(spot.uri, 'utf8').split('\n')[spot.range.start.line].trim(), 'port: {{ .Values.service.port }}');
  assert.ok(spot.via?.some((v) => v.uri.endsWith('chart/values.yaml') && v.range.start.line === 1 && v.message.startsWith('`.Values.service.port` from')));

  const configured = await load([FIXTURES]);
  const shop = renderedUnits(configured.ws).find((u) => u.name === 'chart')!;
  assert.match(shop.r.text, /kind: NetworkPolicy/, '.ksi.yaml renders with values-prod.yaml');
  assert.match(shop.r.summary, /values values\.yaml, values-prod\.yaml$/);
  const info = configured.ws.units().find((u) => u.name === 'chart')!;
  assert.deepEqual(info.valuesFiles?.map((v) => path.basename(v)), ['values-prod.yaml', 'values.yaml']);
});

test('a template error is reported at its file and line; a remote resource is named, never fetched', { skip }, async () => {
  const { ws } = await load([`${FIXTURES}/broken-chart`, `${FIXTURES}/remote`]);
  const list = findings(ws);
  const failed = list.find((d) => d.code === 'render-failed')!;
  assert.ok(failed, JSON.stringify(list));
  assert.match(failed.uri, /broken-chart\/templates\/service\.yaml$/);
  assert.deepEqual([failed.range.start, failed.range.end], [{ line: 3, character: 8 }, { line: 3, character: 41 }], 'the failing action');
  assert.match(failed.message, /no template "broken\.fullname"/);
  const remote = list.find((d) => d.code === 'render-incomplete')!;
  assert.match(remote.uri, /remote\/kustomization\.yaml$/);
  assert.equal(remote.range.start.line, 1);
  assert.match(remote.message, /not fetched .*https:\/\/github\.com\/example\/does-not-exist/);
  assert.equal(ws.units().find((u) => u.name === `${FIXTURES}/remote` || u.id.endsWith('remote'))!.objects, 2, 'the local resources are analysed');
});

test('real charts render offline: bitnami nginx and redis with their library chart vendored, ingress-nginx, online-boutique', { skip: skip || needsShared(RENDER_CORPUS_ROOT) }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-charts-'));
  for (const name of ['nginx', 'redis']) {
    fs.cpSync(path.join(RENDER_CORPUS_ROOT, 'bitnami/bitnami', name), path.join(tmp, name), { recursive: true });
    // As `helm dependency build` would: the library chart in charts/.
    fs.cpSync(path.join(RENDER_CORPUS_ROOT, 'bitnami/bitnami/common'), path.join(tmp, name, 'charts/common'), { recursive: true });
  }
  const rel = (p: string) => path.relative(process.cwd(), p);
  const { ws } = await load([rel(tmp), rel(path.join(RENDER_CORPUS_ROOT, 'ingress-nginx')), rel(path.join(RENDER_CORPUS_ROOT, 'online-boutique/helm-chart'))]);
  const units = renderedUnits(ws);
  assert.equal(units.length, 4, JSON.stringify(ws.units().map((u) => [u.name, u.readAs])));
  for (const u of units) {
    assert.ok(u.r.text.includes('kind: Service'), `${u.name} rendered Services`);
    const printed = binaryOutput('helm', u.id, ws.renderTargets().find((t) => t.unitId === u.id)!.helm!.release);
    assert.ok(withoutGenerated(u.r.text) === withoutGenerated(printed), `${u.name}: as helm prints it (generated secrets aside)`);
    const { exact, total } = u.r.exactLines!;
    console.log(`# ${u.name}: ${exact} of ${total} rendered lines placed on the template line that printed them (${Math.round((exact / total) * 100)}%)`);
    assert.ok(exact / total >= 0.6, `${u.name}: ${exact}/${total} lines mapped exactly`);
  }
  const list = findings(ws);
  assert.deepEqual(list.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.uri}:${d.range.start.line + 1} ${d.message}`), []);
  assertOnSourceLines(ws, list);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('real Kustomize trees render as kubectl prints them; findings land on source lines', { skip: skip || needsShared(RENDER_CORPUS_ROOT) }, async () => {
  const rel = (p: string) => path.relative(process.cwd(), p);
  const { ws } = await load([rel(path.join(RENDER_CORPUS_ROOT, 'online-boutique/kustomize')), rel(path.join(RENDER_CORPUS_ROOT, 'argo-cd/manifests'))]);
  const units = renderedUnits(ws).filter((u) => u.kind === 'kustomize');
  assert.ok(units.length >= 10, `${units.length} roots rendered`);
  for (const u of units) assert.equal(u.r.text, binaryOutput('kustomize', u.id), `${u.name}: as kubectl prints it`);
  const list = findings(ws);
  assertOnSourceLines(ws, list.filter((d) => units.some((u) => d.unit?.split(', ').includes(u.name))));
  // online-boutique's default build is clean, as its authors ship it.
  assert.deepEqual(list.filter((d) => d.unit?.split(', ').includes('.') && d.uri.includes('online-boutique')).map((d) => d.code), []);
});

test('ksi: --kubectl/--helm pick the renderers, `units` shows their versions, --no-render and missing renderers read raw', { skip }, () => {
  const ksi = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const units = ksi(['units', `${FIXTURES}/kustomize-patches`, '--kubectl', KUBECTL, '--helm', HELM]);
  assert.equal(units.status, 0, units.stderr);
  assert.match(units.stdout, /^overlays\/prod +kustomize \(rendered by kubectl v1\.35\.\d+ \(kustomize v5\.7\.1\)\)/m);
  assert.match(units.stdout, /renderers: kubectl v1\.35\.\d+ \(kustomize v5\.7\.1\); helm v4\.1\.\d+/);
  const check = ksi(['check', `${FIXTURES}/kustomize-patches`, '--kubectl', KUBECTL]);
  assert.match(check.stdout, /overlays\/staging\/service-port\.yaml:9:17 warning target-port-not-exposed \[overlays\/staging\] Service `staging-web`/);
  const raw = ksi(['check', `${FIXTURES}/kustomize-patches`, '--no-render']);
  assert.match(raw.stdout, /information kustomize-not-rendered/);
  assert.doesNotMatch(raw.stdout, /target-port-not-exposed/, 'unrendered, the patch is not applied and nothing it could change is reported');
  const missing = ksi(['check', `${FIXTURES}/chart`, '--kubectl', '/no/such/kubectl', '--helm', '/no/such/helm']);
  assert.match(missing.stderr, /helmPath is set to \/no\/such\/helm, which does not exist/);
  assert.match(missing.stdout, /information helm-chart-not-rendered .*put helm on PATH or set `kubeServiceInsight\.helmPath`/);
});

test('a renderer that runs past --render-timeout is stopped and reported', { skip: skip || process.platform === 'win32' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-slow-'));
  // Answers `version` like kubectl, then hangs on `kustomize`: only the timeout ends it.
  const slow = path.join(dir, 'kubectl');
  fs.writeFileSync(slow, `#!/bin/sh\nif [ "$1" = version ]; then exec ${JSON.stringify(KUBECTL)} "$@"; fi\nsleep 30\n`, { mode: 0o755 });
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, 'check', `${FIXTURES}/remote`, '--kubectl', slow, '--render-timeout', '1'], { cwd: ROOT, encoding: 'utf8' });
  assert.ok(Date.now() - started < 15_000, 'stopped, not waited for');
  assert.match(r.stdout, /information render-incomplete .*kustomize was not finished .*took longer than 1 s \(kubeServiceInsight\.renderTimeout\) and was stopped/);
  fs.rmSync(dir, { recursive: true, force: true });
});
