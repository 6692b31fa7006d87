// Plays one request (or N) through the model: DNS, egress policy, Ingress, Service port,
// endpoint choice and balancing, ingress policy (SEMANTICS §4–§8). Pure and deterministic.
import { objectRange, type K8sObject } from '../parse';
import type { ClusterModel } from '../model';
import { hash32, parseIPv4 } from '../net';
import { backendServicePort, hasSelector, IngressBackend, IngressInfo, PodTemplate, ServiceInfo, ServicePort } from '../objects';
import { PodInstance, simulationOf } from '../simulated';
import { closest } from '../suggest';
import { describeService, nodeIdOf, workloadId } from '../views';
import { resolve, resolvConfOf, suggestName, underPublicSuffix } from './dns';
import { dnsEgress, evaluate, Party, policyScopeOf, PolicyVerdict } from './policy';
import { seededRandom } from '../random';
import { rejectedText, rejectionOf } from './admitted';

export type SimErrorCode =
  | 'nxdomain' | 'service-not-found' | 'port-not-found' | 'no-endpoints' | 'target-port-unresolved'
  | 'policy-denied' | 'ingress-no-match' | 'invalid-source' | 'invalid-target';

export type StepStatus = 'ok' | 'fail' | 'info' | 'skip';

export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
  uri: string;
  line: number;
  /** Its node in the topology. */
  nodeId: string;
}

export interface TraceStep {
  step: 'source' | 'dns' | 'egress-policy' | 'ingress' | 'service-port' | 'endpoints' | 'ingress-policy' | 'destination';
  title: string;
  status: StepStatus;
  details: string[];
  objects: ObjectRef[];
}

export interface SimEndpoint {
  pod: string | null;
  workload: string | null;
  /** The workload's node in the topology. */
  workloadNode: string | null;
  ip: string | null;
  port: number | null;
  node: string | null;
  simulated: boolean;
}

export interface SimulationResult {
  ok: boolean;
  error: { code: SimErrorCode; message: string; hint: string | null } | null;
  source: { kind: 'pod' | 'external' | 'node'; label: string; namespace: string | null; ip: string | null; node: string | null };
  target: { input: string; scheme: string | null; host: string; port: number; path: string };
  fqdn: string | null;
  service: string | null;
  endpoints: SimEndpoint[];
  distribution: { endpoint: string; count: number }[];
  steps: TraceStep[];
  requests: number;
  note: string;
}

export interface SimulateOptions {
  requests?: number;
  clientIP?: string;
  seed?: number;
  proxyMode?: 'iptables' | 'ipvs';
}

const SOURCE_KINDS: Record<string, string> = {
  pod: 'Pod', deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet', replicaset: 'ReplicaSet',
  job: 'Job', cronjob: 'CronJob', replicationcontroller: 'ReplicationController',
};

class Failure extends Error {
  constructor(readonly code: SimErrorCode, message: string, readonly hint: string | null = null) {
    super(message);
  }
}

/** An object's reference, made once per object (a call's verdict plays thousands of requests). */
const refs = new WeakMap<K8sObject, ObjectRef>();
function ref(o: K8sObject): ObjectRef {
  let r = refs.get(o);
  if (!r) refs.set(o, (r = Object.freeze({ kind: o.kind, namespace: o.namespace, name: o.name ?? "", uri: o.uri, line: objectRange(o).start.line, nodeId: nodeIdOf(o) })));
  return r;
}

/** Every source a simulation accepts, for `--from` help and pickers. */
export function sourceCandidates(model: ClusterModel): string[] {
  const out = ['external', ...simulationOf(model).nodes.map((n) => `node/${n.name}`)];
  for (const v of model.views()) for (const w of v.workloads) out.push(`${w.namespace}/${w.kind.toLowerCase()}/${w.name}`);
  return out;
}

/** A client offered for a request to a given target, and whether it gets there. */
export interface SourceChoice {
  source: string;
  reaches: boolean;
  /** Why not (the simulator's error code), or that it was not tried. */
  note: string;
}

/** Bound on the simulations one offer runs (pods of the target's namespace are tried first). */
const SOURCES_TRIED = 60;

/** The clients worth offering for a request to `to`, those that reach it first: pods in the
 *  target's namespace, then pods elsewhere; external and node clients only when they reach it
 *  (a ClusterIP Service is no choice for them). */
export function sourcesToward(model: ClusterModel, to: string): SourceChoice[] {
  const host = to.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/:]/)[0];
  const named = host.split('.')[1];
  const namespace = named && model.views().some((v) => v.name === named) ? named : model.settings.defaultNamespace;
  const all = sourceCandidates(model);
  const pods = all.filter((c) => c.includes('/') && !c.startsWith('node/'));
  const ordered = [...all.filter((c) => !pods.includes(c)), ...pods.filter((c) => c.startsWith(`${namespace}/`)), ...pods.filter((c) => !c.startsWith(`${namespace}/`))];
  const out: SourceChoice[] = [];
  ordered.forEach((source, i) => {
    if (i >= SOURCES_TRIED + all.length - pods.length) {
      out.push({ source, reaches: false, note: 'not tried' });
      return;
    }
    const r = simulate(model, source, to);
    const isPod = pods.includes(source);
    if (r.ok || isPod) out.push({ source, reaches: r.ok, note: r.ok ? 'reaches it' : r.error?.code ?? 'fails' });
  });
  // Stable: within reaching and failing, the namespace order above stays.
  return [...out.filter((c) => c.reaches), ...out.filter((c) => !c.reaches)];
}

interface Source {
  kind: 'pod' | 'external' | 'node';
  label: string;
  pod?: PodInstance;
  workload?: PodTemplate;
  ip?: string;
  node?: string;
}

function parseSource(model: ClusterModel, from: string, clientIP?: string): Source {
  const sim = simulationOf(model);
  if (from === 'external') return { kind: 'external', label: 'an external client', ip: clientIP ?? '203.0.113.10' };
  const nodeMatch = /^node\/(.+)$/.exec(from);
  if (nodeMatch) {
    const node = sim.nodes.find((n) => n.name === nodeMatch[1]);
    if (!node) throw new Failure('invalid-source', `No node ${nodeMatch[1]}; the simulation has ${sim.nodes.map((n) => n.name).join(', ')}.`, 'Nodes are simulated (setting nodes).');
    return { kind: 'node', label: `node ${node.name}`, ip: node.ip, node: node.name };
  }
  const parts = from.split('/');
  const [ns, kindRaw, name] = parts.length === 3 ? parts : parts.length === 2 ? [model.settings.defaultNamespace, ...parts] : [];
  const kind = kindRaw ? SOURCE_KINDS[kindRaw.toLowerCase()] : undefined;
  const w = kind ? model.view(ns).workloads.find((x) => x.kind === kind && x.name === name) : undefined;
  if (!w) {
    const cands = sourceCandidates(model);
    const guess = closest(from, cands);
    throw new Failure('invalid-source', `Unknown source \`${from}\`. Use external, node/<name>, or <namespace>/<kind>/<name>.`,
      guess ? `Did you mean \`${guess}\`?` : `Sources: ${cands.slice(0, 12).join(', ')}${cands.length > 12 ? ', …' : ''}`);
  }
  const rejected = rejectionOf(model, w.obj);
  if (rejected) throw new Failure('invalid-source', `${rejectedText(w.obj, rejected)}: it has no pods to send from.`, 'Fix the error ksi check reports on it.');
  const pod = sim.podsOf(w)[0];
  if (!pod) throw new Failure('invalid-source', `${workloadId(w)} has no pods (replicas: 0).`, 'Scale it up, or pick another source.');
  return { kind: 'pod', label: `pod ${pod.name} of ${workloadId(w)}`, pod, workload: w, ip: pod.ip, node: pod.node.name };
}

function parseTarget(to: string): { scheme: string | null; host: string; port: number | null; path: string } {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?(\/[^?#]*)?(?:[?#].*)?$/.exec(to.trim());
  if (!m || !m[2]) throw new Failure('invalid-target', `\`${to}\` is not a URL or host[:port][/path].`, 'For example web-svc.default:80/api or http://shop.example.com/cart');
  const port = m[3] !== undefined ? Number(m[3]) : null;
  if (port !== null && (port < 1 || port > 65535)) throw new Failure('invalid-target', `Port ${port} is outside 1–65535.`);
  return { scheme: m[1] ?? null, host: m[2].toLowerCase(), port, path: m[4] ?? '/' };
}

class Trace {
  readonly steps: TraceStep[] = [];
  add(step: TraceStep['step'], title: string, status: StepStatus, details: string[] = [], objects: ObjectRef[] = []) {
    this.steps.push({ step, title, status, details, objects });
  }
}

interface Destination {
  endpoints: { pod: PodInstance | null; ip: string; port: number; node: string | null; workload: PodTemplate | null }[];
  service: ServiceInfo | null;
  protocol: string;
  /** Client-side choice (headless Service, pod name): no kube-proxy. */
  clientSide: boolean;
  /** externalTrafficPolicy Local: only endpoints on this node (the one that received it). */
  localNode?: string;
  /** Arrived through an Ingress controller (outside the manifests). */
  viaIngress?: boolean;
  /** The node outside traffic entered by (NodePort, or the node a load balancer picked). */
  entry?: { node: string; ip: string; pickedBySimulation: boolean };
}

export function simulate(model: ClusterModel, from: string, to: string, options: SimulateOptions = {}): SimulationResult {
  const trace = new Trace();
  const requests = Math.max(1, Math.min(100_000, Math.floor(options.requests ?? 1)));
  const result: SimulationResult = {
    ok: false, error: null,
    source: { kind: 'external', label: from, namespace: null, ip: null, node: null },
    target: { input: to, scheme: null, host: '', port: 0, path: '/' },
    fqdn: null, service: null, endpoints: [], distribution: [], steps: trace.steps, requests,
    note: 'Pod names, pod IPs, cluster IPs, node ports and node placement not fixed by the manifests are simulated.',
  };
  try {
    const src = parseSource(model, from, options.clientIP);
    result.source = { kind: src.kind, label: src.label, namespace: src.workload?.namespace ?? null, ip: src.ip ?? null, node: src.node ?? null };
    trace.add('source', `From ${src.label}`, 'ok', [
      src.ip ? `client IP ${src.ip}${src.kind === 'pod' ? ' (simulated)' : options.clientIP ? '' : ' (example address)'}` : '',
      src.node ? `on ${src.node}${src.kind === 'pod' ? ' (simulated placement)' : ''}` : '',
    ].filter(Boolean), src.workload ? [ref(src.workload.obj)] : []);
    const target = parseTarget(to);
    result.target = { input: to, scheme: target.scheme, host: target.host, port: target.port ?? 0, path: target.path };
    const dest = route(model, src, target, trace, result);
    if (dest) deliver(model, src, dest, trace, result, options, requests);
    result.ok = true;
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    result.error = { code: e.code, message: e.message, hint: e.hint };
    result.ok = false;
  }
  return result;
}

function defaultPort(scheme: string | null, svc?: ServiceInfo): { port: number; why: string } {
  if (scheme === 'https') return { port: 443, why: 'https' };
  if (scheme === 'http') return { port: 80, why: 'http' };
  if (svc && svc.ports.length === 1 && svc.ports[0].port) return { port: svc.ports[0].port, why: 'the Service\'s only port' };
  return { port: 80, why: 'default' };
}

/** Steps up to the Service (or pod): DNS, egress for DNS, Ingress. Returns where the request goes. */
function route(model: ClusterModel, src: Source, target: ReturnType<typeof parseTarget>, trace: Trace, result: SimulationResult): Destination | null {
  const sim = simulationOf(model);
  const host = target.host;
  const ip = parseIPv4(host) !== undefined ? host : undefined;
  const setPort = (p: number) => { result.target.port = p; return p; };

  if (src.kind === 'external') {
    if (ip) return routeExternalIP(model, ip, target, trace, result);
    // Public DNS knows Ingress hosts and load-balancer hostnames, nothing inside the cluster.
    const ing = matchIngressHost(model, host);
    if (ing.length) {
      trace.add('dns', `Public DNS: ${host}`, 'ok', [`${host} → the Ingress controller's address (outside the manifests)`]);
      return routeIngress(model, ing, target, trace, result);
    }
    const lb = model.views().flatMap((v) => [...v.services.values()]).find((s) => s.loadBalancerAddresses.includes(host));
    if (lb) {
      trace.add('dns', `Public DNS: ${host}`, 'ok', [`${host} is the load balancer of Service ${lb.namespace}/${lb.name}`], [ref(lb.obj)]);
      return enteredByLoadBalancer(model, lb, servicePortStep(model, lb, target.port ?? defaultPort(target.scheme, lb).port, 'port', trace, result, setPort));
    }
    const node = sim.nodes.find((n) => n.name === host);
    if (node) {
      trace.add('dns', `Resolve ${host}`, 'ok', [`${host} → ${node.ip} (simulated node; assumes the client can resolve node names)`]);
      return routeNodePort(model, node, target.port ?? 0, trace, result, setPort);
    }
    if (underPublicSuffix(host)) {
      const ingresses = model.views().flatMap((v) => v.ingresses).filter((i) => !rejectionOf(model, i.obj));
      if (ingresses.length) return routeUnknownHost(model, ingresses, target, trace, result);
    }
    trace.add('dns', `Public DNS: ${host}`, 'fail', ['cluster names (Services, pods) are private: public DNS does not know them']);
    const svcHint = suggestName(model, host, undefined);
    throw new Failure('nxdomain', `${host} does not resolve for an external client.`,
      svcHint ? `Services are reachable from outside only through an Ingress host, a LoadBalancer address or a NodePort (\`${svcHint}\` is internal).` : 'Use an Ingress host, a LoadBalancer address or <nodeIP>:<nodePort>.');
  }

  if (ip) {
    trace.add('dns', 'No DNS lookup', 'skip', [`${ip} is an address`]);
    const svc = model.views().flatMap((v) => [...v.services.values()]).find((s) => sim.clusterIP(s).ip === ip || s.externalIPs.includes(ip));
    if (svc) {
      trace.add('dns', `${ip} is the cluster IP of Service ${svc.namespace}/${svc.name}`, 'info', sim.clusterIP(svc).simulated ? ['cluster IP simulated'] : [], [ref(svc.obj)]);
      return servicePortStep(model, svc, target.port ?? defaultPort(target.scheme, svc).port, 'port', trace, result, setPort);
    }
    const node = sim.nodes.find((n) => n.ip === ip);
    if (node) return routeNodePort(model, node, target.port ?? 0, trace, result, setPort);
    const pod = podByIP(model, ip);
    if (pod) return podDestination(pod, target.port ?? defaultPort(target.scheme).port, trace, setPort);
    trace.add('destination', `${ip} is outside the cluster`, 'info', ['not a Service, pod or node address of the model']);
    return externalDestination(ip, target.port ?? defaultPort(target.scheme).port, setPort);
  }

  if (src.kind === 'node') {
    trace.add('dns', `Resolve ${host} on ${src.node}`, 'fail', ['a node resolves names with its own resolver, which does not know cluster names']);
    throw new Failure('nxdomain', `${host} does not resolve on a node (nodes do not use cluster DNS).`, 'From a node, use the Service\'s cluster IP or <nodeIP>:<nodePort>.');
  }

  // A pod: its resolv.conf, then every name tried in order.
  const w = src.workload!;
  const conf = resolvConfOf(model.settings, w);
  const dnsIP = sim.dnsServiceIP;
  if (conf.clusterDns) {
    const verdict = dnsEgress(policyScopeOf(model), w, model.settings);
    if (!verdict.allowed) {
      trace.add('egress-policy', 'DNS query to cluster DNS (UDP 53)', 'fail', [
        `egress from ${workloadId(w)} is isolated by ${verdict.isolating.map((p) => p.name).join(', ')}`, 'no egress rule allows UDP 53 to kube-dns',
        ...verdict.caveats.map((c) => `note: ${c}`),
      ], [ref(w.obj), ...verdict.isolating.map((p) => ref(p.obj))]);
      throw new Failure('policy-denied', `NetworkPolicy blocks DNS: ${workloadId(w)} may not send UDP 53 to cluster DNS, so ${host} cannot be resolved.`,
        'Add an egress rule allowing UDP and TCP port 53 (to namespace kube-system, k8s-app: kube-dns).');
    }
    if (verdict.isolating.length) trace.add('egress-policy', 'DNS query to cluster DNS (UDP 53)', policyStatus([verdict], true), policyDetails([verdict]), [ref(w.obj), ...verdict.isolating.map((p) => ref(p.obj))]);
  }
  const { queries, answer } = resolve(model, host, conf);
  const lines = [
    `resolv.conf: search ${conf.searches.join(' ') || '(none)'} · options ndots:${conf.ndots} · nameserver ${conf.clusterDns ? `${dnsIP} (cluster DNS)` : 'node resolver'} — ${conf.why}`,
    ...queries.map((q) => `${q.name} → ${q.answer ? answerText(q.answer) : `NXDOMAIN${upstreamNote(model, q.name)}`}`),
  ];
  if (!answer) {
    trace.add('dns', `Resolve ${host}`, 'fail', lines);
    throw new Failure('nxdomain', `${host} does not resolve from namespace ${w.namespace}.`, nxdomainHint(model, host, w.namespace));
  }
  const fq = queries[queries.length - 1].name;
  trace.add('dns', `Resolve ${host}`, 'ok', lines, answer.type === 'service' || answer.type === 'cname' ? [ref(answer.service.obj)] : []);
  result.fqdn = answer.type === 'external' ? answer.name : fq;
  switch (answer.type) {
    case 'cname': {
      result.service = `${answer.service.namespace}/${answer.service.name}`;
      admittedService(model, answer.service, trace);
      const port = setPort(target.port ?? defaultPort(target.scheme).port);
      trace.add('destination', `CNAME → ${answer.target}`, 'info', [`ExternalName Service: the client connects to ${answer.target}:${port} outside the cluster (not simulated further; ports are not remapped)`], [ref(answer.service.obj)]);
      return externalDestination(answer.target, port, setPort, true);
    }
    case 'service':
      if (answer.service.headless) {
        result.service = `${answer.service.namespace}/${answer.service.name}`;
        return headlessDestination(model, answer.service, target.port ?? defaultPort(target.scheme, answer.service).port, trace, setPort);
      }
      return servicePortStep(model, answer.service, target.port ?? defaultPort(target.scheme, answer.service).port, 'port', trace, result, setPort);
    case 'pod':
      return podDestination(answer.pod, target.port ?? defaultPort(target.scheme).port, trace, setPort);
    case 'pod-ip': {
      const pod = podByIP(model, answer.ip);
      if (pod) return podDestination(pod, target.port ?? defaultPort(target.scheme).port, trace, setPort);
      return externalDestination(answer.ip, target.port ?? defaultPort(target.scheme).port, setPort);
    }
    case 'external':
      trace.add('destination', `${answer.name} is outside the cluster`, 'info', ['answered by upstream DNS (not simulated)']);
      return externalDestination(answer.name, target.port ?? defaultPort(target.scheme).port, setPort);
  }
}

/** Pod and workload names first (a common confusion), then the nearest Service name. */
function nxdomainHint(model: ClusterModel, host: string, namespace: string): string | null {
  const first = host.split('.')[0];
  const sim = simulationOf(model);
  for (const v of model.views()) {
    // `hostname.subdomain` of a pod: the name exists only when the subdomain Service does.
    const named = v.workloads.find((x) => x.hostname === first && x.subdomain);
    if (named) {
      const exists = v.services.get(named.subdomain!)?.headless;
      const name = `${named.hostname}.${named.subdomain}${v.name === namespace ? '' : `.${v.name}`}`;
      return exists ? `Did you mean \`${name}\`?` : `The nearest cluster name is \`${name}\` (${workloadId(named)}), which resolves only once a headless Service \`${named.subdomain}\` exists in ${v.name}.`;
    }
  }
  for (const v of model.views()) {
    for (const x of v.workloads) {
      const pod = sim.podsOf(x).find((p) => p.name === first);
      if (!pod && x.name !== first) continue;
      const headless = x.kind === 'StatefulSet' && x.serviceName && v.services.get(x.serviceName)?.headless;
      return `Pod and workload names are not DNS names${pod && headless ? `; this pod is \`${pod.name}.${x.serviceName}${v.name === namespace ? '' : `.${v.name}`}\`` : '; use a Service name'}.`;
    }
  }
  const guess = suggestName(model, host, namespace);
  return guess ? `Did you mean \`${guess}\`?` : null;
}

/** Why upstream DNS does not answer a name outside the cluster domain. */
function upstreamNote(model: ClusterModel, name: string): string {
  if (name.endsWith(`.${model.settings.clusterDomain}`) || !name.includes('.')) return '';
  return underPublicSuffix(name) ? '' : ' (under no public suffix: upstream DNS cannot answer it; a private zone of your resolver is not modelled)';
}

function answerText(a: NonNullable<ReturnType<typeof resolve>['answer']>): string {
  switch (a.type) {
    case 'service': return `A ${a.ips.join(', ')}${a.simulated ? ' (simulated)' : ''}${a.service.headless ? ' (headless: pod IPs)' : ''}`;
    case 'cname': return `CNAME ${a.target}`;
    case 'pod': return `A ${a.ip} (pod ${a.pod.name}, simulated)`;
    case 'pod-ip': return `A ${a.ip}`;
    case 'external': return 'upstream DNS (a public name: its answer is not simulated)';
  }
}

function podByIP(model: ClusterModel, ip: string): PodInstance | undefined {
  const sim = simulationOf(model);
  for (const v of model.views()) for (const w of v.workloads) for (const p of sim.podsOf(w)) if (p.ip === ip) return p;
  return undefined;
}

function externalDestination(host: string, port: number, setPort: (p: number) => number, viaCname = false): Destination {
  setPort(port);
  return { endpoints: [{ pod: null, ip: host, port, node: null, workload: null }], service: null, protocol: 'TCP', clientSide: viaCname };
}

function podDestination(pod: PodInstance, port: number, trace: Trace, setPort: (p: number) => number): Destination {
  setPort(port);
  const cp = pod.workload.ports.find((p) => p.containerPort === port);
  trace.add('destination', `Directly to pod ${pod.name}`, 'info', [`no Service: no load balancing${cp ? '' : `; port ${port} is not a declared container port`}`], [ref(pod.workload.obj)]);
  return { endpoints: [{ pod, ip: pod.ip ?? '?', port, node: pod.node.name, workload: pod.workload }], service: null, protocol: 'TCP', clientSide: true };
}

function headlessDestination(model: ClusterModel, svc: ServiceInfo, port: number, trace: Trace, setPort: (p: number) => number): Destination {
  setPort(port);
  admittedService(model, svc, trace);
  const sp = svc.ports.find((p) => p.port === port);
  const res = model.view(svc.namespace).resolve(svc);
  const sim = simulationOf(model);
  trace.add('service-port', `Headless Service ${svc.namespace}/${svc.name}`, 'info', [
    'DNS returned the pod IPs; the client connects to one of them directly (no kube-proxy, no port remapping)',
    sp ? `port ${port} is Service port ${sp.name ?? sp.port} (documentation only for headless Services)` : `port ${port} is used as is`,
  ], [ref(svc.obj)]);
  const endpoints = res.workloads.filter((w) => !rejectionOf(model, w.obj)).flatMap((w) => sim.podsSelectedBy(w, svc.selector).filter((p) => p.ip).map((p) => ({
    pod: p, ip: p.ip!, port, node: p.node.name, workload: w,
  })));
  if (!endpoints.length) throw new Failure('no-endpoints', `Headless Service ${svc.namespace}/${svc.name} has no ready pods.`);
  return { endpoints, service: svc, protocol: sp?.protocol ?? 'TCP', clientSide: true };
}

/** Service port lookup (by port, or by nodePort), then the endpoints it offers. */
function servicePortStep(model: ClusterModel, svc: ServiceInfo, port: number, by: 'port' | 'nodePort', trace: Trace, result: SimulationResult, setPort: (p: number) => number, node?: string): Destination {
  setPort(port);
  result.service = `${svc.namespace}/${svc.name}`;
  admittedService(model, svc, trace);
  const sim = simulationOf(model);
  const sp: ServicePort | undefined = by === 'port'
    ? svc.ports.find((p) => p.port === port)
    : svc.ports.find((p) => sim.nodePort(svc, p).port === port);
  const list = svc.ports.map((p) => (by === 'port' ? `${p.port}${p.name ? ` (${p.name})` : ''}` : `${sim.nodePort(svc, p).port}`)).join(', ') || 'none';
  if (svc.type === 'ExternalName') {
    trace.add('service-port', `ExternalName Service ${svc.namespace}/${svc.name}`, 'info', [`CNAME to ${svc.externalName}`], [ref(svc.obj)]);
    return externalDestination(svc.externalName ?? '?', port, setPort, true);
  }
  if (!sp) {
    trace.add('service-port', `Service ${svc.namespace}/${svc.name}: ${by} ${port}`, 'fail', [`its ${by === 'port' ? 'ports' : 'node ports'} are ${list}`], [ref(svc.obj)]);
    const viaTarget = by === 'port'
      ? model.view(svc.namespace).servicePortLandingOn(svc, port)
      : undefined;
    throw new Failure('port-not-found', `Port ${port} is not a ${by === 'port' ? 'port' : 'nodePort'} of ${svc.namespace}/${svc.name}; its ${by === 'port' ? 'ports' : 'node ports'} are ${list}.`,
      viaTarget ? `${port} is the targetPort; connect to the Service port ${viaTarget.port}.` : null);
  }
  trace.add('service-port', `Service ${svc.namespace}/${svc.name}: ${by} ${port}`, 'ok', [
    `${by === 'nodePort' ? `nodePort ${port} → ` : ''}port ${sp.port}${sp.name ? ` (${sp.name})` : ''}/${sp.protocol} → targetPort ${sp.targetPort}`,
    by === 'port' && !svc.headless ? `cluster IP ${sim.clusterIP(svc).ip}${sim.clusterIP(svc).simulated ? ' (simulated)' : ''}` : '',
  ].filter(Boolean), [ref(svc.obj)]);
  const view = describeService(model, svc);
  const index = svc.ports.indexOf(sp);
  const res = model.view(svc.namespace).resolve(svc);
  const endpoints = view.endpoints.filter((e) => e.ready).map((e) => ({
    pod: e.pod ? findPod(model, svc, e.pod) : null,
    ip: e.ip ?? '?',
    port: e.ports[index]?.port ?? (hasSelector(svc) ? null : sp.targetPort as number),
    node: e.node,
    workload: e.workload ? res.workloads.find((w) => workloadId(w) === e.workload) ?? null : null,
  }));
  const { kept, lines } = admittedEndpoints(model, svc, endpoints);
  if (lines.length) trace.add('endpoints', 'Rejected objects left out', 'info', lines);
  const resolved = kept.filter((e): e is typeof e & { port: number } => typeof e.port === 'number');
  if (!resolved.length) {
    if (lines.length && !kept.length) {
      trace.add('endpoints', 'Endpoints', 'fail', lines, [ref(svc.obj)]);
      throw new Failure('no-endpoints', `${lines[0]}; Service ${svc.namespace}/${svc.name} has no endpoints, so the connection is refused.`, 'Fix the error ksi check reports on it.');
    }
    if (hasSelector(svc) && res.workloads.some((w) => w.replicas !== 0)) {
      trace.add('endpoints', 'Endpoints', 'fail', [`no selected pod defines targetPort ${sp.targetPort}`], res.workloads.map((w) => ref(w.obj)));
      throw new Failure('target-port-unresolved', `targetPort ${sp.targetPort} of ${svc.namespace}/${svc.name} names no container port of its pods (${res.workloads.map(workloadId).join(', ')}).`,
        `Named ports there: ${[...new Set(res.workloads.flatMap((w) => w.ports.map((p) => p.name).filter(Boolean)))].join(', ') || 'none'}.`);
    }
    trace.add('endpoints', 'Endpoints', 'fail', [hasSelector(svc) ? `selector ${Object.entries(svc.selector!).map(([k, v]) => `${k}=${v}`).join(',')} matches no ready pods` : 'no Endpoints addresses'], [ref(svc.obj)]);
    throw new Failure('no-endpoints', `Service ${svc.namespace}/${svc.name} has no endpoints; the connection is refused.`,
      hasSelector(svc) ? 'Check the selector against the pod labels (ksi check reports near misses).' : 'A selectorless Service needs an Endpoints object with the same name.');
  }
  const dest: Destination = { endpoints: resolved, service: svc, protocol: sp.protocol, clientSide: false };
  if (node) {
    if (svc.externalTrafficPolicy === 'Local') dest.localNode = node;
    dest.entry = { node, ip: sim.nodes.find((n) => n.name === node)?.ip ?? '?', pickedBySimulation: false };
  }
  return dest;
}

/** A Service the API server rejects does not exist: the request ends there, saying why. */
function admittedService(model: ClusterModel, svc: ServiceInfo, trace: Trace): void {
  const rejected = rejectionOf(model, svc.obj);
  if (!rejected) return;
  trace.add('service-port', `Service ${svc.namespace}/${svc.name}`, 'fail', [rejectedText(svc.obj, rejected)], [ref(svc.obj)]);
  throw new Failure('service-not-found', `${rejectedText(svc.obj, rejected)}.`, 'Fix the error ksi check reports on it.');
}

/** Endpoints of pods whose workload is rejected, or from a rejected Endpoints object, do not exist. */
function admittedEndpoints<E extends { workload: PodTemplate | null; ip: string }>(model: ClusterModel, svc: ServiceInfo, endpoints: E[]): { kept: E[]; lines: string[] } {
  const lines: string[] = [];
  const gone = new Set<PodTemplate>();
  for (const w of model.view(svc.namespace).resolve(svc).workloads) {
    const d = rejectionOf(model, w.obj);
    if (d) { gone.add(w); lines.push(`${rejectedText(w.obj, d)}: its pods are not endpoints`); }
  }
  const goneIPs = new Set<string>();
  if (!hasSelector(svc)) {
    for (const ep of model.view(svc.namespace).resolve(svc).endpoints) {
      const d = rejectionOf(model, ep.obj);
      if (!d) continue;
      lines.push(`${rejectedText(ep.obj, d)}, so Service \`${svc.name}\` gets none of its addresses`);
      for (const sub of ep.subsets) for (const a of sub.addresses) if (a.ip) goneIPs.add(a.ip);
    }
  }
  return { kept: endpoints.filter((e) => !(e.workload && gone.has(e.workload)) && !goneIPs.has(e.ip)), lines };
}

function findPod(model: ClusterModel, svc: ServiceInfo, podName: string): PodInstance | null {
  const sim = simulationOf(model);
  for (const w of model.view(svc.namespace).resolve(svc).workloads) {
    const p = sim.podsOf(w).find((x) => x.name === podName);
    if (p) return p;
  }
  return null;
}

function routeNodePort(model: ClusterModel, node: { name: string; ip: string }, port: number, trace: Trace, result: SimulationResult, setPort: (p: number) => number): Destination {
  const sim = simulationOf(model);
  const svc = model.views().flatMap((v) => [...v.services.values()])
    .find((s) => (s.type === 'NodePort' || s.type === 'LoadBalancer') && s.ports.some((p) => sim.nodePort(s, p).port === port));
  if (!svc) {
    const all = model.views().flatMap((v) => [...v.services.values()]).filter((s) => s.type === 'NodePort' || s.type === 'LoadBalancer')
      .flatMap((s) => s.ports.map((p) => `${sim.nodePort(s, p).port} (${s.namespace}/${s.name})`));
    trace.add('service-port', `${node.name} ${node.ip}:${port}`, 'fail', [`no Service has nodePort ${port}`]);
    throw new Failure('port-not-found', `No Service listens on nodePort ${port}.`, all.length ? `Node ports: ${all.join(', ')}.` : 'No NodePort or LoadBalancer Service is defined.');
  }
  trace.add('destination', `NodePort on ${node.name} (${node.ip}, simulated)`, 'info', [`externalTrafficPolicy: ${svc.externalTrafficPolicy}`]);
  return servicePortStep(model, svc, port, 'nodePort', trace, result, setPort, node.name);
}

function routeExternalIP(model: ClusterModel, ip: string, target: ReturnType<typeof parseTarget>, trace: Trace, result: SimulationResult): Destination {
  const sim = simulationOf(model);
  const setPort = (p: number) => { result.target.port = p; return p; };
  trace.add('dns', 'No DNS lookup', 'skip', [`${ip} is an address`]);
  const node = sim.nodes.find((n) => n.ip === ip);
  if (node) return routeNodePort(model, node, target.port ?? 0, trace, result, setPort);
  const svc = model.views().flatMap((v) => [...v.services.values()]).find((s) => s.loadBalancerAddresses.includes(ip) || s.externalIPs.includes(ip));
  if (svc) {
    trace.add('destination', `${ip} is ${svc.loadBalancerAddresses.includes(ip) ? 'the load balancer' : 'an external IP'} of Service ${svc.namespace}/${svc.name}`, 'info', [], [ref(svc.obj)]);
    return enteredByLoadBalancer(model, svc, servicePortStep(model, svc, target.port ?? defaultPort(target.scheme, svc).port, 'port', trace, result, setPort));
  }
  const isInternal = model.views().some((v) => [...v.services.values()].some((s) => sim.clusterIP(s).ip === ip)) || !!podByIP(model, ip);
  trace.add('destination', `${ip} from outside`, 'fail', [isInternal ? 'cluster IPs and pod IPs are not routable from outside the cluster' : 'not an address of this cluster']);
  throw new Failure('invalid-target', `${ip} is not reachable from outside the cluster.`, 'Use an Ingress host, a LoadBalancer address or <nodeIP>:<nodePort>.');
}

/** Outside traffic to a load balancer or external IP enters the cluster at some node: with
 *  externalTrafficPolicy Local one that runs an endpoint (the health check), else any. */
function enteredByLoadBalancer(model: ClusterModel, svc: ServiceInfo, dest: Destination): Destination {
  const sim = simulationOf(model);
  const nodeName = svc.externalTrafficPolicy === 'Local' ? dest.endpoints.find((e) => e.node)?.node ?? sim.nodes[0]?.name : sim.nodes[0]?.name;
  const node = sim.nodes.find((n) => n.name === nodeName);
  if (node) dest.entry = { node: node.name, ip: node.ip, pickedBySimulation: true };
  return dest;
}

// ---------------------------------------------------------------- Ingress

function hostMatches(ruleHost: string | undefined, host: string): 'exact' | 'wildcard' | 'any' | null {
  if (ruleHost === undefined) return 'any';
  if (ruleHost === host) return 'exact';
  if (ruleHost.startsWith('*.')) {
    const suffix = ruleHost.slice(1);
    const first = host.slice(0, host.length - suffix.length);
    if (host.endsWith(suffix) && first.length > 0 && !first.includes('.')) return 'wildcard';
  }
  return null;
}

function matchIngressHost(model: ClusterModel, host: string): IngressInfo[] {
  return model.views().flatMap((v) => v.ingresses).filter((i) => i.rules.some((r) => r.host !== undefined && hostMatches(r.host, host)) && !rejectionOf(model, i.obj));
}

/** A public name no Ingress rule names, sent to the Ingress controller: rules without a host
 *  and default backends catch it; otherwise the controller answers 404 (SEMANTICS §6). */
function routeUnknownHost(model: ClusterModel, ingresses: IngressInfo[], target: ReturnType<typeof parseTarget>, trace: Trace, result: SimulationResult): Destination {
  const host = target.host;
  trace.add('dns', `Public DNS: ${host}`, 'info', [`assuming ${host} points at the Ingress controller (its DNS is outside the manifests)`]);
  const catchAll = ingresses.filter((i) => i.rules.some((r) => r.host === undefined) || i.defaultBackend);
  if (catchAll.length) return routeIngress(model, catchAll, target, trace, result);
  const hosts = [...new Set(ingresses.flatMap((i) => i.rules.map((r) => r.host).filter((h): h is string => !!h)))];
  trace.add('ingress', `Ingress rules for ${host}`, 'fail', [`no rule names host ${host}, and no rule without a host or defaultBackend catches it`, `hosts served: ${hosts.join(', ')}`], ingresses.map((i) => ref(i.obj)));
  const guess = closest(host, hosts);
  throw new Failure('ingress-no-match', `No Ingress serves host ${host}; the controller answers 404 (or its own default backend).`,
    `${guess ? `Did you mean \`${guess}\`? ` : ''}Hosts with Ingress rules: ${hosts.join(', ')}.`);
}

function pathMatches(type: string | undefined, rulePath: string, path: string): boolean {
  if (type === 'Exact') return rulePath === path;
  // Prefix (and ImplementationSpecific, simulated as Prefix): element-wise, trailing slash ignored.
  const a = rulePath.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  return a.length <= b.length && a.every((seg, i) => seg === b[i]);
}

function routeIngress(model: ClusterModel, ingresses: IngressInfo[], target: ReturnType<typeof parseTarget>, trace: Trace, result: SimulationResult): Destination {
  const host = target.host;
  const candidates: { ing: IngressInfo; path: string; type?: string; backend: NonNullable<IngressInfo['rules'][number]['paths'][number]['backend']>; hostMatch: string }[] = [];
  for (const ing of ingresses) {
    // Exact host rules win over wildcard ones.
    const rules = ing.rules.map((r) => ({ r, m: hostMatches(r.host, host) })).filter((x) => x.m);
    const best = rules.some((x) => x.m === 'exact') ? rules.filter((x) => x.m !== 'wildcard') : rules;
    for (const { r, m } of best) {
      for (const p of r.paths) {
        if (p.backend && pathMatches(p.pathType, p.path, target.path)) candidates.push({ ing, path: p.path, type: p.pathType, backend: p.backend, hostMatch: m! });
      }
    }
  }
  const norm = (p: string) => p.replace(/\/+$/, '') || '/';
  candidates.sort((a, b) => norm(b.path).length - norm(a.path).length || (a.type === 'Exact' ? -1 : b.type === 'Exact' ? 1 : 0));
  const chosen = candidates[0];
  const scheme = target.scheme ?? 'http';
  const tls = ingresses.some((i) => i.tls.some((t) => t.hosts.includes(host)));
  const details = [
    `host ${host} matches ${ingresses.map((i) => `Ingress ${i.namespace}/${i.name}`).join(', ')}`,
    ...candidates.map((c, i) => `${i === 0 ? '→' : ' '} ${c.type ?? 'ImplementationSpecific'} ${c.path}${c.type === 'ImplementationSpecific' || !c.type ? ' (controller-defined; simulated as Prefix)' : ''} → ${c.backend.serviceName}:${c.backend.portNumber ?? c.backend.portName}`),
    scheme === 'https' && !tls ? `HTTPS to ${host}: no TLS block lists it, so the controller serves its default certificate` : '',
  ].filter(Boolean);
  let backend: IngressBackend | undefined = chosen?.backend;
  let ing: IngressInfo | undefined = chosen?.ing;
  if (!chosen) {
    ing = ingresses.find((i) => i.defaultBackend);
    backend = ing?.defaultBackend;
    if (!backend) {
      trace.add('ingress', `Ingress rules for ${host}${target.path}`, 'fail', [...details, `no path matches ${target.path} and no defaultBackend is set`], ingresses.map((i) => ref(i.obj)));
      throw new Failure('ingress-no-match', `No Ingress path matches ${host}${target.path}; the controller answers 404.`,
        `Paths for ${host}: ${ingresses.flatMap((i) => i.rules.flatMap((r) => r.paths.map((p) => `${p.pathType ?? ''} ${p.path}`.trim()))).join(', ')}`);
    }
    details.push(`no path matches: defaultBackend of ${ing!.name}`);
  }
  trace.add('ingress', `Ingress ${ing!.namespace}/${ing!.name}: ${host}${target.path}`, 'ok', details, [ref(ing!.obj)]);
  if (backend!.resource || !backend!.serviceName) throw new Failure('ingress-no-match', 'The matching Ingress backend is a resource, not a Service (not simulated).');
  const svc = model.view(ing!.namespace).services.get(backend!.serviceName);
  if (!svc) {
    throw new Failure('service-not-found', `Ingress ${ing!.name} routes to Service ${backend!.serviceName}, which is not in namespace ${ing!.namespace}; the controller answers 503.`,
      (() => { const g = closest(backend!.serviceName!, model.view(ing!.namespace).services.keys()); return g ? `Did you mean \`${g}\`?` : null; })());
  }
  const port = backend!.portNumber ?? backendServicePort(svc, backend!)?.port;
  if (port === undefined) {
    throw new Failure('port-not-found', `Service ${svc.namespace}/${svc.name} has no port named ${backend!.portName}.`);
  }
  const dest = servicePortStep(model, svc, port, 'port', trace, result, (p) => p);
  result.target.port = target.port ?? (scheme === 'https' ? 443 : 80);
  dest.viaIngress = true;
  return dest;
}

// ---------------------------------------------------------------- delivery

function policyText(v: PolicyVerdict): string {
  if (!v.isolating.length) return 'not isolated by any NetworkPolicy';
  if (v.note) return v.note;
  return v.allowedBy ? `allowed by NetworkPolicy ${v.allowedBy.policy.name} (rule ${v.allowedBy.rule + 1})` : `denied: isolated by ${v.isolating.map((p) => p.name).join(', ')} and no rule matches`;
}


function deliver(model: ClusterModel, src: Source, dest: Destination, trace: Trace, result: SimulationResult, options: SimulateOptions, requests: number) {
  const svc = dest.service;
  let endpoints = dest.endpoints;
  // Traffic policies narrow the endpoints a given client may reach.
  if (svc && !dest.clientSide) {
    if (dest.localNode) {
      endpoints = endpoints.filter((e) => e.node === dest.localNode);
      if (!endpoints.length) {
        trace.add('endpoints', 'externalTrafficPolicy: Local', 'fail', [`${dest.localNode} has no endpoint of ${svc.name} (simulated placement); with Local the node drops the traffic (client IP preserved)`]);
        throw new Failure('no-endpoints', `${dest.localNode} has no endpoint of ${svc.namespace}/${svc.name}, and externalTrafficPolicy: Local drops traffic there.`,
          `Send it to a node that runs a pod: ${[...new Set(dest.endpoints.map((e) => e.node))].join(', ')} (simulated placement).`);
      }
    } else if (src.kind === 'pod' && svc.internalTrafficPolicy === 'Local') {
      endpoints = endpoints.filter((e) => e.node === src.node);
      if (!endpoints.length) {
        trace.add('endpoints', 'internalTrafficPolicy: Local', 'fail', [`no endpoint of ${svc.name} on ${src.node}, the source's node (simulated placement: on a real cluster it depends where the scheduler puts the pods)`]);
        throw new Failure('no-endpoints', `internalTrafficPolicy: Local and no endpoint of ${svc.namespace}/${svc.name} on ${src.node} (simulated placement); the traffic is dropped.`);
      }
    }
  }
  // Egress from the source, evaluated on the destination pod and port (after DNAT).
  if (src.kind === 'pod') {
    const self = { ...src.workload!, node: src.node };
    const verdicts = endpoints.map((e) => evaluate(policyScopeOf(model), 'egress', self,
      e.pod ? podParty(e.pod) : { kind: 'ip', ip: e.ip, what: e.ip }, { port: e.port, protocol: dest.protocol, podPorts: e.workload?.ports ?? [] }));
    const allowed = endpoints.filter((_, i) => verdicts[i].allowed);
    if (verdicts.some((v) => v.isolating.length)) {
      trace.add('egress-policy', `Egress from ${workloadId(src.workload!)}`, policyStatus(verdicts, allowed.length > 0), policyDetails(verdicts),
        [ref(src.workload!.obj), ...[...new Set(verdicts.flatMap((v) => v.isolating))].map((p) => ref(p.obj))]);
    }
    if (!allowed.length) throw new Failure('policy-denied', `NetworkPolicy denies egress from ${workloadId(src.workload!)} to ${endpoints[0].ip}:${endpoints[0].port}.`, 'Add an egress rule for that destination and port.');
    endpoints = allowed;
  }
  // Ingress at each destination pod, on the pod port, from the source the pod sees.
  const { party: from, seen } = sourceSeenByPods(src, dest, options);
  const podEndpoints = endpoints.filter((e) => e.pod);
  if (podEndpoints.length) {
    const verdicts = podEndpoints.map((e) => ({ e, v: evaluate(policyScopeOf(model), 'ingress', { ...e.pod!.workload, node: e.node ?? undefined }, from, { port: e.port, protocol: dest.protocol, podPorts: e.pod!.workload.ports }) }));
    const denied = verdicts.filter((x) => !x.v.allowed);
    if (verdicts.some((x) => x.v.isolating.length)) {
      trace.add('ingress-policy', `Ingress to ${[...new Set(podEndpoints.map((e) => workloadId(e.pod!.workload)))].join(', ')} on port ${podEndpoints[0].port}`,
        policyStatus(verdicts.map((x) => x.v), denied.length < verdicts.length),
        [...(seen ? [seen] : []), ...policyDetails(verdicts.map((x) => x.v))],
        // The workloads checked, then the policies that decide: a drawing of the path reaches
        // the pods even when a policy stops the request there.
        [...[...new Set(podEndpoints.map((e) => e.pod!.workload.obj))].map(ref), ...[...new Set(verdicts.flatMap((x) => x.v.isolating))].map((p) => ref(p.obj))]);
    }
    if (denied.length === verdicts.length) {
      throw new Failure('policy-denied', `NetworkPolicy ${denied[0].v.isolating.map((p) => p.name).join(', ')} denies ${from.kind === 'pod' ? `${from.name}` : from.kind === 'controller' ? 'the Ingress controller' : 'the client'} → ${workloadId(denied[0].e.pod!.workload)} on port ${denied[0].e.port}.`,
        from.kind === 'controller' ? 'Admit the controller\'s namespace in an ingress rule (namespaceSelector), for that port.' : 'Allow the source in an ingress rule (podSelector / namespaceSelector / ipBlock) for that port.');
    }
    const deniedSet = new Set(denied.map((x) => x.e));
    endpoints = endpoints.filter((e) => !deniedSet.has(e));
  }
  result.endpoints = endpoints.map((e) => ({
    pod: e.pod?.name ?? null, workload: e.workload ? workloadId(e.workload) : null, workloadNode: e.workload ? nodeIdOf(e.workload.obj) : null, ip: e.ip, port: e.port, node: e.node, simulated: !!e.pod,
  }));
  // Balancing: session affinity, else iptables (random) or IPVS (round robin); headless: the client picks.
  const counts = new Map<string, number>();
  const key = (e: (typeof endpoints)[number]) => `${e.pod?.name ?? e.ip} ${e.ip}:${e.port}`;
  const clientIP = src.ip ?? '0.0.0.0';
  const random = seededRandom((options.seed ?? 1) ^ hash32(clientIP));
  let how: string;
  if (svc && !dest.clientSide && svc.sessionAffinity === 'ClientIP') {
    const pick = endpoints[hash32(`${svc.namespace}/${svc.name}/${clientIP}`) % endpoints.length];
    counts.set(key(pick), requests);
    how = `sessionAffinity: ClientIP — every request from ${clientIP} goes to the same endpoint (timeout ${svc.affinityTimeoutSeconds} s)`;
  } else {
    for (let i = 0; i < requests; i++) {
      const pick = dest.clientSide || options.proxyMode !== 'ipvs' ? endpoints[Math.floor(random() * endpoints.length)] : endpoints[i % endpoints.length];
      counts.set(key(pick), (counts.get(key(pick)) ?? 0) + 1);
    }
    how = dest.clientSide ? (endpoints.length > 1 ? 'the client picks an address (simulated as random)' : 'one address')
      : options.proxyMode === 'ipvs' ? 'kube-proxy IPVS: round robin' : `kube-proxy iptables: uniform random (seed ${options.seed ?? 1})`;
  }
  result.distribution = endpoints.map((e) => ({ endpoint: key(e), count: counts.get(key(e)) ?? 0 }));
  if (endpoints[0].pod || svc) {
    trace.add('endpoints', `${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'}`, 'ok', [
      how,
      ...endpoints.slice(0, 10).map((e) => `${e.pod ? `${e.pod.name} ` : ''}${e.ip}:${e.port}${e.node ? ` @${e.node}` : ''}${e.pod ? ' (simulated)' : ''}`),
      ...(endpoints.length > 10 ? [`… ${endpoints.length - 10} more`] : []),
    ], [...new Set(endpoints.map((e) => e.workload).filter((w): w is PodTemplate => !!w))].map((w) => ref(w.obj)));
  }
}

function podParty(pod: PodInstance): Party {
  return { kind: 'pod', namespace: pod.workload.namespace, labels: pod.workload.labels, ip: pod.ip, name: pod.name, node: pod.node.name };
}

/** The source address a destination pod's ingress policy sees, and a line saying why. Outside
 *  traffic is SNATed to the entry node with externalTrafficPolicy Cluster; Local keeps the
 *  client's address (SEMANTICS §5); through an Ingress it comes from the controller's pod. */
function sourceSeenByPods(src: Source, dest: Destination, options: SimulateOptions): { party: Party; seen?: string } {
  if (src.kind === 'pod') return { party: podParty(src.pod!) };
  if (src.kind === 'node') return { party: { kind: 'node', ip: src.ip!, name: src.node!, invented: `the simulated address of ${src.node}` } };
  if (dest.viaIngress) return { party: { kind: 'controller', what: 'the Ingress controller' }, seen: 'source: a pod of the Ingress controller (in the cluster, outside the manifests)' };
  const local = dest.service?.externalTrafficPolicy === 'Local';
  if (dest.entry && !local) {
    const picked = dest.entry.pickedBySimulation ? ', picked by the simulation' : '';
    return {
      party: { kind: 'node', ip: dest.entry.ip, name: dest.entry.node, invented: `the simulated address of ${dest.entry.node}` },
      seen: `source: ${dest.entry.ip}, node ${dest.entry.node} (simulated${picked}): externalTrafficPolicy Cluster SNATs outside traffic to the node that received it`,
    };
  }
  const example = options.clientIP ? undefined : 'an example client address (set the client IP to check yours)';
  return {
    party: { kind: 'ip', ip: src.ip, what: 'the external client', invented: example },
    seen: `source: the client's own address ${src.ip}${example ? ' (example)' : ''}${local ? ': externalTrafficPolicy Local preserves it' : ''}`,
  };
}

/** ✔ only for verdicts that rest on nothing assumed; "depends" verdicts show as info. */
function policyStatus(verdicts: PolicyVerdict[], anyAllowed: boolean): StepStatus {
  if (!anyAllowed) return 'fail';
  return verdicts.some((v) => v.allowed && v.assumption) && !verdicts.some((v) => v.allowed && !v.assumption) ? 'info' : 'ok';
}

function policyDetails(verdicts: PolicyVerdict[]): string[] {
  return [...new Set(verdicts.flatMap((v) => [policyText(v), ...(v.assumption ? [`depends: ${v.assumption}`] : []), ...v.caveats.map((c) => `note: ${c}`)]))];
}
