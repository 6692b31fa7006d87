// The bundled CLI, run as a user runs it: `node dist/cli.js …` (built by `npm test`).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function ksi(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tmpWorkspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('check: text lines are file:line:col severity code message, with a summary; exit 1 on errors', () => {
  const r = ksi(['check', 'samples']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^samples\/shop\/api\.yaml:49:9 error invalid-value `ClusterIp` is not a valid Service type; did you mean `ClusterIP`\?/m);
  assert.match(r.out, /^samples\/shop\/ingress\.yaml:31:27 error ingress-port-not-found Service `api` has port 80/m);
  assert.match(r.out, /^2 errors, 5 warnings, 0 information in 7 files \(22 objects\)$/m);
});

test('check: --fail-on warning, clean input exits 0', () => {
  const clean = tmpWorkspace({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  ports: [{port: 5432}]\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: db}\nsubsets: [{addresses: [{ip: 10.1.1.1}], ports: [{port: 5432}]}]\n' });
  assert.equal(ksi(['check', clean]).code, 0);
  const warn = tmpWorkspace({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  ports: [{port: 5432}]\n' });
  assert.equal(ksi(['check', warn]).code, 0);
  const r = ksi(['check', warn, '--fail-on', 'warning']);
  assert.equal(r.code, 1);
  assert.match(r.out, /warning service-no-endpoints/);
  // never: the report without a failing status (npm start shows the samples' mistakes so).
  const all = ksi(['check', 'samples', '--fail-on', 'never']);
  assert.equal(all.code, 0);
  assert.match(all.out, /^2 errors, 5 warnings/m);
  assert.equal(ksi(['check', 'samples', '--fail-on', 'sometimes']).code, 2);
});

test('check --format json follows the versioned contract', () => {
  const r = ksi(['check', 'samples', '--format', 'json']);
  const j = JSON.parse(r.out);
  assert.equal(j.version, 1);
  const d = j.diagnostics.find((x: { code: string }) => x.code === 'ingress-port-not-found');
  assert.deepEqual(Object.keys(d).sort(), ['code', 'file', 'message', 'range', 'related', 'severity']);
  assert.equal(d.file, 'samples/shop/ingress.yaml');
  assert.deepEqual(d.range.start, { line: 30, character: 26 });
  assert.equal(d.related[0].file, 'samples/shop/api.yaml');
  assert.deepEqual(j.summary, { files: 7, objects: 22, units: 1, chartsNotAnalysed: 0, errors: 2, warnings: 5, information: 0, hints: 0, suppressed: 0 });
});

test('check --format sarif is SARIF 2.1.0 with rules and 1-based regions', () => {
  const j = JSON.parse(ksi(['check', 'samples', '--format', 'sarif']).out);
  assert.equal(j.version, '2.1.0');
  const run = j.runs[0];
  assert.equal(run.tool.driver.name, 'ksi');
  const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'invalid-value');
  assert.equal(res.level, 'error');
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 49, startColumn: 9, endLine: 49, endColumn: 18 });
  assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'invalid-value');
});

test('--namespace sets the namespace of objects that name none', () => {
  const dir = tmpWorkspace({ 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: ExternalName, externalName: example.com}\n' });
  const j = JSON.parse(ksi(['services', dir, '--namespace', 'team-a', '--format', 'json']).out);
  assert.equal(j.services[0].fqdn, 'web.team-a.svc.cluster.local');
});

test('services: JSON lists workloads, resolved ports, endpoints and DNS', () => {
  const j = JSON.parse(ksi(['services', 'samples', '--format', 'json']).out);
  const web = j.services.find((s: { name: string }) => s.name === 'webui-svc');
  assert.deepEqual(web.workloads, ['Deployment/webui']);
  assert.equal(web.ports[0].targets[0].containerPort, 8080);
  assert.equal(web.endpoints.length, 3);
  assert.equal(web.clusterIPSimulated, true);
  const text = ksi(['services', 'samples']).out;
  assert.match(text, /^data\/postgres {2}ClusterIP {2}headless {2}postgres\.data\.svc\.cluster\.local$/m);
  assert.match(text, /values marked \* are simulated/);
});

test('usage and unreadable input exit 2 with a clear message', () => {
  let r = ksi(['check', 'no/such/dir']);
  assert.equal(r.code, 2);
  assert.match(r.err, /ksi: cannot read no\/such\/dir: no such file or directory/);
  r = ksi(['check', 'samples', '--format', 'xml']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--format must be text, json or sarif/);
  r = ksi(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command 'frobnicate'/);
  r = ksi(['check', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.err, /Unknown option '--bogus'/);
  assert.equal(ksi(['--help']).code, 0);
});

test('binary, non-UTF-8 and oversized files are skipped with a note; node_modules is never read', () => {
  const dir = tmpWorkspace({ 'ok.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n', 'node_modules/x/bad.yaml': 'kind: [' });
  fs.writeFileSync(path.join(dir, 'bin.yaml'), Buffer.from([0x61, 0x00, 0x62]));
  fs.writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
  const r = ksi(['check', dir, '--format', 'json']);
  const j = JSON.parse(r.out);
  assert.deepEqual(j.diagnostics.map((d: { file: string; code: string }) => `${path.basename(d.file)} ${d.code}`).sort(), ['bin.yaml file-skipped', 'latin1.yaml file-skipped']);
  assert.equal(r.code, 0);
});

test('simulate: a readable step list and a bar chart; exit 0 when the request works', () => {
  const r = ksi(['simulate', 'samples', '--from', 'shop/deployment/webui', '--to', 'http://api.shop/', '--requests', '20']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ 2\. ✔ Resolve api\.shop$/m);
  assert.match(r.out, /api\.shop\.shop\.svc\.cluster\.local → NXDOMAIN\n\s+api\.shop\.svc\.cluster\.local → A 10\.\d+\.\d+\.\d+ \(simulated\)/);
  assert.match(r.out, /Result: OK — Service shop\/api/);
  assert.match(r.out, /Distribution over 20 requests:\n(.*\n){2}/);
  assert.match(r.out, /█+ +20$/m, 'sticky sessions: all 20 on one endpoint');
});

test('simulate: exit 1 with the failing step and a hint; JSON carries the contract', () => {
  const r = ksi(['simulate', 'samples', '--from', 'shop/deployment/api', '--to', 'postgres.data:5432', '--format', 'json']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.equal(j.ok, false);
  assert.equal(j.error.code, 'policy-denied');
  assert.match(j.error.hint, /UDP and TCP port 53/);
  assert.deepEqual(Object.keys(j).sort(), ['distribution', 'endpoints', 'error', 'fqdn', 'note', 'ok', 'requests', 'service', 'source', 'steps', 'target', 'version']);
  assert.deepEqual(j.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`), ['source:ok', 'egress-policy:fail']);
});

test('simulate: unknown source or bad arguments exit 2 and list what exists', () => {
  let r = ksi(['simulate', 'samples', '--from', 'shop/deployment/web', '--to', 'api.shop']);
  assert.equal(r.code, 2);
  assert.match(r.err, /Unknown source `shop\/deployment\/web`/);
  assert.match(r.err, /Did you mean `shop\/deployment\/webui`\?/);
  r = ksi(['simulate', 'samples', '--from', 'external']);
  assert.equal(r.code, 2);
  assert.match(r.err, /needs --from SOURCE and --to TARGET/);
  r = ksi(['simulate', 'samples', '--from', 'external', '--to', 'x', '--requests', 'lots']);
  assert.equal(r.code, 2);
});

test('graph: JSON nodes and edges, DOT and Mermaid with broken links marked', () => {
  const j = JSON.parse(ksi(['graph', 'samples']).out);
  const ids = new Set(j.nodes.map((n: { id: string }) => n.id));
  assert.ok(ids.has('Service/shop/webui-svc') && ids.has('Deployment/shop/webui') && ids.has('Ingress/shop/shop') && ids.has('external'));
  const broken = j.edges.filter((e: { broken: boolean }) => e.broken).map((e: { problem: string }) => e.problem).sort();
  assert.deepEqual(broken, ['Service api has no port 8080', 'lists no addresses', 'selector matches no pods']);
  const dot = ksi(['graph', 'samples', '--format', 'dot']).out;
  assert.match(dot, /^digraph topology \{/);
  assert.match(dot, /"Ingress\/shop\/shop" -> "Service\/shop\/api" \[label="shop\.example\.com\/api → :8080", style=dashed, color=red\]/);
  const mermaid = ksi(['graph', 'samples', '--format', 'mermaid']).out;
  assert.match(mermaid, /^flowchart LR\n/);
  assert.match(mermaid, /linkStyle \d+ stroke:red,stroke-dasharray:5 5/);
});

test('many files, some hostile: the worker-assisted bundle reports what one thread reports', { timeout: 120_000 }, async () => {
  const files: Record<string, string> = {};
  // Enough files for the worker thread to join in (loadFiles), with the samples' findings.
  for (let copy = 0; copy < 6; copy++) {
    for (const f of ['shop/api.yaml', 'shop/frontend.yaml', 'shop/ingress.yaml', 'data/postgres.yaml', 'namespaces.yaml', 'shop/policies.yaml']) {
      const p = path.join(ROOT, 'samples', f);
      if (fs.existsSync(p)) files[`copy${copy}/${f}`] = fs.readFileSync(p, 'utf8');
    }
  }
  const levels = ['l0: &l0 [a, a, a, a, a, a, a, a, a]'];
  for (let i = 1; i < 12; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  Object.assign(files, {
    'hostile/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`,
    'hostile/deep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
    'hostile/duplicate.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports: [{port: 80}]\n  type: ClusterIP\n  type: NodePort\n',
    'hostile/broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: "unclosed\n---\nkind: [\n',
    'hostile/tagged.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: !!str 42}\nspec: {ports: [{port: !!int "80"}]}\n',
  });
  const dir = tmpWorkspace(files);
  fs.writeFileSync(path.join(dir, 'hostile/bin.yaml'), Buffer.from([0x61, 0x00, 0x62]));
  // The same commands from source run on one thread (no bundled worker script next to them).
  const { run } = await import('../../server/src/cli/main');
  const here = async (args: string[]) => {
    let out = '';
    const code = await run(args, { out: (s) => { out += s; }, err: () => {}, isTTY: false });
    return { code, out };
  };
  for (const args of [['check', dir], ['check', dir, '--format', 'json'], ['services', dir, '--format', 'json'], ['graph', dir]]) {
    const bundled = ksi(args);
    const alone = await here(args);
    assert.equal(bundled.code, alone.code, args.join(' '));
    assert.equal(bundled.out, alone.out, `${args.join(' ')}: same output, in the same order`);
  }
  const found = new Set(JSON.parse((await here(['check', dir, '--format', 'json'])).out).diagnostics.map((d: { code: string }) => d.code));
  for (const c of ['yaml-too-complex', 'yaml-syntax', 'file-skipped', 'service-selector-no-match']) assert.ok(found.has(c), c);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('units: lists each apply unit with how it was read; check names the unit of each finding when there are several', () => {
  const fx = 'test/fixtures/real-layouts';
  const u = ksi(['units', `${fx}/alternatives`, `${fx}/helm-chart`, `${fx}/kustomize-overlay`, '--no-render']);
  assert.equal(u.code, 0);
  assert.match(u.out, /^UNIT +READ AS +FILES +OBJECTS +FINDINGS$/m);
  assert.match(u.out, /^install\/install\.yaml +plain +1 +3 +0 errors, 0 warnings/m);
  assert.match(u.out, /^mychart +helm \(not analysed\) +0 +0 /m);
  assert.match(u.out, /^overlays\/prod +kustomize \(unrendered, transformers not applied\) +2 +2 /m);
  assert.match(u.out, /^5 apply units; renderers: off \(--no-render\)$/m);
  const j = JSON.parse(ksi(['units', `${fx}/kustomize-exact`, '--format', 'json', '--no-render']).out);
  assert.deepEqual(j.units.map((x: { name: string; kind: string; exact: boolean; objects: number }) => [x.name, x.kind, x.exact, x.objects]), [['.', 'kustomize', true, 2]]);
  const c = JSON.parse(ksi(['check', `${fx}/alternatives`, '--format', 'json']).out);
  assert.ok(c.diagnostics.filter((d: { code: string }) => d.code !== 'units-split').every((d: { unit?: string }) => typeof d.unit === 'string'));
  assert.equal(c.summary.units, 3);
});

test('check --no-render on a Helm chart says it was not analysed (exit 0); `-` reads rendered output from standard input', () => {
  const chart = ksi(['check', 'test/fixtures/real-layouts/helm-chart', '--no-render']);
  assert.equal(chart.code, 0);
  assert.match(chart.out, /information helm-chart-not-rendered Helm chart `mychart` is not analysed/);
  assert.match(chart.out, /in 3 files \(0 objects\); 1 Helm chart not analysed \(each has a note that says why\)$/m);
  // A library chart has no objects of its own: it is noted, not counted as a chart left unanalysed.
  const lib = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-libchart-'));
  fs.mkdirSync(path.join(lib, 'common/templates'), { recursive: true });
  fs.writeFileSync(path.join(lib, 'common/Chart.yaml'), 'apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n');
  fs.writeFileSync(path.join(lib, 'common/templates/_names.tpl'), '{{- define "common.name" -}}{{ .Chart.Name }}{{- end -}}\n');
  const library = ksi(['check', lib, '--no-render']);
  fs.rmSync(lib, { recursive: true, force: true });
  assert.equal(library.code, 0);
  assert.match(library.out, /information helm-chart-not-rendered .*`common` is a library chart/);
  assert.doesNotMatch(library.out, /not analysed/);
  const rendered = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIp\n  ports: [{port: 80}]\n';
  const r = spawnSync(process.execPath, [CLI, 'check', '-'], { cwd: ROOT, encoding: 'utf8', input: rendered, env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^<stdin>:6:9 error invalid-value `ClusterIp` is not a valid Service type/m);
});

test('check --no-render on an overlay folder reads the bases it names outside that folder', () => {
  const r = ksi(['units', 'test/fixtures/real-layouts/kustomize-overlay/overlays/prod', '--format', 'json', '--no-render']);
  assert.equal(r.code, 0);
  const [unit] = JSON.parse(r.out).units;
  assert.deepEqual([unit.name, unit.kind, unit.objects], ['.', 'kustomize', 2]);
  assert.deepEqual(unit.files, ['test/fixtures/real-layouts/kustomize-overlay/base/deployment.yaml', 'test/fixtures/real-layouts/kustomize-overlay/base/service.yaml']);
});

test('rules: every rule with the severity in effect, from .ksi.yaml and flags; --disable/--enable on check', () => {
  const dir = tmpWorkspace({
    '.ksi.yaml': 'rules:\n  service-no-endpoints: off\n  port-out-of-range: warning\n',
    'db.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n    # ksi-ignore duplicate-port: checked by hand\n    - port: 70000\n',
  });
  const text = ksi(['rules', dir]);
  assert.equal(text.code, 0);
  assert.match(text.out, /^service-no-endpoints\s+off\s+\.ksi\.yaml\s+A selectorless Service has no backends$/m);
  assert.match(text.out, /^port-out-of-range\s+warning\s+\.ksi\.yaml\s+/m);
  assert.match(text.out, /^container-port-missing\s+error\s+default\s+/m);
  const json = JSON.parse(ksi(['rules', dir, '--format', 'json', '--enable', 'service-no-endpoints', '--disable', 'invalid-name']).out);
  const byCode = new Map(json.rules.map((r: { code: string }) => [r.code, r]));
  assert.deepEqual(byCode.get('service-no-endpoints'), { code: 'service-no-endpoints', title: 'A selectorless Service has no backends', defaultSeverity: 'warning', enabled: true, severity: 'warning', source: 'command line', scope: ['service'], docs: 'docs/rules/service-no-endpoints.md' });
  assert.equal((byCode.get('invalid-name') as { enabled: boolean }).enabled, false);
  assert.equal(json.rules.length, new Set(json.rules.map((r: { code: string }) => r.code)).size);

  const checked = ksi(['check', dir]);
  assert.equal(checked.code, 0, 'port-out-of-range is only a warning here');
  assert.match(checked.out, /db\.yaml:8:13 warning port-out-of-range/);
  assert.doesNotMatch(checked.out, /service-no-endpoints/);
  const enabled = ksi(['check', dir, '--enable', 'service-no-endpoints', '--enable', 'port-out-of-range', '--format', 'json']);
  assert.equal(enabled.code, 1);
  assert.deepEqual(JSON.parse(enabled.out).diagnostics.map((d: { code: string; severity: string }) => `${d.code} ${d.severity}`), ['service-no-endpoints warning', 'port-out-of-range error']);
  const bad = ksi(['check', dir, '--disable', 'port-out-of-rnage']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--disable port-out-of-rnage: no such rule; did you mean port-out-of-range\?/);
});

test('check: suppressed findings are counted in the summary, not shown; SARIF rules link their docs', () => {
  const dir = tmpWorkspace({
    'db.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  annotations:\n    kube-service-insight.io/ignore: service-no-endpoints\nspec:\n  ports:\n    - name: db\n      port: 70000  # ksi-ignore port-out-of-range: proxied\n    - port: 80\n      name: web\n      protocol: HTTP\n',
  });
  const r = ksi(['check', dir]);
  assert.equal(r.code, 1);
  assert.match(r.out, /^1 error, 0 warnings, 0 information in 1 file \(1 object\); 2 suppressed \(ksi-ignore\)$/m);
  assert.equal(JSON.parse(ksi(['check', dir, '--format', 'json']).out).summary.suppressed, 2);
  const sarif = JSON.parse(ksi(['check', dir, '--format', 'sarif']).out);
  const rules = sarif.runs[0].tool.driver.rules;
  assert.deepEqual(rules.map((x: { id: string; helpUri: string }) => [x.id, x.helpUri.replace(/.*\/docs\//, 'docs/')]), [
    ['invalid-value', 'docs/rules/invalid-value.md'],
  ]);
});

test('connections: JSON matrix, a readable table with a per-workload summary, DOT, and --namespace', () => {
  const dir = tmpWorkspace({ 'app.yaml': [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: frontend, namespace: shop}\nspec:\n  selector: {matchLabels: {app: frontend}}\n  template:\n    metadata: {labels: {app: frontend}}\n    spec: {containers: [{name: main, image: x, ports: [{name: http, containerPort: 8080}]}]}\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart, namespace: shop}\nspec:\n  selector: {matchLabels: {app: cart}}\n  template:\n    metadata: {labels: {app: cart}}\n    spec: {containers: [{name: main, image: x, ports: [{containerPort: 7070}]}]}\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: tool, namespace: ops}\nspec:\n  selector: {matchLabels: {app: tool}}\n  template:\n    metadata: {labels: {app: tool}}\n    spec: {containers: [{name: main, image: x}]}\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: cart-from-frontend, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: cart}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 7070}]}]\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: frontend-http, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: frontend}}\n  ingress: [{ports: [{port: http}]}]\n',
  ].join('---\n') });
  const json = ksi(['connections', dir, '--format', 'json', '--no-render']);
  assert.equal(json.code, 0, json.err);
  const report = JSON.parse(json.out);
  assert.equal(report.version, 1);
  assert.deepEqual(report.connections.find((c: { from: string; to: string }) => c.from === 'shop/deployment/frontend' && c.to === 'shop/deployment/cart').allowed,
    [{ protocol: 'TCP', ports: [[7070, 7070]] }]);
  assert.ok(!report.connections.some((c: { from: string; to: string }) => c.from === 'ops/deployment/tool' && c.to === 'shop/deployment/cart'), 'denied pairs have no entry');
  const text = ksi(['connections', dir, '--no-render']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^FROM +TO +ALLOWED$/m);
  assert.match(text.out, /^shop\/deployment\/frontend +shop\/deployment\/cart +TCP 7070$/m);
  assert.match(text.out, /^ {2}shop\/deployment\/frontend: reaches 2 workloads, reachable from 2; reachable from anywhere outside on TCP 8080; reaches anywhere outside on all ports$/m);
  const dot = ksi(['connections', dir, '--format', 'dot', '--no-render']);
  assert.match(dot.out, /^digraph connections \{/);
  assert.match(dot.out, /"shop\/deployment\/frontend" -> "shop\/deployment\/cart" \[label="TCP 7070"\];/);
  const ops = JSON.parse(ksi(['connections', dir, '--format', 'json', '--namespace', 'ops', '--no-render']).out);
  assert.ok(ops.connections.length > 0 && ops.connections.every((c: { from: string; to: string }) => c.from.startsWith('ops/') || c.to.startsWith('ops/')));
  const bad = ksi(['connections', dir, '--format', 'sarif']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be text, json or dot/);
});

test('calls: the calls the manifests declare, each with its verdict, as JSON (version 1) and text; --namespace', () => {
  const deployment = (name: string, ns: string, env: string, port = 8080) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: main, image: x, env: [${env}], ports: [{containerPort: ${port}}]}]}\n`;
  const service = (name: string, ns: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: 8080}]\n`;
  const dir = tmpWorkspace({ 'app.yaml': [
    deployment('frontend', 'shop', '{name: CART_URL, value: "http://cart/items"}, {name: CART_ADMIN, value: "cart:8080"}, {name: APP_NAME, value: cart}'),
    deployment('cart', 'shop', '{name: DB_HOST, value: cart-db}'),
    service('cart', 'shop'),
    deployment('report', 'ops', '{name: CART_URL, value: "http://cart.shop/items"}'),
  ].join('---\n') });
  const json = ksi(['calls', dir, '--format', 'json', '--no-render']);
  assert.equal(json.code, 0, json.err);
  const report = JSON.parse(json.out);
  assert.equal(report.version, 1);
  assert.deepEqual(report.calls.map((c: { from: string; where: string; host: string; port: number | null; service: string | null; ok: boolean; error: { code: string } | null }) =>
    [c.from, c.where, c.host, c.port, c.service, c.ok, c.error?.code ?? null]), [
    ['ops/deployment/report', 'env CART_URL', 'cart.shop', 80, 'shop/cart', true, null],
    ['shop/deployment/frontend', 'env CART_URL', 'cart', 80, 'shop/cart', true, null],
    // The container port, not the Service's.
    ['shop/deployment/frontend', 'env CART_ADMIN', 'cart', 8080, 'shop/cart', false, 'port-not-found'],
    // DB_HOST=cart-db: no Service of that name or near it in the unit, so not taken for a
    // call; APP_NAME=cart is a name, not an address.
  ]);
  assert.equal(report.calls[0].container, 'main');
  assert.equal(report.calls[0].value, 'http://cart.shop/items');
  const text = ksi(['calls', dir, '--no-render']);
  assert.match(text.out, /✘ shop\/deployment\/frontend → cart:8080 \(Service shop\/cart\)\s+\[main: env CART_ADMIN\]\n\s+port-not-found: Port 8080 is not a port of shop\/cart/);
  assert.match(text.out, /3 calls found in the manifests, 1 that would fail\./);
  const ops = JSON.parse(ksi(['calls', dir, '--format', 'json', '--namespace', 'ops', '--no-render']).out);
  assert.deepEqual(ops.calls.map((c: { from: string }) => c.from), ['ops/deployment/report']);
});
