// One fixture per diagnostic code that must fire (on the right line, with the right
// severity) and a near miss that must not.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze, deployment as dep, docs, service as svc } from '../helpers/analyze';
import type { Diagnostic, Settings } from '../../server/src/model';

interface Case {
  code: string;
  severity: Diagnostic['severity'];
  fires: Record<string, string>;
  /** The source text the diagnostic's range covers (in `file`, default the first file). */
  at: string;
  file?: string;
  /** Text the message must contain. */
  says?: string;
  nearMiss: Record<string, string>;
  settings?: Partial<Settings>;
}

function textAt(text: string, r: Diagnostic['range']): string {
  const lines = text.split('\n');
  const offset = (p: Diagnostic['range']['start']) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(r.start), offset(r.end));
}

const web = dep('web', { app: 'web' }, '            - name: http\n              containerPort: 8080');
const webSvc = (extra = '', port = '    - port: 80\n      targetPort: http') => svc('web', `  selector:\n    app: web\n${extra}  ports:\n${port}\n`);

const cases: Case[] = [
  {
    code: 'yaml-syntax', severity: 'error', at: 's', says: 'YAML syntax error',
    fires: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\nspec: {}\n' },
    nearMiss: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "[web"\nspec: {ports: [{port: 80}]}\n' },
  },
  {
    code: 'yaml-syntax', severity: 'error', at: 'n', says: 'Duplicate key `name`',
    fires: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  name: web2\nspec: {ports: [{port: 80}]}\n' },
    nearMiss: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: web2\nspec: {ports: [{port: 80}]}\n' },
  },
  {
    code: 'unknown-field', severity: 'warning', at: 'adresses', says: 'did you mean `addresses`',
    fires: { 'a.yaml': 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n  - ports: [{port: 5432}]\n    adresses:\n      - ip: 10.1.2.3\n' },
    nearMiss: { 'a.yaml': 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n  - ports: [{port: 5432}]\n    addresses:\n      - ip: 10.1.2.3\n' },
  },
  {
    code: 'invalid-value', severity: 'error', at: 'ClusterIp', says: 'did you mean `ClusterIP`',
    fires: { 'a.yaml': docs(web, webSvc('  type: ClusterIp\n')) },
    nearMiss: { 'a.yaml': docs(web, webSvc('  type: ClusterIP\n')) },
    file: 'a.yaml',
  },
  {
    code: 'invalid-value', severity: 'error', at: 'prefix', says: 'pathType',
    fires: { 'a.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            backend: {service: {name: s, port: {number: 80}}}\n            pathType: prefix\n' },
    nearMiss: { 'a.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            backend: {service: {name: s, port: {number: 80}}}\n            pathType: Prefix\n' },
  },
  {
    code: 'invalid-type', severity: 'error', at: '"80"', says: 'Remove the quotes',
    fires: { 'a.yaml': svc('s', '  ports:\n    - port: "80"\n') },
    nearMiss: { 'a.yaml': svc('s', '  ports:\n    - port: 80\n') },
  },
  {
    code: 'invalid-type', severity: 'error', at: '1.0', says: 'must be a string',
    fires: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels:\n    version: 1.0\nspec:\n  ports: [{port: 80}]\n' },
    nearMiss: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels:\n    version: "1.0"\nspec:\n  ports: [{port: 80}]\n' },
  },
  {
    code: 'missing-field', severity: 'error', at: '/', says: 'pathType',
    fires: { 'a.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            backend: {service: {name: s, port: {number: 80}}}\n' },
    nearMiss: { 'a.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Exact\n            backend: {service: {name: s, port: {number: 80}}}\n' },
  },
  {
    code: 'missing-name', severity: 'error', at: 'metadata',
    fires: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  labels: {a: b}\nspec:\n  ports: [{port: 80}]\n' },
    nearMiss: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  generateName: web-\nspec:\n  ports: [{port: 80}]\n' },
  },
  {
    code: 'invalid-name', severity: 'error', at: '1web', says: 'RFC 1035',
    fires: { 'a.yaml': svc('1web', '  ports:\n    - port: 80\n') },
    nearMiss: { 'a.yaml': svc('web1', '  ports:\n    - port: 80\n') },
  },
  {
    code: 'invalid-name', severity: 'error', at: '"8080"', says: 'Write it as a number',
    fires: { 'a.yaml': svc('web', '  ports:\n    - port: 80\n      targetPort: "8080"\n') },
    nearMiss: { 'a.yaml': svc('web', '  ports:\n    - port: 80\n      targetPort: 8080\n') },
  },
  {
    code: 'invalid-label', severity: 'error', at: 'my app',
    fires: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels:\n    app: my app\nspec:\n  ports: [{port: 80}]\n' },
    nearMiss: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels:\n    app: my-app\nspec:\n  ports: [{port: 80}]\n' },
  },
  {
    code: 'workload-selector-mismatch', severity: 'error', at: 'matchLabels: {app: web}', says: 'does not match its pod template labels',
    fires: { 'a.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: webapp}\n    spec:\n      containers: [{name: c, image: i}]\n' },
    nearMiss: { 'a.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web, tier: x}\n    spec:\n      containers: [{name: c, image: i}]\n' },
  },
  {
    code: 'service-selector-no-match', severity: 'warning', at: 'app: webb', file: 'svc.yaml', says: 'Nearest: Deployment/web has app=web',
    fires: { 'dep.yaml': web, 'svc.yaml': svc('web', '  selector:\n    app: webb\n  ports:\n    - port: 80\n') },
    nearMiss: { 'dep.yaml': web, 'svc.yaml': svc('web', '  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n') },
  },
  {
    code: 'service-selector-no-match', severity: 'warning', at: 'app: web', file: 'svc.yaml', says: 'exist in namespace `shop`',
    fires: { 'dep.yaml': dep('web', { app: 'web' }, '', '', 'shop'), 'svc.yaml': svc('web', '  selector:\n    app: web\n  ports:\n    - port: 80\n', 'other') },
    nearMiss: { 'dep.yaml': dep('web', { app: 'web' }, '', '', 'shop'), 'svc.yaml': svc('web', '  selector:\n    app: web\n  ports:\n    - port: 80\n', 'shop') },
  },
  {
    code: 'service-no-endpoints', severity: 'warning', at: 'db',
    fires: { 'a.yaml': svc('db', '  ports:\n    - port: 5432\n') },
    nearMiss: { 'a.yaml': docs(svc('db', '  ports:\n    - port: 5432\n'), 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n  - addresses: [{ip: 10.0.0.5}]\n    ports: [{port: 5432}]\n') },
  },
  {
    code: 'target-port-not-exposed', severity: 'warning', at: '8081', says: 'Did you mean 8080?',
    fires: { 'a.yaml': docs(web, webSvc('', '    - port: 80\n      targetPort: 8081')) },
    nearMiss: { 'a.yaml': docs(dep('web', { app: 'web' }), webSvc('', '    - port: 80\n      targetPort: 8008')) },
  },
  {
    code: 'target-port-name-unresolved', severity: 'error', at: 'htp', says: 'did you mean `http`',
    fires: { 'a.yaml': docs(web, webSvc('', '    - port: 80\n      targetPort: htp')) },
    nearMiss: { 'a.yaml': docs(web, webSvc('', '    - port: 80\n      targetPort: http')) },
  },
  {
    code: 'port-name-required', severity: 'error', at: '443',
    fires: { 'a.yaml': svc('s', '  ports:\n    - name: http\n      port: 80\n    - port: 443\n') },
    nearMiss: { 'a.yaml': svc('s', '  ports:\n    - port: 443\n') },
  },
  {
    code: 'duplicate-port', severity: 'error', at: '80',
    fires: { 'a.yaml': svc('s', '  ports:\n    - name: a\n      port: 80\n    - name: b\n      port: 80\n') },
    nearMiss: { 'a.yaml': svc('s', '  ports:\n    - name: a\n      port: 80\n    - name: b\n      port: 80\n      protocol: UDP\n') },
  },
  {
    code: 'port-out-of-range', severity: 'error', at: '70000',
    fires: { 'a.yaml': svc('s', '  ports:\n    - port: 70000\n') },
    nearMiss: { 'a.yaml': svc('s', '  ports:\n    - port: 65535\n      targetPort: 0\n') },
  },
  {
    code: 'node-port-out-of-range', severity: 'error', at: '8080',
    fires: { 'a.yaml': svc('s', '  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 8080\n') },
    nearMiss: { 'a.yaml': svc('s', '  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 0\n') },
  },
  {
    code: 'node-port-conflict', severity: 'error', at: '30080', file: 'b.yaml',
    fires: {
      'a.yaml': svc('a', '  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 30080\n'),
      'b.yaml': svc('b', '  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 30080\n', 'other'),
    },
    nearMiss: {
      'a.yaml': svc('a', '  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 30080\n'),
      'b.yaml': svc('b', '  type: NodePort\n  ports:\n    - port: 80\n      protocol: UDP\n      nodePort: 30080\n', 'other'),
    },
  },
  {
    code: 'node-port-on-cluster-ip', severity: 'error', at: '30080',
    fires: { 'a.yaml': svc('s', '  ports:\n    - port: 80\n      nodePort: 30080\n') },
    nearMiss: { 'a.yaml': svc('s', '  type: LoadBalancer\n  ports:\n    - port: 80\n      nodePort: 30080\n') },
  },
  {
    code: 'cluster-ip-out-of-range', severity: 'error', at: '192.168.1.10',
    fires: { 'a.yaml': svc('s', '  clusterIP: 192.168.1.10\n  ports:\n    - port: 80\n') },
    nearMiss: { 'a.yaml': svc('s', '  clusterIP: 10.100.1.10\n  ports:\n    - port: 80\n') },
  },
  {
    code: 'cluster-ip-conflict', severity: 'error', at: '10.100.0.7', file: 'b.yaml',
    fires: { 'a.yaml': svc('a', '  clusterIP: 10.100.0.7\n  ports:\n    - port: 80\n'), 'b.yaml': svc('b', '  clusterIP: 10.100.0.7\n  ports:\n    - port: 80\n') },
    nearMiss: { 'a.yaml': svc('a', '  clusterIP: 10.100.0.7\n  ports:\n    - port: 80\n'), 'b.yaml': svc('b', '  clusterIP: 10.100.0.8\n  ports:\n    - port: 80\n') },
  },
  {
    code: 'headless-invalid-type', severity: 'error', at: 'None',
    fires: { 'a.yaml': svc('s', '  type: NodePort\n  clusterIP: None\n  ports:\n    - port: 80\n') },
    nearMiss: { 'a.yaml': svc('s', '  type: ClusterIP\n  clusterIP: None\n  ports:\n    - port: 80\n') },
  },
  {
    code: 'external-name-invalid', severity: 'error', at: '10.0.0.5', says: 'IP address',
    fires: { 'a.yaml': svc('s', '  type: ExternalName\n  externalName: 10.0.0.5\n') },
    nearMiss: { 'a.yaml': svc('s', '  type: ExternalName\n  externalName: db.example.com\n') },
  },
  {
    code: 'external-traffic-policy-invalid', severity: 'error', at: 'Local',
    fires: { 'a.yaml': svc('s', '  externalTrafficPolicy: Local\n  ports:\n    - port: 80\n') },
    nearMiss: { 'a.yaml': svc('s', '  externalTrafficPolicy: Local\n  externalIPs: [192.0.2.10]\n  ports:\n    - port: 80\n') },
  },
  {
    code: 'endpoints-ip-invalid', severity: 'error', at: '127.0.0.1',
    fires: { 'a.yaml': 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n  - addresses: [{ip: 127.0.0.1}]\n' },
    nearMiss: { 'a.yaml': 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n  - addresses: [{ip: 10.0.0.1}]\n' },
  },
  {
    code: 'endpoints-orphan', severity: 'warning', at: 'external-dbs', file: 'ep.yaml', says: 'did you mean `external-db`',
    fires: { 's.yaml': svc('external-db', '  ports:\n    - port: 80\n'), 'ep.yaml': 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: external-dbs\nsubsets:\n  - addresses: [{ip: 10.0.0.1}]\n' },
    nearMiss: { 's.yaml': svc('external-db', '  ports:\n    - port: 80\n'), 'ep.yaml': 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: external-db\nsubsets:\n  - addresses: [{ip: 10.0.0.1}]\n' },
  },
  {
    code: 'ingress-service-not-found', severity: 'warning', at: 'webb', file: 'ing.yaml', says: 'did you mean `web`',
    fires: { 'a.yaml': docs(web, webSvc()), 'ing.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  defaultBackend: {service: {name: webb, port: {number: 80}}}\n' },
    nearMiss: { 'a.yaml': docs(web, webSvc()), 'ing.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n' },
  },
  {
    code: 'ingress-port-not-found', severity: 'error', at: '8080', file: 'ing.yaml', says: 'Ingress must use 80',
    fires: { 'a.yaml': docs(web, webSvc()), 'ing.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  defaultBackend: {service: {name: web, port: {number: 8080}}}\n' },
    nearMiss: { 'a.yaml': docs(web, webSvc()), 'ing.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n' },
  },
  {
    code: 'deprecated-api', severity: 'error', at: 'extensions/v1beta1', says: 'removed in Kubernetes 1.22',
    fires: { 'a.yaml': 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  backend: {serviceName: web, servicePort: 80}\n' },
    nearMiss: { 'a.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n' },
  },
  {
    code: 'network-policy-no-match', severity: 'warning', at: '{matchLabels: {app: db}}', file: 'np.yaml',
    fires: { 'a.yaml': web, 'np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {matchLabels: {app: db}}\n' },
    nearMiss: { 'a.yaml': web, 'np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {matchLabels: {app: web}}\n' },
  },
  {
    code: 'network-policy-dns-blocked', severity: 'warning', at: 'egress', file: 'np.yaml',
    fires: { 'a.yaml': web, 'np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {matchLabels: {app: web}}\n  egress:\n    - ports: [{port: 5432}]\n' },
    nearMiss: { 'a.yaml': web, 'np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {matchLabels: {app: web}}\n  egress:\n    - ports: [{port: 5432}]\n    - ports: [{port: 53, protocol: UDP}]\n' },
  },
  {
    code: 'pod-subdomain-no-service', severity: 'warning', at: 'workers',
    fires: { 'a.yaml': dep('w', { app: 'w' }, '', '\n      hostname: box\n      subdomain: workers') },
    nearMiss: { 'a.yaml': docs(dep('w', { app: 'w' }, '', '\n      hostname: box\n      subdomain: workers'), svc('workers', '  clusterIP: None\n  selector: {app: w}\n  ports: [{port: 80}]\n')) },
  },
  {
    code: 'statefulset-service-not-headless', severity: 'warning', at: 'db',
    fires: { 'a.yaml': docs('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: c, image: i}]}\n', svc('db', '  selector: {app: db}\n  ports: [{port: 5432}]\n')) },
    nearMiss: { 'a.yaml': docs('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: c, image: i}]}\n', svc('db', '  clusterIP: None\n  selector: {app: db}\n  ports: [{port: 5432}]\n')) },
  },
  {
    code: 'duplicate-object', severity: 'warning', at: 's', file: 'b.yaml',
    fires: { 'a.yaml': svc('s', '  ports: [{port: 80}]\n'), 'b.yaml': svc('s', '  ports: [{port: 81}]\n') },
    nearMiss: { 'a.yaml': svc('s', '  ports: [{port: 80}]\n'), 'b.yaml': svc('s', '  ports: [{port: 81}]\n', 'other') },
  },
];

for (const c of cases) {
  test(`${c.code} fires${c.says ? ` (${c.says})` : ''}`, () => {
    const diags = analyze(c.fires, c.settings);
    const file = c.file ?? Object.keys(c.fires)[0];
    const hit = diags.find((d) => d.code === c.code && d.uri === file && (!c.says || d.message.includes(c.says)));
    assert.ok(hit, `expected ${c.code} in ${file}; got:\n${diags.map((d) => `${d.uri}:${d.range.start.line + 1} ${d.code} ${d.message}`).join('\n')}`);
    assert.equal(hit.severity, c.severity);
    assert.equal(textAt(c.fires[file], hit.range), c.at, `range of ${c.code}: ${hit.message}`);
  });
  test(`${c.code} near miss stays quiet${c.says ? ` (${c.says})` : ''}`, () => {
    const diags = analyze(c.nearMiss, c.settings);
    const hit = diags.filter((d) => d.code === c.code);
    assert.deepEqual(hit.map((d) => d.message), []);
  });
}

test('legal oddities raise nothing', () => {
  const diags = analyze({
    'a.yaml': docs(
      // targetPort 0 and nodePort 0 mean "unset"; numeric targetPort without declared ports.
      dep('plain', { app: 'plain' }),
      svc('plain', '  type: NodePort\n  selector: {app: plain}\n  ports:\n    - port: 80\n      targetPort: 0\n      nodePort: 0\n'),
      // ExternalName without selector or ports.
      svc('ext', '  type: ExternalName\n  externalName: example.com\n'),
      // A native sidecar's named port counts.
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: side\nspec:\n  selector: {matchLabels: {app: side}}\n  template:\n    metadata: {labels: {app: side}}\n    spec:\n      initContainers:\n        - name: proxy\n          image: envoy\n          restartPolicy: Always\n          ports: [{name: proxy, containerPort: 15001}]\n      containers: [{name: app, image: app}]\n',
      svc('side', '  selector: {app: side}\n  ports:\n    - port: 80\n      targetPort: proxy\n'),
      // Selectorless Service with manual Endpoints.
      svc('manual', '  ports: [{port: 443}]\n'),
      'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: manual\nsubsets:\n  - addresses: [{ip: 192.0.2.1}]\n    ports: [{port: 443}]\n',
      // matchLabels: null selects everything.
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: all\nspec:\n  podSelector:\n    matchLabels: null\n',
    ),
  });
  assert.deepEqual(diags.map((d) => `${d.range.start.line + 1} ${d.code}: ${d.message}`), []);
});

test('quick-fix edits are attached where the fix is unambiguous', () => {
  const diags = analyze({ 'a.yaml': docs(web, webSvc('  type: ClusterIp\n')) });
  const d = diags.find((x) => x.code === 'invalid-value')!;
  assert.deepEqual(d.fixes?.flatMap((f) => f.edits.map((e) => e.newText)), ['ClusterIP']);
  const ing = analyze({ 'a.yaml': docs(web, webSvc()), 'i.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  defaultBackend: {service: {name: web, port: {number: 8080}}}\n' })
    .find((x) => x.code === 'ingress-port-not-found')!;
  assert.deepEqual(ing.fixes?.flatMap((f) => f.edits.map((e) => e.newText)), ['80']);
  assert.equal(ing.related?.[0].uri, 'a.yaml', 'points at the Service ports');
});

test('removed Ingress API: the quick fix produces a valid networking.k8s.io/v1 Ingress', () => {
  const beta = 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - path: /api\n            backend:\n              serviceName: api\n              servicePort: http\n          - {path: /x, backend: {serviceName: web, servicePort: 80}}\n';
  const svcs = docs(web, webSvc(), svc('api', '  selector: {app: web}\n  ports:\n    - name: http\n      port: 80\n'));
  const d = analyze({ 'i.yaml': beta, 's.yaml': svcs }).find((x) => x.code === 'deprecated-api')!;
  const fix = d.fixes![0];
  // Apply the edits back to front and analyse the result: no errors may remain.
  const lines = beta.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let text = beta;
  for (const e of [...fix.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  }
  const after = analyze({ 'i.yaml': text, 's.yaml': svcs }).filter((x) => x.uri === 'i.yaml');
  assert.deepEqual(after.map((x) => `${x.code}: ${x.message}`), []);
  assert.match(text, /^apiVersion: networking\.k8s\.io\/v1$/m);
  assert.match(text, /defaultBackend:\n {4}service:\n {6}name: web\n {6}port:\n {8}number: 80/);
  assert.match(text, /pathType: ImplementationSpecific\n {12}backend:\n {14}service:\n {16}name: api\n {16}port:\n {18}name: http/);
  assert.match(text, /\{path: \/x, pathType: ImplementationSpecific, backend: \{service: \{name: web, port: \{number: 80\}\}\}\}/);
});

test('every quick fix offered for a fixture, once applied, removes that finding', () => {
  let applied = 0;
  for (const c of cases) {
    for (const d of analyze(c.fires, c.settings).filter((x) => x.code === c.code && x.fixes?.length)) {
      for (const fix of d.fixes!) {
        const files = { ...c.fires };
        for (const [file, text] of Object.entries(files)) {
          const edits = fix.edits.filter((e) => e.uri === file);
          const lines = text.split('\n');
          const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
          let out = text;
          for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
            out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
          }
          files[file] = out;
        }
        const after = analyze(files, c.settings).filter((x) => x.code === c.code && x.uri === d.uri && x.message === d.message);
        assert.deepEqual(after.map((x) => x.message), [], `fix "${fix.title}" for ${c.code}`);
        assert.deepEqual(analyze(files, c.settings).filter((x) => x.code === 'yaml-syntax').map((x) => x.message), [], `fix "${fix.title}" keeps valid YAML`);
        applied++;
      }
    }
  }
  assert.ok(applied >= 8, `fixes exercised: ${applied}`);
});
