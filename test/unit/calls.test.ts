// Discovery of the service calls a workload's configuration declares.
import { generateWorkspace, rng } from '../bench/generate';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel } from '../../server/src/model';
import { discoverCalls } from '../../server/src/model/calls/discover';
import { callsReport } from '../../server/src/model/calls/report';
import { buildTopology, codeLenses, definition, hover } from '../../server/src/model';
import { CORPUS_ROOT, needsShared } from '../helpers/corpus';

function modelOf(files: Record<string, string>) {
  const m = new ClusterModel();
  for (const [uri, text] of Object.entries(files)) m.update(uri, text);
  return m;
}

const service = (name: string, ns: string, port: number) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: ${port}}]\n`;

function callsOf(m: ClusterModel, kind: string, ns: string, name: string) {
  const w = m.view(ns).workloads.find((x) => x.kind === kind && x.name === name)!;
  return discoverCalls(m, w);
}

const brief = (c: ReturnType<typeof callsOf>[number]) => `${c.where} ${c.address.host}:${c.address.port ?? '-'} → ${c.service ? `${c.service.namespace}/${c.service.name}` : `none${c.suggestion ? ` (${c.suggestion})` : ''}`}`;

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: carts, namespace: shop}
spec:
  selector: {matchLabels: {app: carts}}
  template:
    metadata: {labels: {app: carts, tier: carts-db}}
    spec:
      containers:
        - name: carts
          image: carts-db:1
          args: ["--spring.data.mongodb.uri=mongodb://carts-db:27017/data", "--config=/etc/carts-db.yaml", "--zipkin", "zipkin.tracing.svc.cluster.local:9411"]
          env:
            - {name: APP_NAME, value: carts-db}
            - {name: QUEUE_HOST, value: rabbitmq}
            - {name: CACHE_SERVICE_NAME, value: cache}
            - {name: CACHE_URL, value: "redis://$(CACHE_SERVICE_NAME):6379"}
            - {name: ORDERS, value: "http://orders.web:80/api"}
            - {name: USERS_ADDR, value: "users:8080"}
            - name: DB_HOST
              valueFrom: {configMapKeyRef: {name: carts-config, key: db-host}}
          envFrom:
            - configMapRef: {name: carts-env}
`;
const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata: {name: carts-config, namespace: shop}
data: {db-host: carts-db, unrelated: carts-db}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: carts-env, namespace: shop}
data: {PAYMENT_ENDPOINT: "http://payment:8080", MODE: production}
`;

test('discovery finds each form of address and resolves it from the caller\'s namespace', () => {
  const m = modelOf({
    'file:///w/app.yaml': APP, 'file:///w/config.yaml': CONFIG,
    'file:///w/svc.yaml': [service('carts-db', 'shop', 27017), service('rabbitmq', 'shop', 5672), service('cache', 'shop', 6379), service('orders', 'web', 80),
      service('users', 'web', 8080), service('payment', 'shop', 8080), service('zipkin', 'tracing', 9411)].join('---\n'),
  });
  assert.deepEqual(callsOf(m, 'Deployment', 'shop', 'carts').map(brief), [
    'env QUEUE_HOST rabbitmq:- → shop/rabbitmq',
    'env CACHE_URL cache:6379 → shop/cache',
    'env ORDERS orders.web:80 → web/orders',
    // A Service of that name exists, but in another namespace: the short name misses.
    'env USERS_ADDR users:8080 → none (users.web)',
    'args carts-db:27017 → shop/carts-db',
    'args zipkin.tracing.svc.cluster.local:9411 → tracing/zipkin',
    'configmap carts-env/PAYMENT_ENDPOINT payment:8080 → shop/payment',
    'configmap carts-config/db-host carts-db:- → shop/carts-db',
  ]);
});

test('near misses never become calls: image names, label values, file paths, names kept for other strings, plain words', () => {
  const m = modelOf({ 'file:///w/app.yaml': APP, 'file:///w/config.yaml': CONFIG, 'file:///w/svc.yaml': service('carts-db', 'shop', 27017) + '---\n' + service('production', 'shop', 80) });
  const calls = callsOf(m, 'Deployment', 'shop', 'carts');
  // Only the written addresses of carts-db: the args URL and the keyed ConfigMap value.
  assert.deepEqual(calls.filter((c) => c.service?.name === 'carts-db').map((c) => c.where), ['args', 'configmap carts-config/db-host']);
  assert.ok(!calls.some((c) => c.where === 'env APP_NAME' || c.where === 'env CACHE_SERVICE_NAME' || c.where.endsWith('/unrelated') || c.where.endsWith('/MODE')));
  // No Service anywhere near the name, no cluster suffix: not a call, not a finding.
  assert.ok(!calls.some((c) => c.address.host === 'rabbitmq' || c.address.host === 'payment'));
});

test('the place of a call is the host:port inside the string, when the file holds it as written', () => {
  const m = modelOf({ 'file:///w/app.yaml': APP, 'file:///w/config.yaml': CONFIG, 'file:///w/svc.yaml': service('carts-db', 'shop', 27017) });
  const mongo = callsOf(m, 'Deployment', 'shop', 'carts').find((c) => c.where === 'args')!;
  assert.equal(APP.slice(mongo.at.start, mongo.at.end), 'carts-db:27017');
  const fromConfig = callsOf(m, 'Deployment', 'shop', 'carts').find((c) => c.where === 'configmap carts-config/db-host')!;
  assert.equal(fromConfig.at.obj.kind, 'ConfigMap');
  assert.equal(CONFIG.slice(fromConfig.at.start, fromConfig.at.end), 'carts-db');
  // Expanded from $(VAR): the text is not the file's; the finding goes on the whole value.
  const m2 = modelOf({ 'file:///w/app.yaml': APP, 'file:///w/svc.yaml': service('cache', 'shop', 6379) });
  const cache = callsOf(m2, 'Deployment', 'shop', 'carts').find((c) => c.where === 'env CACHE_URL')!;
  assert.equal(cache.at.start, undefined);
  assert.ok(cache.at.span);
});

const SOCK = path.join(CORPUS_ROOT, 'sock-shop/complete-demo');
test('sock-shop: no carts → carts-db call as upstream ships it; one when the team declares the URI', { skip: needsShared(SOCK) }, () => {
  const files = (dir: string): [string, string][] => fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => [`file://${path.join(e.parentPath, e.name)}`, fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')]);
  const upstream = new ClusterModel();
  for (const [uri, text] of files(SOCK as string)) upstream.update(uri, text);
  assert.deepEqual(callsOf(upstream, 'Deployment', 'sock-shop', 'carts').filter((c) => c.service?.name === 'carts-db'), []);
  const declared = new ClusterModel();
  for (const [uri, text] of files(SOCK as string)) {
    declared.update(uri, text.replace(/(name: carts\n(?:.*\n)*?\s+env:\n)/, '$1         - name: SPRING_DATA_MONGODB_URI\n           value: mongodb://carts-db:27017/data\n'));
  }
  assert.deepEqual(callsOf(declared, 'Deployment', 'sock-shop', 'carts').map(brief).filter((b) => b.includes('carts-db')), ['env SPRING_DATA_MONGODB_URI carts-db:27017 → sock-shop/carts-db']);
});

// ---------------------------------------------------------------- verdicts

const CALLER = (env: string, labels = 'app: web') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {${labels}}}
  template:
    metadata: {labels: {${labels}}}
    spec:
      containers:
        - name: web
          image: web
          env:
${env.split('\n').map((l) => `            ${l}`).join('\n')}
`;
const BACKEND = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: http}]
`;
const verdicts = (files: Record<string, string>) => callsReport(modelOf(files)).calls.filter((c) => c.from === 'shop/deployment/web')
  .map((c) => `${c.where}: ${c.ok ? 'ok' : c.error!.code}`);

test('verdicts: ok, wrong port, wrong namespace, blocked at egress, at DNS and at ingress', () => {
  const env = '- {name: API_URL, value: "http://api:80/v1"}\n- {name: API_TARGET_PORT, value: "api:8080"}\n- {name: OTHER_ADDR, value: "api.staging:80"}';
  assert.deepEqual(verdicts({ 'file:///v/web.yaml': CALLER(env), 'file:///v/api.yaml': BACKEND }), [
    'env API_URL: ok',
    // The targetPort is not a port of the Service.
    'env API_TARGET_PORT: port-not-found',
    'env OTHER_ADDR: service-reference-not-found',
  ]);
  const egressOnlyToApi = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-egress, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {app: db}}}]\n`;
  assert.deepEqual(verdicts({ 'file:///v/web.yaml': CALLER('- {name: API_URL, value: "http://api:80/v1"}'), 'file:///v/api.yaml': BACKEND, 'file:///v/np.yaml': egressOnlyToApi }),
    ['env API_URL: policy-denied']);
  const dnsToo = egressOnlyToApi.replace('{app: db}', '{app: api}').replace('    - to: [{podSelector', '    - ports: [{port: 8080}]\n      to: [{podSelector');
  const dns = callsReport(modelOf({ 'file:///v/web.yaml': CALLER('- {name: API_URL, value: "http://api:80/v1"}'), 'file:///v/api.yaml': BACKEND, 'file:///v/np.yaml': dnsToo })).calls[0];
  assert.equal(dns.error?.code, 'policy-denied');
  assert.match(dns.error!.message, /DNS/);
  const ingressFromOthers = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-ingress, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: admin}}}]\n`;
  const ingress = callsReport(modelOf({ 'file:///v/web.yaml': CALLER('- {name: API_URL, value: "http://api:80/v1"}'), 'file:///v/api.yaml': BACKEND, 'file:///v/np.yaml': ingressFromOthers })).calls[0];
  assert.equal(ingress.error?.code, 'policy-denied');
  assert.match(ingress.error!.message, /api-ingress/);
});

test('without a port in the text the call works when one of the Service\'s ports does', () => {
  assert.deepEqual(verdicts({ 'file:///v/web.yaml': CALLER('- {name: API_HOST, value: api}'), 'file:///v/api.yaml': BACKEND }), ['env API_HOST: ok']);
});

test('sock-shop with the MongoDB URI declared: its own policies deny carts → carts-db', { skip: needsShared(SOCK) }, () => {
  const m = new ClusterModel();
  for (const e of fs.readdirSync(SOCK, { recursive: true, withFileTypes: true }).filter((x) => x.isFile() && x.name.endsWith('.yaml'))) {
    const text = fs.readFileSync(path.join(e.parentPath, e.name), 'utf8');
    m.update(`file://${path.join(e.parentPath, e.name)}`, text.replace(/(name: carts\n(?:.*\n)*?\s+env:\n)/, '$1         - name: SPRING_DATA_MONGODB_URI\n           value: mongodb://carts-db:27017/data\n'));
  }
  const call = callsReport(m).calls.find((c) => c.from === 'sock-shop/deployment/carts' && c.host === 'carts-db')!;
  assert.equal(call.ok, false);
  assert.equal(call.error?.code, 'policy-denied');
  assert.match(call.error!.message, /carts-db-access/);
  // Upstream as shipped: every call it declares works.
  const upstream = new ClusterModel();
  for (const e of fs.readdirSync(SOCK, { recursive: true, withFileTypes: true }).filter((x) => x.isFile() && x.name.endsWith('.yaml'))) {
    upstream.update(`file://${path.join(e.parentPath, e.name)}`, fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'));
  }
  assert.deepEqual(callsReport(upstream).calls.filter((c) => !c.ok).map((c) => `${c.from} ${c.host}`), ['sock-shop/deployment/shipping zipkin.jaeger.svc.cluster.local']);
});

test('hover on a value with a call: the name tried, the Service, port, endpoints and the verdict', () => {
  const env = '- {name: API_URL, value: "http://api:80/v1"}\n- {name: API_TARGET_PORT, value: "api:8080"}';
  const web = CALLER(env);
  const m = modelOf({ 'file:///v/web.yaml': web, 'file:///v/api.yaml': BACKEND });
  const at = (needle: string) => {
    const offset = web.indexOf(needle) + 2;
    const before = web.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  const ok = hover(m, 'file:///v/web.yaml', at('api:80/v1'))!.markdown;
  assert.match(ok, /\*\*Call\*\* `api:80` from `shop\/web` \(container `web`, env API_URL\)/);
  assert.match(ok, /Name: `api` → `api\.shop\.svc\.cluster\.local`/);
  assert.match(ok, /Service `shop\/api`, port 80/);
  assert.match(ok, /Endpoints: 1 /);
  assert.match(ok, /✔ The request works\./);
  const wrong = hover(m, 'file:///v/web.yaml', at('api:8080'))!.markdown;
  assert.match(wrong, /✘ port-not-found: Port 8080 is not a port of shop\/api/);
  // Elsewhere in the workload: the workload's own hover.
  assert.doesNotMatch(hover(m, 'file:///v/web.yaml', at('name: web'))?.markdown ?? '', /\*\*Call\*\*/);
});

test('go to definition on a call lands on the Service it reaches', () => {
  const web = CALLER('- {name: API_URL, value: "http://api:80/v1"}');
  const m = modelOf({ 'file:///v/web.yaml': web, 'file:///v/api.yaml': BACKEND });
  const offset = web.indexOf('api:80/v1') + 1;
  const before = web.slice(0, offset).split('\n');
  const [target] = definition(m, 'file:///v/web.yaml', { line: before.length - 1, character: before[before.length - 1].length });
  assert.equal(target.uri, 'file:///v/api.yaml');
  assert.equal(BACKEND.split('\n')[target.range.start.line].trim(), 'metadata: {name: api, namespace: shop}');
});

test('sock-shop with the URI declared: ksi check reports call-denied-by-policy on the address; fixing the policy clears it', { skip: needsShared(SOCK) }, () => {
  const m = new ClusterModel();
  let policyUri = '';
  let policyText = '';
  let cartsUri = '';
  let cartsText = '';
  for (const e of fs.readdirSync(SOCK, { recursive: true, withFileTypes: true }).filter((x) => x.isFile() && x.name.endsWith('.yaml'))) {
    const uri = `file://${path.join(e.parentPath, e.name)}`;
    let text = fs.readFileSync(path.join(e.parentPath, e.name), 'utf8');
    if (e.name === 'complete-demo.yaml') {
      text = text.replace(/(name: carts\n(?:.*\n)*?\s+env:\n)/, '$1         - name: SPRING_DATA_MONGODB_URI\n           value: mongodb://carts-db:27017/data\n');
      [cartsUri, cartsText] = [uri, text];
    }
    if (e.name === 'netpol-cart-db-access.yaml') [policyUri, policyText] = [uri, text];
    m.update(uri, text);
  }
  assert.deepEqual(m.diagnostics(cartsUri).filter((d) => d.code === 'yaml-syntax'), [], 'the env entry is inserted as valid YAML');
  const denied = m.diagnostics(cartsUri).filter((d) => d.code === 'call-denied-by-policy');
  assert.equal(denied.length, 1);
  assert.equal(denied[0].severity, 'error');
  const line = cartsText.split('\n')[denied[0].range.start.line];
  assert.equal(line.slice(denied[0].range.start.character, denied[0].range.end.character), 'carts-db:27017');
  assert.match(denied[0].message, /carts-db-access/);
  m.update(policyUri, policyText.replace('name: cart\n', 'name: carts\n'));
  assert.deepEqual(m.diagnostics(cartsUri).filter((d) => d.code === 'call-denied-by-policy'), []);
});

test('code lens on a workload: the Services it calls, and how many calls are blocked or broken', () => {
  const env = '- {name: API_URL, value: "http://api:80/v1"}\n- {name: API_TARGET_PORT, value: "api:8080"}';
  const ingressFromOthers = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-ingress, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: admin}}}]\n`;
  const m = modelOf({ 'file:///v/web.yaml': CALLER(env), 'file:///v/api.yaml': BACKEND });
  const lens = (model: ClusterModel) => codeLenses(model, 'file:///v/web.yaml').find((l) => l.title.startsWith('→ calls'));
  assert.equal(lens(m)?.title, '→ calls 1 service · 1 broken');
  assert.equal(lens(m)!.locations[0].uri, 'file:///v/api.yaml');
  m.update('file:///v/np.yaml', ingressFromOthers);
  assert.equal(lens(m)?.title, '→ calls 1 service · 1 blocked · 1 broken');
  // The Service has no lens of calls; a workload without calls neither.
  assert.equal(codeLenses(m, 'file:///v/api.yaml').filter((l) => l.title.startsWith('→ calls')).length, 0);
});

test('the topology draws declared calls: workload → Service, broken with the reason when the call fails', () => {
  const ingressFromOthers = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-ingress, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: admin}}}]\n`;
  const m = modelOf({ 'file:///v/web.yaml': CALLER('- {name: API_URL, value: "http://api:80/v1"}\n- {name: AUDIT_ADDR, value: "audit:9000"}\n- {name: AUDIT2_ADDR, value: "audits.ops:9000"}'), 'file:///v/api.yaml': BACKEND });
  const calls = () => buildTopology(m).edges.filter((e) => e.kind === 'calls').map((e) => `${e.from} → ${e.to} ${e.label}${e.broken ? ` ✘ ${e.problem}` : ''}`);
  assert.deepEqual(calls(), ['Deployment/shop/web → Service/shop/api api:80']);
  m.update('file:///v/np.yaml', ingressFromOthers);
  assert.match(calls()[0], /^Deployment\/shop\/web → Service\/shop\/api api:80 ✘ NetworkPolicy api-ingress denies /);
  // A name that resolves nowhere but is meant for the cluster ends at a missing Service.
  m.update('file:///v/audit.yaml', `apiVersion: v1\nkind: Service\nmetadata: {name: audits, namespace: shop}\nspec:\n  selector: {app: audits}\n  ports: [{port: 9000}]\n`);
  assert.ok(calls().some((c) => c.startsWith('Deployment/shop/web → missing/shop/Service/audits.ops audits.ops:9000 ✘')), calls().join('\n'));
});

test('hover on a ConfigMap value that a container reads as an address: the call from that container', () => {
  const m = modelOf({ 'file:///w/app.yaml': APP, 'file:///w/config.yaml': CONFIG, 'file:///w/svc.yaml': service('carts-db', 'shop', 27017) });
  const offset = CONFIG.indexOf('db-host: carts-db') + 'db-host: '.length + 2;
  const before = CONFIG.slice(0, offset).split('\n');
  const h = hover(m, 'file:///w/config.yaml', { line: before.length - 1, character: before[before.length - 1].length })!.markdown;
  assert.match(h, /\*\*Call\*\* `carts-db` from `shop\/carts` \(container `carts`, configmap carts-config\/db-host\)/);
  assert.match(h, /Service `shop\/carts-db`/);
  // The key nobody reads is no call.
  const other = CONFIG.indexOf('unrelated: carts-db') + 'unrelated: '.length + 2;
  const b2 = CONFIG.slice(0, other).split('\n');
  assert.equal(hover(m, 'file:///w/config.yaml', { line: b2.length - 1, character: b2[b2.length - 1].length }), undefined);
});

test('a StatefulSet pod\'s own name (pod.headless-service) is a call to that Service, played to the pod', () => {
  const db = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: pg, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
`;
  const m = modelOf({ 'file:///v/web.yaml': CALLER('- {name: PRIMARY_ADDR, value: "db-0.db:5432"}\n- {name: REPLICA_ADDR, value: "db-7.db:5432"}'), 'file:///v/db.yaml': db });
  const calls = callsReport(m).calls.filter((c) => c.from === 'shop/deployment/web');
  assert.deepEqual(calls.map((c) => [c.host, c.service, c.ok]), [['db-0.db', 'shop/db', true]]);
  // db-7 does not exist (2 replicas): not resolved, and not taken for a call to another name.
  assert.ok(!calls.some((c) => c.host === 'db-7.db'));
});

test('call findings kept between edits are those a fresh analysis finds', () => {
  // A generated workspace with calls across namespaces, edited file by file: after each edit
  // the kept findings must equal those of a model that reads the files anew.
  const g = generateWorkspace(700, 3);
  const files = new Map(g.files);
  const m = new ClusterModel();
  for (const [uri, text] of files) m.update(uri, text);
  const findingsOf = (model: ClusterModel) => {
    const d = model.allDiagnostics();
    return [...d.entries()].flatMap(([uri, list]) => list.filter((x) => x.code.startsWith('call-') || x.code.startsWith('service-reference')).map((x) => `${uri}:${x.range.start.line}:${x.range.start.character} ${x.code} ${x.message}`)).sort();
  };
  const before = findingsOf(m);
  assert.ok(before.length > 3, 'the workspace has failing calls to keep');
  const r = rng(9);
  const uris = [...files.keys()];
  const edits: ((t: string) => string)[] = [
    (t) => t.replace(/tier: web/, 'tier: api'), // a policy's peer, or pod labels
    (t) => t.replace(/ports:\n {8}- port: http\n/, 'ports:\n        - port: 9999\n'), // a policy's port
    (t) => t.replace(/containerPort: 8080/, 'containerPort: 8081'),
    (t) => t.replace(/(selector:\n {4}app: app-\d+)/, '$1x'),
    (t) => t.replace(/port: 80\n/, 'port: 70000\n'), // rejected by the API server
    (t) => t.replace(/(kind: Service\nmetadata:\n {2}name: )(app-\d+)\n/, '$1$2-renamed\n'), // its callers' names miss
    (t) => `${t}---\napiVersion: v1\nkind: Service\nmetadata: {name: app-9999, namespace: team-0}\nspec:\n  selector: {app: app-1}\n  ports: [{port: 80}]\n`,
  ];
  for (let i = 0; i < 28; i++) {
    // A file the edit changes, taken at random.
    const edit = edits[i % edits.length];
    const candidates = uris.filter((u) => edit(files.get(u)!) !== files.get(u));
    assert.ok(candidates.length, `edit ${i} applies somewhere`);
    const uri = candidates[Math.floor(r() * candidates.length)];
    const text = edit(files.get(uri)!);
    files.set(uri, text);
    m.update(uri, text);
    const fresh = new ClusterModel();
    for (const [u, t] of files) fresh.update(u, t);
    assert.deepEqual(findingsOf(m), findingsOf(fresh), `after edit ${i} of ${uri}`);
  }
  // A Namespace's labels decide policies' namespace selectors.
  files.set('ns-labels.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-1\n  labels: {team: payments}\n');
  m.update('ns-labels.yaml', files.get('ns-labels.yaml')!);
  const fresh = new ClusterModel();
  for (const [u, t] of files) fresh.update(u, t);
  assert.deepEqual(findingsOf(m), findingsOf(fresh));
});

test('editing a policy replays the calls it governs, both ways', () => {
  const policy = (port: number) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-ingress, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: ${port}}]\n`;
  const m = modelOf({ 'file:///p/web.yaml': CALLER('- {name: API_URL, value: "http://api:80/v1"}'), 'file:///p/api.yaml': BACKEND, 'file:///p/np.yaml': policy(8080) });
  const denied = () => m.diagnostics('file:///p/web.yaml').filter((d) => d.code === 'call-denied-by-policy').length;
  assert.equal(denied(), 0);
  m.update('file:///p/np.yaml', policy(9090));
  assert.equal(denied(), 1);
  m.update('file:///p/np.yaml', policy(8080));
  assert.equal(denied(), 0);
});
