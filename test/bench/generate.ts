// A seeded generator of realistic workspaces for the benchmark: namespaces, Deployments,
// StatefulSets and DaemonSets with labels and named ports, about one Service per workload
// (every type), Ingresses, NetworkPolicies, containers that call other workloads' Services
// through env values (URLs, host:port, bare names, other namespaces), spread over files of
// 1–30 documents, with a few real mistakes so diagnostics have work to do.

export { seededRandom as rng } from '../../server/src/model/random';
import { seededRandom as rng } from '../../server/src/model/random';

const TIERS = ['web', 'api', 'worker', 'db', 'cache'];
const TEAMS = ['payments', 'search', 'identity', 'catalog', 'platform'];

export interface Generated {
  files: Map<string, string>;
  objects: number;
  namespaces: string[];
}

export interface GenerateOptions {
  /** Whether the env values that address other Services are written as addresses (the
   *  default) or as plain words of the same shape: the same workspace without its calls. */
  calls?: boolean;
}

export function generateWorkspace(targetObjects: number, seed = 42, options: GenerateOptions = {}): Generated {
  const r = rng(seed);
  // Calls draw from their own sequence, so the rest of the workspace is the same with or
  // without them.
  const rc = rng(seed + 1);
  const callees = new Map<string, string[]>();
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const nsCount = Math.max(2, Math.round(targetObjects / 400));
  const namespaces = Array.from({ length: nsCount }, (_, i) => `team-${i}`);
  const docs: { ns: string; text: string }[] = namespaces.map((ns) => ({
    ns, text: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    team: ${pick(TEAMS)}\n`,
  }));
  let objects = docs.length;
  let nodePort = 30000;
  for (let i = 0; objects < targetObjects; i++) {
    const ns = pick(namespaces);
    const name = `app-${i}`;
    const tier = pick(TIERS);
    const roll = r();
    const kind = roll < 0.85 ? 'Deployment' : roll < 0.95 ? 'StatefulSet' : 'DaemonSet';
    const mistake = r() < 0.01;
    const labels = `app: ${name}\n        tier: ${tier}\n        team: ${pick(TEAMS)}`;
    const env = callEnv(rc, ns, namespaces, callees, options.calls ?? true);
    docs.push({ ns, text: `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
${kind === 'DaemonSet' ? '' : `  replicas: ${1 + Math.floor(r() * 4)}\n`}${kind === 'StatefulSet' ? `  serviceName: ${name}-headless\n` : ''}  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        ${labels}
    spec:
      containers:
        - name: main
          image: registry.example.com/${name}:1.${i % 20}
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
${env}` });
    objects++;
    const typeRoll = r();
    const type = typeRoll < 0.8 ? 'ClusterIP' : typeRoll < 0.9 ? 'NodePort' : typeRoll < 0.97 ? 'LoadBalancer' : 'ExternalName';
    if (type === 'ExternalName') {
      docs.push({ ns, text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}-ext\n  namespace: ${ns}\nspec:\n  type: ExternalName\n  externalName: ${name}.partner.example.com\n` });
    } else {
      callees.set(ns, [...(callees.get(ns) ?? []), name]);
      docs.push({ ns, text: `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  type: ${type}
  selector:
    app: ${mistake ? `${name}x` : name}
  ports:
    - name: http
      port: 80
      targetPort: ${mistake && r() < 0.5 ? 'htp' : 'http'}${type !== 'ClusterIP' && r() < 0.5 && nodePort < 32767 ? `\n      nodePort: ${nodePort++}` : ''}
    - name: metrics
      port: 9090
      targetPort: metrics
` });
    }
    objects++;
    if (kind === 'StatefulSet') {
      docs.push({ ns, text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}-headless\n  namespace: ${ns}\nspec:\n  clusterIP: None\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 8080\n` });
      objects++;
    }
    if (r() < 0.1) {
      docs.push({ ns, text: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  rules:
    - host: ${name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${name}
                port:
                  number: ${mistake ? 8080 : 80}
` });
      objects++;
    }
    if (r() < 0.12) {
      docs.push({ ns, text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}-ingress
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app: ${name}
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: web
        - namespaceSelector:
            matchLabels:
              team: ${pick(TEAMS)}
      ports:
        - port: http
` });
      objects++;
    }
  }
  // Group into files of 1–30 documents, per namespace folder.
  const files = new Map<string, string>();
  const byNs = new Map<string, string[]>();
  for (const d of docs) byNs.set(d.ns, [...(byNs.get(d.ns) ?? []), d.text]);
  for (const [ns, texts] of byNs) {
    let i = 0;
    let fileNo = 0;
    while (i < texts.length) {
      const n = 1 + Math.floor(r() * 30);
      files.set(`${ns}/manifests-${fileNo++}.yaml`, texts.slice(i, i + n).join('---\n'));
      i += n;
    }
  }
  return { files, objects, namespaces };
}

/** A container's env: a log level, and for about half the workloads one to three calls to
 *  Services declared before it (mostly in its namespace), in the forms configurations use; one
 *  call in a hundred uses the container port instead of the Service port. */
function callEnv(r: () => number, ns: string, namespaces: string[], callees: Map<string, string[]>, asAddresses: boolean): string {
  const lines = ['            - name: LOG_LEVEL', '              value: info'];
  const count = r() < 0.5 ? 1 + Math.floor(r() * 3) : 0;
  for (let c = 0; c < count; c++) {
    const otherNs = r() < 0.2 ? namespaces[Math.floor(r() * namespaces.length)] : ns;
    const names = callees.get(otherNs) ?? [];
    if (!names.length) continue;
    const target = names[Math.floor(r() * names.length)];
    const host = otherNs === ns ? target : r() < 0.5 ? `${target}.${otherNs}` : `${target}.${otherNs}.svc.cluster.local`;
    const form = Math.floor(r() * 4);
    const port = r() < 0.01 ? 8080 : 80;
    const [key, value] = form === 0 ? [`UPSTREAM_${c}_URL`, `http://${host}${port === 80 ? '' : `:${port}`}/api/v1`]
      : form === 1 ? [`UPSTREAM_${c}_ADDR`, `${host}:${port}`]
      : form === 2 ? [`UPSTREAM_${c}_HOST`, host]
      : [`METRICS_${c}_ENDPOINT`, `http://${host}:9090/metrics`];
    // Without calls: a word of the same length where the address was.
    lines.push(`            - name: ${key}`, `              value: "${asAddresses ? value : 'x'.repeat(value.length)}"`);
  }
  return `          env:\n${lines.join('\n')}\n`;
}
