// Read-only views of resolved Services, shared by the CLI (`ksi services`), hovers and the
// topology. Plain JSON-able data; simulated values carry a flag.
import { objectRange } from './parse';
import type { ClusterModel } from './model';
import {
  backendServicePort, hasSelector, IngressBackend, IngressInfo, LabelSelector, NetworkPolicyInfo, PodTemplate, PolicyPeer,
  selectorMatches, ServiceInfo,
} from './objects';
import { simulationOf } from './simulated';
import { namespaceLabelsOf } from './simulate/policy';
import type { Range } from './types';

export interface PortView {
  name: string | null;
  port: number | null;
  protocol: string;
  targetPort: number | string | null;
  nodePort: number | null;
  nodePortSimulated: boolean;
  /** Per selected workload: where the targetPort lands (containerPort null = unresolved). */
  targets: { workload: string; containerPort: number | null; container: string | null; declared: boolean }[];
}

export interface EndpointView {
  /** Pod name, or null for manual Endpoints addresses. */
  pod: string | null;
  workload: string | null;
  ip: string | null;
  node: string | null;
  /** Ports this endpoint serves, per Service port name (or number). */
  ports: { name: string | null; port: number | null }[];
  ready: boolean;
  simulated: boolean;
  source: string;
  /** The pod runs in its node's network namespace: the address is the (simulated) node's. */
  hostNetwork?: boolean;
}

export interface DnsRecord {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'SRV';
  value: string;
  simulated: boolean;
}

export interface ServiceView {
  namespace: string;
  name: string;
  type: string;
  fqdn: string;
  clusterIP: string | null;
  clusterIPSimulated: boolean;
  headless: boolean;
  externalName: string | null;
  ports: PortView[];
  selector: Record<string, string> | null;
  workloads: string[];
  endpoints: EndpointView[];
  dns: DnsRecord[];
  sessionAffinity: string;
  externalTrafficPolicy: string;
  internalTrafficPolicy: string;
  loadBalancer: { addresses: string[]; pending: boolean } | null;
  file: string;
  range: Range;
}

/** The topology's id of an object's node (`Kind/namespace/name`): the simulator names the
 *  objects of a trace with it, so the panel lights nodes without parsing names. */
export function nodeIdOf(o: { kind: string; namespace: string; name?: string }): string {
  return `${o.kind}/${o.namespace}/${o.name ?? ''}`;
}

export function workloadId(w: PodTemplate): string {
  return `${w.kind}/${w.name}`;
}

export function serviceFqdn(model: ClusterModel, namespace: string, name: string): string {
  return `${name}.${namespace}.svc.${model.settings.clusterDomain}`;
}

export function describeService(model: ClusterModel, svc: ServiceInfo): ServiceView {
  const sim = simulationOf(model);
  const view = model.view(svc.namespace);
  const res = view.resolve(svc);
  const fqdn = serviceFqdn(model, svc.namespace, svc.name);
  const cip = sim.clusterIP(svc);
  const ports: PortView[] = res.ports.map(({ port, targets }) => {
    const np = sim.nodePort(svc, port);
    return {
      name: port.name ?? null,
      port: port.port ?? null,
      protocol: port.protocol,
      targetPort: port.targetPort ?? null,
      nodePort: np.port ?? null,
      nodePortSimulated: np.simulated,
      targets: targets.map((t) => ({
        workload: workloadId(t.workload),
        containerPort: t.unresolved ? null : t.containerPort ?? null,
        container: t.container ?? null,
        declared: !t.undeclared && !t.unresolved,
      })),
    };
  });
  const endpoints: EndpointView[] = [];
  if (svc.type !== 'ExternalName') {
    if (hasSelector(svc)) {
      res.workloads.forEach((w, wi) => {
        for (const pod of sim.podsSelectedBy(w, svc.selector)) {
          const served = res.ports.map(({ port, targets }) => ({
            name: port.name ?? (port.port !== undefined ? String(port.port) : null),
            port: targets[wi].unresolved ? null : targets[wi].containerPort ?? null,
          }));
          // A pod that resolves none of the ports is not an endpoint.
          if (served.length > 0 && served.every((p) => p.port === null)) continue;
          endpoints.push({
            pod: pod.name, workload: workloadId(w), ip: pod.ip ?? null, node: pod.node.name,
            ports: served, ready: true, simulated: true, source: workloadId(w), hostNetwork: pod.hostNetwork,
          });
        }
      });
    } else {
      for (const ep of res.endpoints) {
        for (const subset of ep.subsets) {
          for (const a of subset.addresses) {
            endpoints.push({
              pod: null, workload: null, ip: a.ip, node: a.nodeName ?? null,
              ports: subset.ports.map((p) => ({ name: p.name ?? null, port: p.port ?? null })),
              ready: a.ready, simulated: false, source: `${ep.obj.kind}/${ep.name}`,
            });
          }
        }
      }
    }
  }
  const dns: DnsRecord[] = [];
  if (svc.type === 'ExternalName') {
    if (svc.externalName) dns.push({ name: fqdn, type: 'CNAME', value: svc.externalName, simulated: false });
  } else if (svc.headless) {
    for (const e of endpoints) if (e.ready && e.ip) dns.push({ name: fqdn, type: 'A', value: e.ip, simulated: e.simulated });
    // Per-pod names come from the endpoints: only pods the Service selects get one.
    for (const w of res.workloads) {
      const perPod = (w.kind === 'StatefulSet' && w.serviceName === svc.name) || (w.subdomain === svc.name && w.hostname);
      if (!perPod) continue;
      for (const pod of sim.podsSelectedBy(w, svc.selector)) {
        const host = w.kind === 'StatefulSet' ? pod.name : w.hostname!;
        if (pod.ip) dns.push({ name: `${host}.${fqdn}`, type: 'A', value: pod.ip, simulated: true });
      }
    }
  } else if (cip.ip) {
    dns.push({ name: fqdn, type: cip.ip.includes(':') ? 'AAAA' : 'A', value: cip.ip, simulated: cip.simulated });
  }
  if (svc.type !== 'ExternalName') {
    // A headless Service's SRV records name each pod; a normal one names the Service.
    const podNames = dns.filter((d) => d.type === 'A' && d.name !== fqdn).map((d) => d.name);
    for (const p of svc.ports) {
      if (!p.name || p.port === undefined) continue;
      const srv = `_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`;
      if (svc.headless && podNames.length) {
        for (const target of podNames) dns.push({ name: srv, type: 'SRV', value: `0 ${Math.floor(100 / podNames.length)} ${p.port} ${target}.`, simulated: true });
      } else dns.push({ name: srv, type: 'SRV', value: `0 100 ${p.port} ${fqdn}.`, simulated: false });
    }
  }
  return {
    namespace: svc.namespace,
    name: svc.name,
    type: svc.type,
    fqdn,
    clusterIP: svc.headless ? 'None' : cip.ip ?? null,
    clusterIPSimulated: cip.simulated,
    headless: svc.headless,
    externalName: svc.externalName ?? null,
    ports,
    selector: hasSelector(svc) ? svc.selector! : null,
    workloads: res.workloads.map(workloadId),
    endpoints,
    dns,
    sessionAffinity: svc.sessionAffinity,
    externalTrafficPolicy: svc.externalTrafficPolicy,
    internalTrafficPolicy: svc.internalTrafficPolicy,
    loadBalancer: svc.type === 'LoadBalancer'
      ? { addresses: svc.loadBalancerAddresses, pending: svc.loadBalancerAddresses.length === 0 }
      : null,
    file: svc.obj.uri,
    range: objectRange(svc.obj),
  };
}

export function listServices(model: ClusterModel, namespace?: string): ServiceView[] {
  const out: ServiceView[] = [];
  for (const view of model.views()) {
    if (namespace && view.name !== namespace) continue;
    for (const svc of [...view.services.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      out.push(describeService(model, svc));
    }
  }
  return out;
}

// ---------------------------------------------------------------- Ingress and NetworkPolicy

export interface IngressRouteView {
  host: string | null;
  path: string;
  pathType: string | null;
  service: string | null;
  /** The Service port the backend resolves to (null: no such Service or port). */
  servicePort: number | null;
  endpoints: number;
  problem: string | null;
}

export interface IngressView {
  namespace: string;
  name: string;
  className: string | null;
  tlsHosts: string[];
  routes: IngressRouteView[];
}

export function describeIngress(model: ClusterModel, ing: IngressInfo): IngressView {
  const view = model.view(ing.namespace);
  const route = (host: string | undefined, path: string, pathType: string | undefined, b: IngressBackend | undefined): IngressRouteView => {
    const base = { host: host ?? null, path, pathType: pathType ?? null, service: b?.serviceName ?? null };
    if (!b || b.resource || !b.serviceName) return { ...base, servicePort: null, endpoints: 0, problem: b?.resource ? 'resource backend' : 'no backend' };
    const svc = view.services.get(b.serviceName);
    if (!svc) return { ...base, servicePort: null, endpoints: 0, problem: `Service ${b.serviceName} not found in ${ing.namespace}` };
    const port = backendServicePort(svc, b);
    if (!port && svc.type !== 'ExternalName') {
      return { ...base, servicePort: null, endpoints: 0, problem: `Service ${svc.name} has no port ${b.portNumber ?? b.portName}` };
    }
    return { ...base, servicePort: port?.port ?? b.portNumber ?? null, endpoints: describeService(model, svc).endpoints.length, problem: null };
  };
  const routes: IngressRouteView[] = [];
  for (const r of ing.rules) for (const p of r.paths) routes.push(route(r.host, p.path, p.pathType, p.backend));
  if (ing.defaultBackend) routes.push(route(undefined, '(default backend)', undefined, ing.defaultBackend));
  return {
    namespace: ing.namespace, name: ing.name, className: ing.ingressClassName ?? null,
    tlsHosts: ing.tls.flatMap((t) => t.hosts), routes,
  };
}

export interface PolicyView {
  namespace: string;
  name: string;
  policyTypes: string[];
  /** Workloads whose pods the policy isolates. */
  selects: string[];
  ingressFrom: string[][];
  egressTo: string[][];
}

/** Namespaces whose labels match a selector; every namespace carries kubernetes.io/metadata.name. */
export function matchingNamespaces(model: ClusterModel, sel: LabelSelector): string[] {
  const declared = model.clusterScoped().filter((o) => o.kind === 'Namespace' && o.name).map((o) => o.name!);
  const names = new Set([...declared, ...model.namespaceNames()]);
  return [...names].sort().filter((n) => selectorMatches(sel, namespaceLabelsOf(model, n)));
}

function describePeers(model: ClusterModel, pol: NetworkPolicyInfo, peers: PolicyPeer[]): string[] {
  if (peers.length === 0) return ['(any source or destination)'];
  return peers.flatMap((p) => {
    if (p.ipBlock) return [`ipBlock ${p.ipBlock.cidr}${p.ipBlock.except.length ? ` except ${p.ipBlock.except.join(', ')}` : ''}`];
    const namespaces = p.namespaceSelector ? matchingNamespaces(model, p.namespaceSelector) : [pol.namespace];
    const podSel = p.podSelector ?? { matchLabels: {}, matchExpressions: [] };
    return namespaces.flatMap((ns) => model.view(ns).select(podSel).map((w) => `${ns}/${workloadId(w)}`));
  });
}

export function describePolicy(model: ClusterModel, pol: NetworkPolicyInfo): PolicyView {
  const view = model.view(pol.namespace);
  return {
    namespace: pol.namespace,
    name: pol.name,
    policyTypes: pol.policyTypes,
    selects: view.select(pol.podSelector).map(workloadId),
    ingressFrom: pol.ingress.map((r) => describePeers(model, pol, r.peers)),
    egressTo: pol.egress.map((r) => describePeers(model, pol, r.peers)),
  };
}
