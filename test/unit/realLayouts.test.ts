// Regression fixtures for the ways real repositories were misread (issue: real repositories):
// each class from the study has a fixture under test/fixtures/real-layouts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel, describeService, Diagnostic, simulationOf } from '../../server/src/model';

const FIXTURES = path.join(__dirname, '../fixtures/real-layouts');

function analyseDir(dir: string): { model: ClusterModel; diags: Diagnostic[] } {
  const model = new ClusterModel();
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
  for (const f of walk(path.join(FIXTURES, dir))) model.update(path.relative(FIXTURES, f), fs.readFileSync(f, 'utf8'));
  return { model, diags: [...model.allDiagnostics().values()].flat() };
}

const codes = (diags: Diagnostic[]) => diags.map((d) => `${d.severity} ${d.code} ${d.uri}:${d.range.start.line + 1}`);

test('RBAC names are path segments: `system:aggregated-metrics-reader` is valid; a ConfigMap with `:` is not', () => {
  const { diags } = analyseDir('rbac-names');
  assert.deepEqual(codes(diags), ['error invalid-name rbac-names/rbac.yaml:30']);
  assert.match(diags[0].message, /ConfigMap name `metrics:config`/);
});

test('kinds of other API groups are custom resources, never core kinds', () => {
  const { model, diags } = analyseDir('knative-service');
  assert.deepEqual(codes(diags), [], 'no "Service has no ports", no invalid-name on an Istio Gateway');
  assert.equal(model.views().flatMap((v) => [...v.services.values()]).length, 0, 'the Knative Service is not a core Service');
  assert.deepEqual(model.objects().map((o) => `${o.kind} ${o.custom}`), ['Service true', 'Gateway true']);
});

test('typed-list items without kind take the list item kind', () => {
  const { model, diags } = analyseDir('typed-list');
  assert.deepEqual(model.objects().map((o) => `${o.apiVersion} ${o.kind}/${o.name}`), ['v1 Pod/web-0', 'v1 Service/web']);
  assert.deepEqual(codes(diags), [], 'the Service resolves its named targetPort on the listed pod');
  const svc = model.view('default').services.get('web')!;
  assert.deepEqual(model.view('default').resolve(svc).workloads.map((w) => w.name), ['web-0']);
});

test('envsubst templates are not validated as Kubernetes values', () => {
  const { model, diags } = analyseDir('envsubst');
  assert.equal(model.objects().length, 2);
  assert.deepEqual(codes(diags).filter((c) => !c.includes('ingress-service-not-found')), ['error invalid-value envsubst/ingress.yaml:17'],
    'no invalid-name / invalid-label for ${APP_NAME}, no invalid host for `<your domain>` or `__INGRESS_HOST__`; a real bad host still fails');
});

test('editor config JSON with comments is not a manifest', () => {
  const { diags } = analyseDir('editor-config');
  assert.deepEqual(codes(diags), []);
});

test('a multi-line quoted value kubectl accepts is a warning, and the document is still analysed', () => {
  const { model, diags } = analyseDir('go-yaml-quotes');
  assert.deepEqual(codes(diags), ['warning yaml-compat go-yaml-quotes/grafana-job.yaml:10', 'error invalid-value go-yaml-quotes/grafana-job.yaml:20']);
  assert.match(diags[0].message, /kubectl accepts this/);
  assert.equal(model.objects()[0].inBrokenDocument, false);
});

test('CustomResourceDefinitions are skipped without parsing their schema, and the objects around them are read', () => {
  const props = Array.from({ length: 4000 }, (_, i) => `                field${i}:\n                  type: string\n                  description: "a field with: colons, [brackets] and {braces} ${i}"`).join('\n');
  const crd = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              properties:\n${props}\n`;
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\nspec:\n  ports: [{port: 80}]\n';
  const text = `${crd}---\n${svc}---\n${crd}`;
  const model = new ClusterModel();
  model.update('bundle.yaml', text);
  assert.deepEqual(model.objects().map((o) => o.kind), ['Service'], 'the CRDs are not parsed into objects');
  const diags = model.diagnostics('bundle.yaml');
  const nameLine = text.split('\n').findIndex((l) => l.includes('Bad_Name'));
  assert.deepEqual(diags.filter((d) => d.code === 'invalid-name').map((d) => d.range.start.line), [nameLine], 'positions after a blanked CRD stay right');
});

test('pods the manifests do not declare: prometheus-operator resources resolve to simulated pods, other operators are named, hostNetwork uses node addresses', () => {
  const model = new ClusterModel();
  model.update('stack.yaml', fs.readFileSync(path.join(FIXTURES, 'operator-crs.yaml'), 'utf8'));
  const diags = model.diagnostics('stack.yaml');
  assert.deepEqual(codes(diags), ['information selector-operator-pods stack.yaml:64']);
  assert.match(diags[0].message, /custom resources \(RedisCluster `cache`\) whose operators may create such pods/);
  const prom = describeService(model, model.view('monitoring').services.get('prometheus-k8s')!);
  assert.deepEqual(prom.workloads, ['StatefulSet/prometheus-k8s']);
  assert.deepEqual(prom.endpoints.map((e) => `${e.pod} ${e.ports[0].port} ${e.simulated}`), ['prometheus-k8s-0 9090 true', 'prometheus-k8s-1 9090 true']);
  const exporter = describeService(model, model.view('monitoring').services.get('node-exporter')!);
  const nodes = simulationOf(model).nodes.map((n) => n.ip);
  assert.equal(exporter.endpoints.length, 3);
  assert.ok(exporter.endpoints.every((e) => e.hostNetwork && nodes.includes(e.ip!)), 'hostNetwork pods have their node\'s IP');
});

test('a Service selecting one StatefulSet pod by name has that pod alone as endpoint', () => {
  const model = new ClusterModel();
  model.update('redis.yaml', `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis}
spec:
  replicas: 3
  serviceName: redis
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers: [{name: redis, image: redis, ports: [{containerPort: 6379}]}]
---
apiVersion: v1
kind: Service
metadata: {name: redis}
spec:
  clusterIP: None
  selector: {app: redis}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Service
metadata: {name: redis-announce-1}
spec:
  selector: {app: redis, statefulset.kubernetes.io/pod-name: redis-1}
  ports: [{port: 6379}]
`);
  assert.deepEqual(codes(model.diagnostics('redis.yaml')), []);
  const one = describeService(model, model.view('default').services.get('redis-announce-1')!);
  assert.deepEqual(one.endpoints.map((e) => e.pod), ['redis-1']);
});
