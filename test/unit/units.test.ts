// Apply units: what is applied together is analysed together, and nothing else.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Diagnostic, WorkspaceModel } from '../../server/src/model';
import { CORPUS_ROOT, needsShared, RENDER_CORPUS_ROOT } from '../helpers/corpus';

const FIXTURES = path.join(__dirname, '../fixtures/real-layouts');

function walk(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)])).sort();
}

/** A workspace of a folder's files, named relative to it (as the CLI does with `ksi check DIR`). */
function workspaceOf(dir: string, extra: Record<string, string> = {}): WorkspaceModel {
  const w = new WorkspaceModel({}, ['']);
  for (const f of walk(dir)) if (/\.(ya?ml|json)$/.test(f)) w.load(path.relative(dir, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8'));
  for (const [uri, text] of Object.entries(extra)) w.update(uri, text);
  return w;
}

const all = (w: WorkspaceModel): Diagnostic[] => [...w.allDiagnostics().values()].flat();
const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.severity} ${d.code} ${d.uri}:${d.range.start.line + 1}`).sort();

test('a Kustomize overlay: patches and kustomization files are never objects; transformers make findings unreported, with one note', () => {
  const w = workspaceOf(path.join(FIXTURES, 'kustomize-overlay'));
  const units = w.units();
  assert.deepEqual(units.map((u) => `${u.name} ${u.readAs} ${u.files.length} ${u.objects}`), ['overlays/prod kustomize (unrendered, transformers not applied) 2 2']);
  const diags = all(w);
  assert.deepEqual(brief(diags), ['information kustomize-not-rendered overlays/prod/kustomization.yaml:1']);
  assert.match(diags[0].message, /Not applied: `namePrefix` in overlays\/prod\/kustomization\.yaml, `patches` in overlays\/prod\/kustomization\.yaml/);
  assert.match(diags[0].message, /kubectl kustomize overlays\/prod \| ksi check -/);
  // The base is read through the overlay, in the overlay's namespace.
  const model = w.modelFor('base/service.yaml');
  assert.deepEqual(model.namespaceNames(), ['prod']);
  assert.equal(w.modelFor('overlays/prod/deployment-patch.yaml').objectCount(), 0, 'the patch is in no unit');
});

test('a Kustomize tree without transformers is exact: findings are reported in the namespace it sets; unlisted files are not read', () => {
  const w = workspaceOf(path.join(FIXTURES, 'kustomize-exact'));
  assert.deepEqual(w.units().map((u) => `${u.name} ${u.exact}`), ['. true']);
  const diags = all(w);
  assert.deepEqual(brief(diags), ['information kustomize-not-rendered kustomization.yaml:1', 'warning service-selector-no-match app/app.yaml:25']);
  assert.match(diags.find((d) => d.code === 'service-selector-no-match')!.message, /namespace `shop`/);
  assert.equal(w.modelFor('app/unused-extra.yaml').objectCount(), 0);
});

test('alternative installs are separate units: no cross-variant duplicates or Ingress errors; a duplicate inside one file still counts', () => {
  const w = workspaceOf(path.join(FIXTURES, 'alternatives'));
  assert.deepEqual(w.units().map((u) => u.name), ['fixtures', 'install/install.yaml', 'install/namespace-install.yaml']);
  const diags = all(w);
  assert.deepEqual(brief(diags).filter((d) => !d.includes('units-split')), ['warning duplicate-object fixtures/one.yaml:13', 'warning service-selector-no-match fixtures/one.yaml:6']);
  assert.ok(!diags.some((d) => d.code === 'ingress-port-not-found'), 'the Ingress resolves against its own bundle');
  const split = diags.filter((d) => d.code === 'units-split');
  assert.ok(split.length >= 1 && split.every((d) => /read as alternatives/.test(d.message)));
  assert.ok(diags.every((d) => d.code === 'units-split' || d.unit !== undefined), 'findings name their unit');
  // Each unit is its own cluster: the hover/simulator model of install.yaml has one Service `server`, port 80.
  const svc = w.modelFor('install/install.yaml').view('default').services.get('server')!;
  assert.equal(svc.ports[0].port, 80);
});

test('.ksi.yaml declares units: the alternatives applied together clash as duplicates', () => {
  const w = workspaceOf(path.join(FIXTURES, 'alternatives'), { '.ksi.yaml': 'units:\n  - install\n' });
  assert.deepEqual(w.units().map((u) => `${u.name} ${u.origin}`), ['fixtures folder', 'install declared']);
  assert.deepEqual(brief(all(w)).filter((d) => d.includes('install/')), ['warning duplicate-object install/namespace-install.yaml:22', 'warning duplicate-object install/namespace-install.yaml:5']);
  const bad = workspaceOf(path.join(FIXTURES, 'alternatives'), { '.ksi.yaml': 'units: install\n' });
  assert.deepEqual(brief(all(bad)).filter((d) => d.includes('config-invalid')), ['error config-invalid .ksi.yaml:1'], JSON.stringify(brief(all(bad))));
});

test('a Helm chart is one unit that is not analysed, with one note on Chart.yaml; its templates are never read', () => {
  const w = workspaceOf(path.join(FIXTURES, 'helm-chart'));
  assert.deepEqual(w.units().map((u) => `${u.name} ${u.readAs}`), ['mychart helm (not analysed)']);
  const diags = all(w);
  assert.deepEqual(brief(diags), ['information helm-chart-not-rendered mychart/Chart.yaml:1']);
  assert.match(diags[0].message, /helm template mychart/);
});

test('edits that create or remove a clash re-split the units, and equal a fresh read', () => {
  const dir = path.join(FIXTURES, 'alternatives');
  const w = workspaceOf(dir);
  const renamed = fs.readFileSync(path.join(dir, 'install/namespace-install.yaml'), 'utf8').replace(/name: server/g, 'name: server-ns');
  w.update('install/namespace-install.yaml', renamed);
  const fresh = workspaceOf(dir, { 'install/namespace-install.yaml': renamed });
  assert.deepEqual(w.units().map((u) => u.name), fresh.units().map((u) => u.name));
  assert.deepEqual(brief(all(w)), brief(all(fresh)));
  w.remove('fixtures/one.yaml');
  assert.deepEqual(w.units().map((u) => u.name), ['install'], 'no clash left: one unit, named after the folder that holds it');
  assert.deepEqual(brief(all(w)), []);
});

test('real layouts (corpus-render): Kustomize trees beside their generated bundles, Helm charts: no error at all', { skip: needsShared(RENDER_CORPUS_ROOT) }, () => {
  const w = workspaceOf(RENDER_CORPUS_ROOT);
  const diags = all(w);
  assert.deepEqual(diags.filter((d) => d.severity === 'error').map((d) => `${d.uri} ${d.code} ${d.message}`), []);
  const units = new Map(w.units().map((u) => [u.name, u]));
  for (const bundle of ['argo-cd/manifests/install.yaml', 'argo-cd/manifests/namespace-install.yaml', 'argo-cd/manifests/ha/install.yaml']) {
    assert.equal(units.get(bundle)?.readAs, 'plain', `${bundle} is a unit of its own`);
  }
  assert.equal(units.get('online-boutique/kustomize')?.readAs, 'kustomize (unrendered)');
  assert.equal(units.get('online-boutique/kustomize')?.objects, 35);
  for (const chart of ['bitnami/bitnami/nginx', 'bitnami/bitnami/redis', 'ingress-nginx/charts/ingress-nginx', 'online-boutique/helm-chart']) {
    assert.equal(units.get(chart)?.kind, 'helm', chart);
  }
  // No kustomization, patch or component file is read as an object.
  const objects = [...units.values()].flatMap((u) => (u.kind === 'helm' ? [] : w.unitModel(u.id)!.objects()));
  assert.ok(!objects.some((o) => /kustomize\.config\.k8s\.io/.test(o.apiVersion)));
  assert.ok(!diags.some((d) => ['duplicate-object', 'missing-name', 'ingress-port-not-found'].includes(d.code)), 'no clash between alternatives');
});

test('a kustomization named `Kustomization` and Components: components add their resources; an unused Component is no unit', () => {
  const w = new WorkspaceModel({}, ['']);
  w.update('app/Kustomization', 'resources: [svc.yaml]\ncomponents: [../policies]\n');
  w.update('app/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n');
  w.update('policies/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [deny.yaml]\n');
  w.update('policies/deny.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n');
  w.update('unused/kustomization.yaml', 'kind: Component\napiVersion: kustomize.config.k8s.io/v1alpha1\nresources: [x.yaml]\n');
  w.update('unused/x.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: Bad_Name}\n');
  assert.deepEqual(w.units().map((u) => `${u.name} ${u.kind} ${u.files.join(',')}`), ['app kustomize app/svc.yaml,policies/deny.yaml']);
  assert.deepEqual(brief(all(w)), ['information kustomize-not-rendered app/Kustomization:1', 'warning service-selector-no-match app/svc.yaml:5']);
});

test('the whole corpus opened as one workspace: units found automatically give no error that is not a justified upstream mistake', { skip: needsShared() }, () => {
  const w = workspaceOf(CORPUS_ROOT);
  const justified = JSON.parse(fs.readFileSync(path.join(__dirname, '../corpus/justified-errors.json'), 'utf8')) as Record<string, string>;
  const errors = all(w).filter((d) => d.severity === 'error').map((d) => `${d.uri}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);
  assert.ok(errors.length > 0, 'the corpus has real upstream mistakes');
  assert.deepEqual(errors.filter((e) => !justified[e]), []);
  // Sources that reuse names across their units (guestbook and guestbook-all-in-one) are split.
  assert.ok(w.units().length > 10);
  assert.ok(!all(w).some((d) => d.code === 'duplicate-object' && /kubernetes-examples\/guestbook/.test(d.uri)));
});
