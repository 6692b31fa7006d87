// Table-driven tests of the request simulator: every step and every error code.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { docs, modelOf } from '../helpers/analyze';
import { simulate, SimulationResult } from '../../server/src/model';
import { analyseFixture, fixturesOf } from '../helpers/ruleFixtures';

const dep = (name: string, ns: string, labels: string, ports: string, extra = '', replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {${labels}}}
  template:
    metadata: {labels: {${labels}}}
    spec:${extra}
      containers: [{name: main, image: x, ports: [${ports}]}]
`;
const svc = (name: string, ns: string, spec: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}`;

const WORKSPACE = {
  'default.yaml': docs(
    dep('web', 'default', 'app: web', '{name: http, containerPort: 8080}', '', 3),
    svc('web-svc', 'default', '  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]\n'),
    dep('edge', 'default', 'app: edge', '{containerPort: 8080}', '', 1),
    svc('web-np', 'default', '  type: NodePort\n  externalTrafficPolicy: Local\n  selector: {app: edge}\n  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]\n'),
    svc('sticky', 'default', '  sessionAffinity: ClientIP\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n'),
    svc('local-only', 'default', '  internalTrafficPolicy: Local\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n'),
    svc('named-missing', 'default', '  selector: {app: web}\n  ports: [{port: 80, targetPort: grpc}]\n'),
    svc('nobody', 'default', '  selector: {app: nothing}\n  ports: [{port: 80}]\n'),
    svc('ext', 'default', '  type: ExternalName\n  externalName: db.example.com\n'),
  ),
  'test.yaml': docs(
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: test, labels: {env: test}}\n',
    dep('client', 'test', 'app: client', '{containerPort: 9000}'),
    dep('hostdns', 'test', 'app: hostdns', '{containerPort: 9000}', '\n      dnsPolicy: Default'),
    dep('locked', 'test', 'app: locked', '{containerPort: 9000}'),
    dep('dnsonly', 'test', 'app: dnsonly', '{containerPort: 9000}'),
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: locked-egress, namespace: test}\nspec:\n  podSelector: {matchLabels: {app: locked}}\n  policyTypes: [Egress]\n  egress:\n    - ports: [{port: 5432}]\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: dns-only, namespace: test}\nspec:\n  podSelector: {matchLabels: {app: dnsonly}}\n  policyTypes: [Egress]\n  egress:\n    - ports: [{port: 53, protocol: UDP}]\n',
  ),
  'data.yaml': docs(
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: data}\nspec:\n  serviceName: db\n  replicas: 2\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: pg, image: pg, ports: [{name: pg, containerPort: 5432}]}]}\n',
    svc('db', 'data', '  clusterIP: None\n  selector: {app: db}\n  ports: [{name: pg, port: 5432}]\n'),
    svc('db-rw', 'data', '  selector: {app: db}\n  ports: [{port: 5432}]\n'),
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-from-test, namespace: data}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress:\n    - from: [{namespaceSelector: {matchLabels: {env: test}}, podSelector: {matchLabels: {app: client}}}]\n      ports: [{port: pg}]\n',
  ),
  'ingress.yaml': docs(
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop, namespace: default}\nspec:\n  defaultBackend: {service: {name: web-svc, port: {number: 80}}}\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web-svc, port: {name: http}}}}\n          - {path: /api, pathType: Prefix, backend: {service: {name: sticky, port: {number: 80}}}}\n          - {path: /api, pathType: Exact, backend: {service: {name: local-only, port: {number: 80}}}}\n          - {path: /gone, pathType: Prefix, backend: {service: {name: missing, port: {number: 80}}}}\n    - host: "*.apps.example.com"\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web-svc, port: {number: 8080}}}}\n',
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: strict, namespace: default}\nspec:\n  rules:\n    - host: strict.example.com\n      http:\n        paths:\n          - {path: /only, pathType: Exact, backend: {service: {name: web-svc, port: {number: 80}}}}\n',
  ),
};

const model = modelOf(WORKSPACE);
const run = (from: string, to: string, opts = {}) => simulate(model, from, to, opts);
const step = (r: SimulationResult, kind: string) => r.steps.filter((s) => s.step === kind);
const detail = (r: SimulationResult, kind: string) => step(r, kind).flatMap((s) => s.details).join('\n');

interface Row {
  name: string;
  from: string;
  to: string;
  opts?: Record<string, unknown>;
  /** Expected error code, or 'ok'. */
  expect: string;
  check?: (r: SimulationResult) => void;
}

const rows: Row[] = [
  {
    name: 'DNS: a short name resolves in the source namespace first', from: 'default/deployment/web', to: 'web-svc', expect: 'ok',
    check: (r) => {
      assert.equal(r.fqdn, 'web-svc.default.svc.cluster.local');
      assert.match(detail(r, 'dns'), /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local · options ndots:5/);
      assert.equal(r.target.port, 80, 'the only Service port');
    },
  },
  {
    name: 'DNS: a short name from another namespace fails, trying every search suffix, with a hint', from: 'test/deployment/client', to: 'web-svc', expect: 'nxdomain',
    check: (r) => {
      assert.deepEqual(detail(r, 'dns').split('\n').slice(1), [
        'web-svc.test.svc.cluster.local → NXDOMAIN', 'web-svc.svc.cluster.local → NXDOMAIN', 'web-svc.cluster.local → NXDOMAIN', 'web-svc → NXDOMAIN',
      ]);
      assert.equal(r.error!.hint, 'Did you mean `web-svc.default`?');
    },
  },
  {
    name: 'DNS: <svc>.<ns> resolves through the second search suffix', from: 'test/deployment/client', to: 'web-svc.default', expect: 'ok',
    check: (r) => assert.match(detail(r, 'dns'), /web-svc\.default\.test\.svc\.cluster\.local → NXDOMAIN\nweb-svc\.default\.svc\.cluster\.local → A 10\./),
  },
  {
    name: 'DNS: a trailing dot makes the name absolute (one query)', from: 'test/deployment/client', to: 'web-svc.default.svc.cluster.local.:80', expect: 'ok',
    check: (r) => assert.equal(detail(r, 'dns').split('\n').length, 2),
  },
  {
    name: 'DNS: an outside name with fewer than ndots dots is tried with every search suffix first', from: 'test/deployment/client', to: 'api.example.com:443', expect: 'ok',
    check: (r) => {
      assert.match(detail(r, 'dns'), /api\.example\.com\.test\.svc\.cluster\.local → NXDOMAIN[\s\S]*api\.example\.com → upstream DNS/);
      assert.equal(r.endpoints[0].ip, 'api.example.com');
    },
  },
  {
    name: 'DNS: a pod name never resolves', from: 'test/deployment/client', to: 'db-0', expect: 'nxdomain',
    check: (r) => assert.equal(r.error!.hint, 'Pod and workload names are not DNS names; this pod is `db-0.db.data`.'),
  },
  {
    name: 'DNS: dnsPolicy Default uses the node resolver: no cluster names', from: 'test/deployment/hostdns', to: 'web-svc.default', expect: 'nxdomain',
    check: (r) => assert.match(detail(r, 'dns'), /node's resolver/),
  },
  {
    name: 'headless Service: DNS returns the pod IPs and the client picks one', from: 'test/deployment/client', to: 'db.data:5432', opts: { requests: 100 }, expect: 'ok',
    check: (r) => {
      assert.match(detail(r, 'dns'), /headless: pod IPs/);
      assert.deepEqual(r.endpoints.map((e) => e.pod), ['db-0', 'db-1']);
      assert.equal(r.distribution.reduce((n, d) => n + d.count, 0), 100);
    },
  },
  {
    name: 'StatefulSet pod DNS: <pod>.<service>.<ns> reaches exactly that pod', from: 'test/deployment/client', to: 'db-1.db.data:5432', expect: 'ok',
    check: (r) => assert.deepEqual(r.endpoints.map((e) => [e.pod, e.port]), [['db-1', 5432]]),
  },
  {
    name: 'ExternalName: a CNAME, and the request leaves the cluster', from: 'default/deployment/web', to: 'ext:5432', expect: 'ok',
    check: (r) => {
      assert.match(detail(r, 'dns'), /ext\.default\.svc\.cluster\.local → CNAME db\.example\.com/);
      assert.deepEqual(r.endpoints.map((e) => [e.ip, e.port, e.simulated]), [['db.example.com', 5432, false]]);
    },
  },
  {
    name: 'Service port lookup: a port the Service lacks', from: 'default/deployment/web', to: 'web-svc:8080', expect: 'port-not-found',
    check: (r) => {
      assert.equal(r.error!.message, 'Port 8080 is not a port of default/web-svc; its ports are 80 (http).');
      assert.equal(r.error!.hint, '8080 is the targetPort; connect to the Service port 80.');
    },
  },
  {
    name: 'endpoints: a named targetPort no pod defines', from: 'default/deployment/web', to: 'named-missing', expect: 'target-port-unresolved',
  },
  {
    name: 'endpoints: a selector that matches nothing refuses the connection', from: 'default/deployment/web', to: 'nobody', expect: 'no-endpoints',
  },
  {
    name: 'balancing: iptables spreads N requests at random, deterministically per seed', from: 'default/deployment/web', to: 'web-svc', opts: { requests: 300, seed: 7 }, expect: 'ok',
    check: (r) => {
      assert.equal(r.distribution.length, 3);
      assert.ok(r.distribution.every((d) => d.count > 60), JSON.stringify(r.distribution));
      assert.deepEqual(run('default/deployment/web', 'web-svc', { requests: 300, seed: 7 }).distribution, r.distribution);
      assert.notDeepEqual(run('default/deployment/web', 'web-svc', { requests: 300, seed: 8 }).distribution, r.distribution);
    },
  },
  {
    name: 'balancing: IPVS round robin is exactly even', from: 'default/deployment/web', to: 'web-svc', opts: { requests: 300, proxyMode: 'ipvs' }, expect: 'ok',
    check: (r) => assert.deepEqual(r.distribution.map((d) => d.count), [100, 100, 100]),
  },
  {
    name: 'sessionAffinity ClientIP: every request from one client sticks to one endpoint', from: 'default/deployment/web', to: 'sticky', opts: { requests: 50 }, expect: 'ok',
    check: (r) => {
      assert.deepEqual(r.distribution.map((d) => d.count).sort((a, b) => b - a), [50, 0, 0]);
      assert.match(detail(r, 'endpoints'), /sessionAffinity: ClientIP/);
    },
  },
  {
    name: 'internalTrafficPolicy Local keeps traffic on the source node', from: 'default/deployment/web', to: 'local-only', opts: { requests: 20 }, expect: 'ok',
    check: (r) => assert.ok(r.endpoints.every((e) => e.node === r.source.node)),
  },
  {
    name: 'NodePort with externalTrafficPolicy Local: a node without endpoints drops the traffic', from: 'external', to: '__EMPTY_NODE__:30080', expect: 'no-endpoints',
  },
  {
    name: 'NodePort with externalTrafficPolicy Local: a node with endpoints serves only its own', from: 'external', to: '__BUSY_NODE__:30080', expect: 'ok',
    check: (r) => assert.ok(r.endpoints.length >= 1 && r.endpoints.every((e) => e.node === r.endpoints[0].node)),
  },
  {
    name: 'NodePort: a port no Service exposes', from: 'external', to: '172.18.0.2:31999', expect: 'port-not-found',
  },
  {
    name: 'Ingress: the longest path wins, Exact beats Prefix at equal length', from: 'external', to: 'http://shop.example.com/api', expect: 'ok',
    check: (r) => { assert.equal(r.service, 'default/local-only'); assert.match(detail(r, 'ingress'), /→ Exact \/api → local-only:80/); },
  },
  {
    name: 'Ingress: a Prefix path matches by path element', from: 'external', to: 'http://shop.example.com/api/v1/cart', expect: 'ok',
    check: (r) => assert.equal(r.service, 'default/sticky'),
  },
  {
    name: 'Ingress: /apix is not under the /api prefix', from: 'external', to: 'http://shop.example.com/apix', expect: 'ok',
    check: (r) => assert.equal(r.service, 'default/web-svc'),
  },
  {
    name: 'Ingress: a wildcard host matches exactly one label', from: 'external', to: 'http://a.apps.example.com/', expect: 'port-not-found',
    check: (r) => assert.match(detail(r, 'ingress'), /host a\.apps\.example\.com matches Ingress default\/shop/),
  },
  {
    name: 'Ingress: a wildcard does not match two labels (the request falls to the default backend)', from: 'external', to: 'http://a.b.apps.example.com/', expect: 'ok',
    check: (r) => assert.match(detail(r, 'ingress'), /no path matches: defaultBackend of shop/),
  },
  {
    name: 'Ingress: no path matches and no default backend → 404', from: 'external', to: 'http://strict.example.com/other', expect: 'ingress-no-match',
  },
  {
    name: 'Ingress: a backend Service that does not exist → 503', from: 'external', to: 'http://shop.example.com/gone', expect: 'service-not-found',
  },
  {
    name: 'NetworkPolicy at egress: allowed ports only', from: 'test/deployment/locked', to: 'web-svc.default', expect: 'policy-denied',
    check: (r) => assert.match(r.error!.message, /DNS/),
  },
  {
    name: 'NetworkPolicy at egress: DNS allowed, the connection itself denied', from: 'test/deployment/dnsonly', to: 'web-svc.default', expect: 'policy-denied',
    check: (r) => { assert.equal(step(r, 'dns')[0].status, 'ok'); assert.equal(step(r, 'egress-policy').at(-1)!.status, 'fail'); },
  },
  {
    name: 'NetworkPolicy at ingress: namespace AND pod selector, on the named pod port', from: 'test/deployment/client', to: 'db-rw.data', expect: 'ok',
    check: (r) => assert.match(detail(r, 'ingress-policy'), /allowed by NetworkPolicy db-from-test \(rule 1\)/),
  },
  {
    name: 'NetworkPolicy at ingress: a pod outside the allowed namespace is denied', from: 'default/deployment/web', to: 'db-rw.data', expect: 'policy-denied',
  },
  {
    name: 'external clients cannot reach cluster names', from: 'external', to: 'web-svc.default', expect: 'nxdomain',
  },
  {
    name: 'unknown source lists candidates', from: 'default/deployment/webb', to: 'web-svc', expect: 'invalid-source',
    check: (r) => assert.equal(r.error!.hint, 'Did you mean `default/deployment/web`?'),
  },
  {
    name: 'a malformed target', from: 'default/deployment/web', to: 'http://:99999', expect: 'invalid-target',
  },
  {
    name: 'a cluster IP is not reachable from outside', from: 'external', to: '__CLUSTER_IP__', expect: 'invalid-target',
  },
];

// Node and IP placeholders depend on simulated placement: fill them from the model.
const np = run('default/deployment/web', 'web-svc', { requests: 1 });
// The NodePort Service selects one pod, so exactly one node has an endpoint.
const edgeNode = simulate(model, 'default/deployment/edge', 'web-np', {}).source.node!;
const nodes = ['node-1', 'node-2', 'node-3'];
const nodeIP = (n: string) => `172.18.0.${Number(n.split('-')[1]) + 1}`;
const placeholders: Record<string, string> = {
  __EMPTY_NODE__: nodeIP(nodes.find((n) => n !== edgeNode)!),
  __BUSY_NODE__: nodeIP(edgeNode),
  __CLUSTER_IP__: detail(np, 'service-port').match(/cluster IP (\S+)/)![1],
};

for (const row of rows) {
  test(row.name, () => {
    const to = Object.entries(placeholders).reduce((s, [k, v]) => s.replace(k, v), row.to);
    const r = run(row.from, to, row.opts);
    assert.equal(r.ok ? 'ok' : r.error!.code, row.expect, `${r.error?.message ?? ''}\n${r.steps.map((s) => `[${s.status}] ${s.title}: ${s.details.join(' | ')}`).join('\n')}`);
    row.check?.(r);
  });
}

test('every error code of the contract is exercised', () => {
  const codes = new Set(rows.map((r) => r.expect));
  for (const c of ['nxdomain', 'service-not-found', 'port-not-found', 'no-endpoints', 'target-port-unresolved', 'policy-denied', 'ingress-no-match', 'invalid-source', 'invalid-target']) {
    assert.ok(codes.has(c), c);
  }
});

test('simulated values are labelled and results deterministic', () => {
  const a = run('default/deployment/web', 'web-svc', { requests: 10 });
  assert.match(a.note, /simulated/);
  assert.ok(a.endpoints.every((e) => e.simulated));
  assert.match(a.steps[0].details.join(' '), /\(simulated\)/);
  assert.deepEqual(run('default/deployment/web', 'web-svc', { requests: 10 }), a);
});

test('ksi check and ksi simulate agree on which pods NetworkPolicies cut off from DNS (one evaluation)', () => {
  for (const f of fixturesOf('network-policy-dns-blocked')) {
    const { workspace, diagnostics } = analyseFixture(f);
    const model = workspace.mainModel();
    const blockedByCheck = new Set(diagnostics.filter((d) => d.code === 'network-policy-dns-blocked').flatMap((d) => [...d.message.matchAll(/Pod\/([a-z0-9-]+)/g)].map((m) => m[1])));
    for (const view of model.views()) {
      for (const w of view.workloads) {
        const r = simulate(model, `${w.namespace}/pod/${w.name}`, 'kubernetes.default');
        const dnsDenied = r.steps.some((s) => s.step === 'egress-policy' && s.status === 'fail' && /DNS/.test(s.title));
        // A deny-all egress policy blocks DNS on purpose: the check is silent, the simulator says so.
        const denyAll = view.policies.some((p) => p.policyTypes.includes('Egress') && p.egress.length === 0 && p.podSelector.matchLabels.app === w.labels.app);
        assert.equal(blockedByCheck.has(w.name), dnsDenied && !denyAll, `${f.name}: ${w.name} (simulator: ${dnsDenied ? 'DNS blocked' : 'DNS allowed'})`);
      }
    }
    assert.ok(f.kind === 'quiet' || blockedByCheck.size > 0);
  }
});

test('egress-empty-list-policy-types-omitted: `egress: []` without policyTypes does not isolate egress (defaulting adds Egress only for egress rules)', () => {
  const policy = (name: string, extra: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: client}}\n${extra}`;
  const base = docs(
    dep('client', 'default', 'app: client', '{containerPort: 9000}'),
    dep('web', 'default', 'app: web', '{containerPort: 8080}'),
    svc('web', 'default', '  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n'),
  );
  const reach = (p: string) => simulate(modelOf({ 'a.yaml': docs(base, p) }), 'default/deployment/client', 'web.default');
  assert.equal(reach(policy('empty-egress', '  egress: []\n')).ok, true, 'an empty egress list adds no Egress type');
  const denied = reach(policy('deny-egress', '  policyTypes: [Ingress, Egress]\n  egress: []\n'));
  assert.equal(denied.error?.code, 'policy-denied', 'with Egress named, the empty list denies all egress');
  assert.equal(reach(policy('one-rule', '  egress: [{ports: [{port: 5432}]}]\n')).error?.code, 'policy-denied', 'one egress rule adds the Egress type');
});

// ---------------------------------------------------------------- #15 fidelity cases

const netpol = (name: string, ns: string, spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}`;

test('named-port-by-name-and-protocol: a policy port `dns-tcp`/TCP admits TCP 53 on pods that also declare `dns` 53/UDP', () => {
  const resolverWith = (policy: string, port: string) => modelOf({ 'a.yaml': docs(
    dep('client', 'default', 'app: client', '{containerPort: 9000}'),
    dep('resolver', 'default', 'app: resolver', '{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53, protocol: TCP}'),
    svc('resolver', 'default', '  selector: {app: resolver}\n  ports: [{name: dns-tcp, port: 53, protocol: TCP, targetPort: dns-tcp}]\n'),
    netpol(policy, 'default', `  podSelector: {matchLabels: {app: resolver}}\n  ingress: [{ports: [{port: ${port}, protocol: TCP}]}]\n`),
  ) });
  const r = simulate(resolverWith('tcp-dns', 'dns-tcp'), 'default/deployment/client', 'resolver:53');
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.match(detail(r, 'ingress-policy'), /allowed by NetworkPolicy tcp-dns/);
  assert.equal(simulate(resolverWith('udp-dns', 'dns'), 'default/deployment/client', 'resolver:53').error?.code, 'policy-denied', '`dns` is the UDP port: a TCP rule naming it admits nothing');
});

const outside = (svcSpec: string, policySpec: string) => modelOf({ 'a.yaml': docs(
  dep('edge', 'default', 'app: edge', '{containerPort: 8080}', '', 1),
  svc('edge', 'default', svcSpec),
  netpol('edge-in', 'default', `  podSelector: {matchLabels: {app: edge}}\n${policySpec}`),
) });

test('outside-traffic-source-address: through a NodePort with externalTrafficPolicy Cluster the pod sees the entry node (SNAT); with Local, the client', () => {
  const anywhere = '  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]\n';
  const cluster = outside('  type: NodePort\n  selector: {app: edge}\n  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]\n', anywhere);
  const nodes = simulate(cluster, 'external', 'node-1:30080');
  const viaNode = nodes.ok ? nodes : simulate(cluster, 'external', 'node-2:30080');
  assert.equal(viaNode.ok, true, JSON.stringify(viaNode.error));
  assert.match(detail(viaNode, 'ingress-policy'), /SNATs outside traffic to the node that received it/);
  assert.match(detail(viaNode, 'ingress-policy'), /simulated/, 'the node address is invented and says so');
  const local = outside('  type: NodePort\n  externalTrafficPolicy: Local\n  selector: {app: edge}\n  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]\n',
    '  ingress: [{from: [{ipBlock: {cidr: 198.51.100.0/24}}]}]\n');
  const podNode = simulationNodeOf(local);
  const allowed = simulate(local, 'external', `${podNode}:30080`, { clientIP: '198.51.100.7' });
  assert.equal(allowed.ok, true, JSON.stringify(allowed.error));
  assert.match(detail(allowed, 'ingress-policy'), /client's own address 198\.51\.100\.7: externalTrafficPolicy Local preserves it/);
  assert.equal(simulate(local, 'external', `${podNode}:30080`, { clientIP: '203.0.113.9' }).error?.code, 'policy-denied', 'another client is outside the ipBlock');
  const example = simulate(local, 'external', `${podNode}:30080`);
  assert.match(JSON.stringify(example.steps), /example/, 'without a client IP the address is labelled an example');
});

function simulationNodeOf(m: ReturnType<typeof modelOf>): string {
  const r = simulate(m, 'external', 'node-1:30080');
  return r.ok || r.error?.code === 'policy-denied' ? 'node-1' : /node-\d/.exec(r.error?.hint ?? '')?.[0] ?? 'node-1';
}

test('ipblock-not-pod-addresses: an ipBlock containing the invented pod IPs does not admit pods, and the trace says why', () => {
  const m = modelOf({ 'a.yaml': docs(
    dep('client', 'default', 'app: client', '{containerPort: 9000}'),
    dep('web', 'default', 'app: web', '{containerPort: 8080}'),
    svc('web', 'default', '  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n'),
    netpol('private-only', 'default', '  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]\n'),
  ) });
  const r = simulate(m, 'default/deployment/client', 'web');
  assert.equal(r.error?.code, 'policy-denied');
  assert.match(detail(r, 'ingress-policy'), /simulated IP 10\.244\.[\d.]+, but ipBlocks are meant for addresses outside the cluster/);
});

test('ingress-controller-is-a-pod: `namespaceSelector: {}` admits the Ingress controller; a namespace-named peer "depends"; a podSelector alone does not', () => {
  const via = (peers: string) => modelOf({ 'a.yaml': docs(
    dep('web', 'default', 'app: web', '{containerPort: 8080}'),
    svc('web', 'default', '  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n'),
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop, namespace: default}\nspec:\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n',
    netpol('web-in', 'default', `  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [${peers}]}]\n`),
  ) });
  const all = simulate(via('{namespaceSelector: {}}'), 'external', 'http://shop.example.com/');
  assert.equal(all.ok, true, JSON.stringify(all.error));
  assert.equal(step(all, 'ingress-policy')[0].status, 'ok');
  const named = simulate(via('{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}'), 'external', 'http://shop.example.com/');
  assert.equal(named.ok, true, JSON.stringify(named.error));
  assert.equal(step(named, 'ingress-policy')[0].status, 'info', 'not a ✔: it depends on where the controller runs');
  assert.match(detail(named, 'ingress-policy'), /depends: the Ingress controller runs outside the manifests: allowed by web-in if its namespace matches kubernetes\.io\/metadata\.name=ingress-nginx/);
  assert.equal(simulate(via('{podSelector: {matchLabels: {app: frontend}}}'), 'external', 'http://shop.example.com/').error?.code, 'policy-denied');
});

test('rejected-objects-not-simulated: Endpoints with 127.0.0.1 are rejected, so the Service has no endpoints (the trace says why); a rejected Service or policy does not exist', () => {
  const m = modelOf({ 'a.yaml': docs(
    dep('client', 'default', 'app: client', '{containerPort: 9000}'),
    svc('local-svc', 'default', '  ports: [{port: 80}]\n'),
    'apiVersion: v1\nkind: Endpoints\nmetadata: {name: local-svc, namespace: default}\nsubsets:\n  - addresses: [{ip: 127.0.0.1}]\n    ports: [{port: 80}]\n',
    svc('twin', 'default', '  selector: {app: client}\n  ports: [{port: 80, targetPort: 9000}, {port: 81, targetPort: 9000}]\n'),
    dep('web', 'default', 'app: web', '{containerPort: 8080}'),
    svc('web', 'default', '  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n'),
    netpol('bad-deny', 'default', '  podSelector: {}\n  policyTypes: [Ingress, Sideways]\n'),
  ) });
  const r = simulate(m, 'default/deployment/client', 'local-svc');
  assert.equal(r.error?.code, 'no-endpoints');
  assert.match(r.error!.message, /Endpoints `default\/local-svc` is rejected by the API server \(endpoints-ip-invalid: Endpoint address `127\.0\.0\.1` is a loopback address/);
  assert.ok(!JSON.stringify(r.endpoints).includes('127.0.0.1'), 'no traffic goes to the rejected address');
  const twin = simulate(m, 'default/deployment/client', 'twin:80');
  assert.equal(twin.error?.code, 'service-not-found', 'a multi-port Service without port names is rejected');
  assert.match(twin.error!.message, /port-name-required/);
  assert.equal(simulate(m, 'default/deployment/client', 'web').ok, true, 'a policy with an invalid policy type is rejected, so it isolates nothing');
});

test('no-public-suffix-nxdomain: `busybox-2.nosuch` (a hostname.subdomain name whose Service is missing) is NXDOMAIN, with the nearest cluster name as the hint', () => {
  const m = modelOf({ 'a.yaml': docs(
    dep('client', 'default', 'app: client', '{containerPort: 9000}'),
    'apiVersion: v1\nkind: Pod\nmetadata: {name: busybox2, namespace: default, labels: {name: busybox}}\nspec:\n  hostname: busybox-2\n  subdomain: busybox-subdomain\n  containers: [{name: busybox, image: busybox}]\n',
  ) });
  const r = simulate(m, 'default/deployment/client', 'busybox-2.nosuch');
  assert.equal(r.error?.code, 'nxdomain');
  assert.match(detail(r, 'dns'), /busybox-2\.nosuch → NXDOMAIN \(under no public suffix/);
  assert.match(r.error!.hint ?? '', /`busybox-2\.busybox-subdomain` \(Pod\/busybox2\), which resolves only once a headless Service `busybox-subdomain` exists/);
  const pub = simulate(m, 'default/deployment/client', 'api.example.com');
  assert.equal(pub.ok, true, 'a name under a public suffix is left to upstream DNS');
  assert.match(detail(pub, 'dns'), /api\.example\.com → upstream DNS/);
});

test('ingress-host-no-match: an outside request for a host no Ingress serves gets the controller\'s 404 listing the hosts, or the catch-all rule', () => {
  const noDefault = { ...WORKSPACE, 'ingress.yaml': WORKSPACE['ingress.yaml'].replace(/  defaultBackend: .*\n/, '') };
  const r = simulate(modelOf(noDefault), 'external', 'http://shopp.example.com/');
  assert.equal(r.error?.code, 'ingress-no-match');
  assert.match(r.error!.message, /No Ingress serves host shopp\.example\.com; the controller answers 404/);
  assert.match(r.error!.hint ?? '', /Did you mean `shop\.example\.com`\? Hosts with Ingress rules: shop\.example\.com, \*\.apps\.example\.com, strict\.example\.com/);
  const m = modelOf({ ...noDefault, 'catchall.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: catch-all, namespace: default}\nspec:\n  rules:\n    - http:\n        paths:\n          - {path: /, pathType: Prefix, backend: {service: {name: web-svc, port: {number: 80}}}}\n' });
  const caught = simulate(m, 'external', 'http://other.example.org/x');
  assert.equal(caught.ok, true, JSON.stringify(caught.error));
  assert.match(detail(caught, 'ingress'), /→ Prefix \/ → web-svc:80/);
  assert.equal(run('external', 'web-svc').error?.code, 'nxdomain', 'a cluster name is still unknown to public DNS');
});

test('statefulset-service-selects-other: `web-0.web` does not resolve when headless Service `web` selects other pods, and ksi check says why', () => {
  const files = { 'a.yaml': docs(
    dep('client', 'default', 'app: client', '{containerPort: 9000}'),
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web, namespace: default}\nspec:\n  serviceName: web\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}\n',
    dep('nginx', 'default', 'app: nginx', '{containerPort: 80}'),
    svc('web', 'default', '  clusterIP: None\n  selector: {app: nginx}\n  ports: [{port: 80}]\n'),
  ) };
  const m = modelOf(files);
  assert.equal(simulate(m, 'default/deployment/client', 'web-0.web').error?.code, 'nxdomain');
  const findings = [...m.allDiagnostics().values()].flat().filter((d) => d.code === 'pod-dns-not-selected');
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /does not select the pods of StatefulSet\/web \(it selects Deployment\/nginx\), so per-pod names like `web-0\.web` never resolve/);
  const fixed = modelOf({ 'a.yaml': files['a.yaml'].replace('selector: {app: nginx}', 'selector: {app: web}') });
  assert.equal(simulate(fixed, 'default/deployment/client', 'web-0.web').ok, true);
});

test('outside-traffic-source-address (load balancer): with externalTrafficPolicy Cluster the pod sees a node the simulation picked; with Local, the client', () => {
  const nodesOnly = '  ingress: [{from: [{ipBlock: {cidr: 172.18.0.0/16}}]}]\n';
  const files = (etp: string) => ({ 'a.yaml': docs(
    dep('edge', 'default', 'app: edge', '{containerPort: 8080}', '', 1),
    `apiVersion: v1\nkind: Service\nmetadata: {name: edge, namespace: default}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: ${etp}\n  selector: {app: edge}\n  ports: [{port: 80, targetPort: 8080}]\nstatus:\n  loadBalancer: {ingress: [{ip: 203.0.113.50}]}\n`,
    netpol('edge-in', 'default', `  podSelector: {matchLabels: {app: edge}}\n${nodesOnly}`),
  ) });
  const cluster = simulate(modelOf(files('Cluster')), 'external', 'http://203.0.113.50/', { clientIP: '198.51.100.7' });
  assert.equal(cluster.ok, true, JSON.stringify(cluster.error));
  assert.match(detail(cluster, 'ingress-policy'), /node-\d \(simulated, picked by the simulation\): externalTrafficPolicy Cluster SNATs/);
  const local = simulate(modelOf(files('Local')), 'external', 'http://203.0.113.50/', { clientIP: '198.51.100.7' });
  assert.equal(local.error?.code, 'policy-denied', 'Local keeps the client address, which the node-only ipBlock does not admit');
});
