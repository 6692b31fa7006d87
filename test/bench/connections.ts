// Benchmark input for `ksi connections`: many workloads across namespaces and NetworkPolicies
// of every peer and port shape (pod and namespace selectors, ipBlocks with excepts, named
// ports, port ranges, egress), from a seeded generator.
import { ClusterModel, connectionsOf } from '../../server/src/model';
import { rng } from './generate';

export function connectionsWorkspace(workloads: number, policies: number, seed = 7): ClusterModel {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const namespaces = Math.max(1, Math.round(workloads / 50));
  const tiers = ['web', 'api', 'db', 'cache', 'batch'];
  const docs: string[] = [];
  for (let n = 0; n < namespaces; n++) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns-${n}, labels: {team: team-${n % 7}, env: ${n % 2 ? 'prod' : 'dev'}}}\n`);
  for (let i = 0; i < workloads; i++) {
    const tier = pick(tiers);
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}, namespace: ns-${i % namespaces}}\nspec:\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}, tier: ${tier}, shard: s${i % 13}}}\n    spec: {containers: [{name: main, image: x, ports: [{name: http, containerPort: ${8000 + (i % 50)}}, {name: metrics, containerPort: 9090}, {name: dns, containerPort: 53, protocol: UDP}]}]}\n`);
  }
  for (let p = 0; p < policies; p++) {
    const ns = `ns-${p % namespaces}`;
    const peers = () => pick([
      `{podSelector: {matchLabels: {tier: ${pick(tiers)}}}}`,
      `{namespaceSelector: {matchLabels: {team: team-${Math.floor(random() * 7)}}}}`,
      `{namespaceSelector: {matchLabels: {env: prod}}, podSelector: {matchExpressions: [{key: tier, operator: In, values: [${pick(tiers)}, ${pick(tiers)}]}]}}`,
      `{ipBlock: {cidr: ${10 + Math.floor(random() * 100)}.0.0.0/8, except: [${10 + Math.floor(random() * 100)}.${Math.floor(random() * 256)}.0.0/16]}}`,
      '{namespaceSelector: {}}',
    ]);
    const ports = () => pick(['[{port: http}]', '[{port: 9090}]', '[{port: 8000, endPort: 8025}]', '[{port: dns, protocol: UDP}]', '[]']);
    const rules = (n: number) => Array.from({ length: n }, () => `    - from: [${peers()}, ${peers()}]\n      ports: ${ports()}\n`).join('');
    const egress = random() < 0.3 ? `  egress:\n${rules(1 + Math.floor(random() * 2)).replace(/from:/g, 'to:')}` : '';
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: pol-${p}, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {tier: ${pick(tiers)}}}\n  policyTypes: [Ingress${egress ? ', Egress' : ''}]\n  ingress:\n${rules(1 + Math.floor(random() * 3))}${egress}`);
  }
  const model = new ClusterModel();
  const perFile = 200;
  for (let f = 0; f * perFile < docs.length; f++) model.update(`file:///bench/connections-${f}.yaml`, docs.slice(f * perFile, (f + 1) * perFile).join('---\n'));
  model.allDiagnostics();
  return model;
}

/** Milliseconds for the whole matrix as JSON (the model already built and checked), and its size. */
export function timeConnections(model: ClusterModel, runs: number): { times: number[]; connections: number; jsonMB: number } {
  const times: number[] = [];
  let connections = 0;
  let jsonMB = 0;
  for (let i = 0; i < runs; i++) {
    // A new model version each run: the matrix is computed afresh, not taken from the cache.
    model.update('file:///bench/connections-touch.yaml', `# run ${i}\n`);
    model.allDiagnostics();
    const t = performance.now();
    const r = connectionsOf(model);
    const json = JSON.stringify(r);
    times.push(performance.now() - t);
    connections = r.connections.length;
    jsonMB = Math.round((json.length / 2 ** 20) * 10) / 10;
  }
  return { times, connections, jsonMB };
}
