// `ksi connections`: the NetworkPolicy matrix, its JSON contract, and agreement with the
// simulator's own evaluation on every pair.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { docs, modelOf } from '../helpers/analyze';
import { allowedText, connectionsOf, hover } from '../../server/src/model';
import { allowedPorts, evaluate, policyScopeOf } from '../../server/src/model/simulate/policy';
import { connectionId, HOVER_REACH_LIMIT, toContract } from '../../server/src/model/simulate/connections';
import { intersect, isEmpty } from '../../server/src/model/simulate/portSet';
import { connectionsWorkspace } from '../bench/connections';

const dep = (name: string, ns: string, labels: string, ports = '{containerPort: 8080}') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {${labels}}}
  template:
    metadata: {labels: {${labels}}}
    spec: {containers: [{name: main, image: x, ports: [${ports}]}]}
`;
const pod = (name: string, ns: string, labels: string, owner = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {${labels}}
${owner}spec: {containers: [{name: main, image: x, ports: [{containerPort: 80}]}]}
`;
const netpol = (name: string, ns: string, spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}`;
const ns = (name: string, labels = '') => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}${labels ? `, labels: {${labels}}` : ''}}\n`;

const FILES = {
  'a.yaml': docs(
    ns('front', 'team: web'), ns('back'),
    dep('web', 'front', 'app: web'),
    dep('api', 'back', 'app: api', '{name: http, containerPort: 8080}, {name: newport, containerPort: 9000, protocol: SCTP}'),
    dep('db', 'back', 'app: db', '{name: pg, containerPort: 5432}'),
    netpol('api-in', 'back', '  podSelector: {matchLabels: {app: api}}\n  ingress:\n    - from: [{namespaceSelector: {matchLabels: {team: web}}}]\n      ports: [{port: http}, {port: newport, protocol: UDP}]\n    - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n      ports: [{port: 8000, endPort: 8100}]\n'),
    netpol('db-in', 'back', '  podSelector: {matchLabels: {app: db}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: pg}]}]\n'),
    netpol('web-out', 'front', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{namespaceSelector: {}}]}]\n'),
  ),
};

type Allowed = ReturnType<typeof connectionsOf>['connections'][number]['allowed'];
const find = (r: ReturnType<typeof connectionsOf>, from: string, to: string): Allowed | undefined => r.connections.find((c) => c.from === from && c.to === to)?.allowed;

test('connections: the JSON contract — ordered workload pairs, outside ranges split at ipBlock edges, denied pairs absent, no self pairs', () => {
  const r = connectionsOf(modelOf(FILES));
  assert.equal(r.version, 1);
  assert.deepEqual(find(r, 'front/deployment/web', 'back/deployment/api'), [{ protocol: 'TCP', ports: [[8080, 8080]] }],
    'named port `http` resolves to 8080; `newport`/UDP names an SCTP port, so it admits nothing');
  assert.equal(find(r, 'back/deployment/db', 'back/deployment/api'), undefined, 'db is not in a team=web namespace and not outside: denied, so no entry');
  assert.deepEqual(find(r, 'back/deployment/api', 'back/deployment/db'), [{ protocol: 'TCP', ports: [[5432, 5432]] }]);
  assert.equal(find(r, 'back/deployment/db', 'front/deployment/web'), 'all', 'web is not isolated for ingress');
  assert.equal(find(r, 'front/deployment/web', '0.0.0.0-255.255.255.255'), undefined, 'web may send only to pods (namespaceSelector: {}), never outside');
  assert.ok(!r.connections.some((c) => c.from === c.to), 'no self pairs');
  const toApi = r.connections.filter((c) => c.to === 'back/deployment/api' && /^\d/.test(c.from));
  assert.deepEqual(toApi.map((c) => [c.from, c.allowed]), [
    ['10.0.0.0-10.0.255.255', [{ protocol: 'TCP', ports: [[8000, 8100]] }]],
    ['10.2.0.0-10.255.255.255', [{ protocol: 'TCP', ports: [[8000, 8100]] }]],
  ], 'the except range 10.1.0.0/16 and everything outside 10.0.0.0/8 are denied');
  const fromOutsideToDb = r.connections.filter((c) => c.to === 'back/deployment/db' && /^\d/.test(c.from));
  assert.deepEqual(fromOutsideToDb, [], 'db admits only api pods');
  const toWeb = r.connections.filter((c) => c.to === 'front/deployment/web' && /^\d/.test(c.from));
  assert.deepEqual(toWeb.map((c) => c.from), ['0.0.0.0-9.255.255.255', '10.0.0.0-10.0.255.255', '10.1.0.0-10.1.255.255', '10.2.0.0-10.255.255.255', '11.0.0.0-255.255.255.255'],
    'the outside is cut at every ipBlock edge, the same pieces for every workload');
});

test('connections: Pods with a controller ownerReference are reported as the controller; no kind → pod; a Node owner (static pod) does not count', () => {
  const owner = (kind: string, name: string) => `  ownerReferences: [{apiVersion: apps/v1, ${kind ? `kind: ${kind}, ` : ''}name: ${name}, uid: u1, controller: true}]\n`;
  const m = modelOf({ 'p.yaml': docs(
    pod('web-abc12', 'default', 'app: web', owner('ReplicaSet', 'web-5d4f')),
    pod('web-def34', 'default', 'app: web', owner('ReplicaSet', 'web-5d4f')),
    pod('odd', 'default', 'app: odd', owner('', 'thing')),
    pod('etcd-node1', 'default', 'app: etcd', owner('Node', 'node1')),
    pod('loose', 'default', 'app: loose', '  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: u2}]\n'),
  ) });
  const ids = [...new Set(connectionsOf(m).connections.flatMap((c) => [c.from, c.to]).filter((id) => !/^\d/.test(id)))].sort();
  assert.deepEqual(ids, ['default/pod/etcd-node1', 'default/pod/loose', 'default/pod/thing', 'default/replicaset/web-5d4f']);
});

test('connections: --namespace keeps only pairs touching a workload in it; a rejected policy isolates nothing', () => {
  const m = modelOf(FILES);
  const r = connectionsOf(m, { namespace: 'front' });
  assert.ok(r.connections.length > 0);
  assert.ok(r.connections.every((c) => c.from.startsWith('front/') || c.to.startsWith('front/')));
  const bad = modelOf({ 'a.yaml': docs(FILES['a.yaml'], netpol('broken', 'back', '  podSelector: {}\n  policyTypes: [Ingress, Sideways]\n')) });
  assert.deepEqual(connectionsOf(bad), connectionsOf(m), 'the API server rejects `Sideways`, so the policy does not exist');
});

test('connections agree with the simulator\'s evaluation on every pair and probe port', () => {
  const m = modelOf(FILES);
  const r = connectionsOf(m);
  const scope = policyScopeOf(m);
  const workloads = m.views().flatMap((v) => v.workloads);
  const probes: [string, number][] = [['TCP', 8080], ['TCP', 8050], ['TCP', 5432], ['UDP', 9000], ['SCTP', 9000], ['TCP', 1]];
  let checked = 0;
  for (const a of workloads) {
    for (const b of workloads) {
      if (a === b) continue;
      const allowed = find(r, connectionId(a), connectionId(b));
      for (const [protocol, port] of probes) {
        const info = { port, protocol, podPorts: b.ports };
        const sim = evaluate(scope, 'egress', a, { kind: 'pod', namespace: b.namespace, labels: b.labels, name: b.name }, info).allowed
          && evaluate(scope, 'ingress', b, { kind: 'pod', namespace: a.namespace, labels: a.labels, name: a.name }, info).allowed;
        const listed = allowed === 'all' || (!!allowed && allowed.some((p) => p.protocol === protocol && (p.ports === 'all' || p.ports.some(([lo, hi]) => port >= lo && port <= hi))));
        assert.equal(listed, sim, `${connectionId(a)} → ${connectionId(b)} ${protocol} ${port}`);
        checked++;
      }
    }
  }
  assert.equal(checked, 6 * 6);
});

test('connections agree with the one-pair evaluation on a generated unit of every peer and port shape (every ordered pair)', () => {
  const m = connectionsWorkspace(90, 50, 11);
  const r = connectionsOf(m);
  const listed = new Map(r.connections.map((c) => [`${c.from} ${c.to}`, allowedText(c.allowed)]));
  const scope = policyScopeOf(m);
  const workloads = m.views().flatMap((v) => v.workloads);
  const party = (w: (typeof workloads)[number]) => ({ kind: 'pod' as const, namespace: w.namespace, labels: w.labels, name: w.name });
  let denied = 0;
  for (const a of workloads) {
    for (const b of workloads) {
      if (a === b) continue;
      const set = intersect(allowedPorts(scope, 'egress', a, party(b), b.ports), allowedPorts(scope, 'ingress', b, party(a), b.ports));
      const want = isEmpty(set) ? undefined : allowedText(toContract(set));
      if (!want) denied++;
      assert.equal(listed.get(`${connectionId(a)} ${connectionId(b)}`), want, `${connectionId(a)} → ${connectionId(b)}`);
    }
  }
  assert.ok(denied > 0 && denied < 90 * 89, 'the generated policies deny some pairs and allow others');
});

test('the workload hover compares with its own namespace in a large unit, and says so', () => {
  const m = connectionsWorkspace(HOVER_REACH_LIMIT + 100, 40, 5);
  const uri = 'file:///bench/connections-0.yaml';
  const text = m.file(uri)!.src.text;
  const line = text.split('\n').findIndex((l) => l.startsWith('kind: Deployment'));
  const h = hover(m, uri, { line, character: 7 })!.markdown;
  assert.match(h, /\*\*Network reach\*\* \(NetworkPolicies, as `ksi connections`\) in namespace `ns-\d+` \(a large unit/);
  assert.match(h, /reaches \d+ of \d+ workloads/);
});
