import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel, describeIngress, describePolicy, listServices, matchingNamespaces } from '../../server/src/model';

function samplesModel(): ClusterModel {
  const m = new ClusterModel();
  const root = path.join(__dirname, '../../samples');
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) m.update(path.relative(root, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return m;
}

const byName = (m: ClusterModel) => new Map(listServices(m).map((s) => [`${s.namespace}/${s.name}`, s]));

test('a Service resolves to workloads, per-pod targetPorts, simulated endpoints and DNS', () => {
  const s = byName(samplesModel()).get('shop/webui-svc')!;
  assert.equal(s.fqdn, 'webui-svc.shop.svc.cluster.local');
  assert.equal(s.clusterIPSimulated, true);
  assert.match(s.clusterIP!, /^10\.(9[6-9]|10[0-9]|11[01])\./, 'inside 10.96.0.0/12');
  assert.deepEqual(s.workloads, ['Deployment/webui']);
  assert.deepEqual(s.ports[0].targets, [{ workload: 'Deployment/webui', containerPort: 8080, container: 'web', declared: true }]);
  assert.equal(s.endpoints.length, 3);
  assert.ok(s.endpoints.every((e) => e.simulated && /^10\.244\./.test(e.ip!) && /^webui-[a-z0-9]{10}-[a-z0-9]{5}$/.test(e.pod!)));
  assert.equal(new Set(s.endpoints.map((e) => e.ip)).size, 3, 'distinct pod IPs');
  assert.deepEqual(s.dns.map((d) => `${d.type} ${d.name}`), ['A webui-svc.shop.svc.cluster.local', 'SRV _http._tcp.webui-svc.shop.svc.cluster.local']);
});

test('headless StatefulSet Service gets per-pod records; ExternalName a CNAME; selectorless uses Endpoints', () => {
  const all = byName(samplesModel());
  const pg = all.get('data/postgres')!;
  assert.equal(pg.headless, true);
  assert.equal(pg.clusterIP, 'None');
  assert.deepEqual(pg.endpoints.map((e) => e.pod), ['postgres-0', 'postgres-1']);
  assert.ok(pg.dns.some((d) => d.name === 'postgres-0.postgres.data.svc.cluster.local' && d.type === 'A' && d.simulated));
  const pay = all.get('data/payments')!;
  assert.deepEqual(pay.dns, [{ name: 'payments.data.svc.cluster.local', type: 'CNAME', value: 'api.payments.example.com', simulated: false }]);
  assert.equal(pay.clusterIP, null);
  const billing = all.get('data/legacy-billing')!;
  assert.deepEqual(billing.endpoints.map((e) => [e.ip, e.simulated, e.source]), [['10.20.30.40', false, 'Endpoints/legacy-billing'], ['10.20.30.41', false, 'Endpoints/legacy-billing']]);
});

test('NodePort and LoadBalancer: explicit ports kept, missing ones simulated in range; pending LB', () => {
  const all = byName(samplesModel());
  const np = all.get('shop/webui-nodeport')!;
  assert.deepEqual([np.ports[0].nodePort, np.ports[0].nodePortSimulated], [30080, false]);
  const lb = all.get('shop/api')!;
  assert.ok(lb.ports[0].nodePortSimulated && lb.ports[0].nodePort! >= 30000 && lb.ports[0].nodePort! <= 32767);
  assert.deepEqual(lb.loadBalancer, { addresses: [], pending: true });
  assert.equal(lb.sessionAffinity, 'ClientIP');
  assert.equal(lb.externalTrafficPolicy, 'Local');
});

test('simulated values are deterministic and independent of load order', () => {
  const a = JSON.stringify(listServices(samplesModel()));
  const m = new ClusterModel();
  const base = samplesModel();
  for (const uri of base.uris().reverse()) m.update(uri, base.file(uri)!.src.text);
  assert.equal(JSON.stringify(listServices(m)), a);
});

test('Ingress routes resolve to Service ports and endpoints, or say why not', () => {
  const m = samplesModel();
  const ing = m.view('shop').ingresses[0];
  const v = describeIngress(m, ing);
  assert.deepEqual(v.tlsHosts, ['shop.example.com']);
  assert.deepEqual(v.routes.map((r) => [r.host, r.path, r.service, r.servicePort, r.endpoints, r.problem]), [
    ['shop.example.com', '/', 'webui-svc', 80, 3, null],
    ['shop.example.com', '/api', 'api', null, 0, 'Service api has no port 8080'],
  ]);
});

test('NetworkPolicies resolve selected pods and peers across namespaces', () => {
  const m = samplesModel();
  const pols = new Map(m.view('shop').policies.map((p) => [p.name, describePolicy(m, p)]));
  assert.deepEqual(pols.get('default-deny-ingress')!.selects, ['Deployment/api', 'Deployment/redis', 'Deployment/webui']);
  assert.deepEqual(pols.get('api-from-webui')!.ingressFrom, [['shop/Deployment/webui']]);
  assert.deepEqual(pols.get('api-egress')!.egressTo, [['data/StatefulSet/postgres']]);
  assert.deepEqual(matchingNamespaces(m, { matchLabels: { team: 'platform' }, matchExpressions: [] }), ['data']);
});

test('headless SRV records name each pod', () => {
  const pg = byName(samplesModel()).get('data/postgres')!;
  assert.deepEqual(pg.dns.filter((d) => d.type === 'SRV').map((d) => d.value.replace(/^0 \d+ /, '')), [
    '5432 postgres-0.postgres.data.svc.cluster.local.', '5432 postgres-1.postgres.data.svc.cluster.local.',
  ]);
});
