// Typed views of the networking-relevant kinds, read from YAML nodes. Each view keeps the
// spans (ranges) of the nodes it was read from, so findings and hovers can point at them
// without holding the nodes; a check that needs a node finds it again (`nodeAt`).
import type { Node } from 'yaml';
import type { K8sObject } from './parse';
import {
  asMap, asScalar, bool, get, getIn, getPair, int, isNullNode, pairsOf, keyString, scalarText, seqItems, spanOf, str, stringMap, type Span,
} from './yamlNodes';

export interface LabelRequirement {
  key: string;
  operator: string;
  values: string[];
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelRequirement[];
  node?: Span;
}

/** Kubernetes label-selector semantics: all requirements AND-ed; an empty selector matches everything. */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const r of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In': if (!has || !r.values.includes(labels[r.key])) return false; break;
      case 'NotIn': if (has && r.values.includes(labels[r.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false; // invalid operator: the API rejects it, so it selects nothing
    }
  }
  return true;
}

export function isEmptySelector(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

export function readLabelSelector(node: Node | undefined): LabelSelector {
  const m = asMap(node);
  const sel: LabelSelector = { matchLabels: stringMap(get(m, 'matchLabels')) ?? {}, matchExpressions: [], node: spanOf(node) };
  for (const e of seqItems(get(m, 'matchExpressions'))) {
    const em = asMap(e);
    const key = str(get(em, 'key'));
    const operator = str(get(em, 'operator'));
    if (key === undefined || operator === undefined) continue;
    sel.matchExpressions.push({
      key,
      operator,
      values: seqItems(get(em, 'values')).map((v) => scalarText(v) ?? ''),
    });
  }
  return sel;
}

export function describeSelector(sel: Record<string, string> | LabelSelector): string {
  const s = 'matchLabels' in sel ? sel : { matchLabels: sel as Record<string, string>, matchExpressions: [] };
  const parts = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const r of s.matchExpressions as LabelRequirement[]) {
    if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator.toLowerCase()} (${r.values.join(',')})`);
  }
  return parts.length ? parts.join(',') : '(everything)';
}

/** Objects are immutable once parsed, so each typed view is read once per object. */
export function memo<T>(read: (o: K8sObject) => T): (o: K8sObject) => T {
  const cache = new WeakMap<K8sObject, { v: T }>();
  return (o) => {
    const hit = cache.get(o);
    if (hit) return hit.v;
    const v = read(o);
    cache.set(o, { v });
    return v;
  };
}

/** Fields of a custom resource's spec that suggest its operator runs pods. */
const POD_HINTS = ['replicas', 'image', 'template', 'podTemplate', 'podSpec', 'containers', 'instances', 'members'];

/** Whether a custom resource's spec suggests that its operator runs pods. */
export const mayCreatePods = memo((o: K8sObject): boolean => {
  const spec = asMap(get(o.node, 'spec'));
  return !!spec && POD_HINTS.some((k) => get(spec, k) !== undefined);
});

/** A Pod's controller, by its `ownerReferences` (`controller: true`; a Node owner — a static
 *  pod — does not count). */
export const controllerOf = memo((o: K8sObject): { kind: string; name: string } | undefined => {
  if (o.kind !== 'Pod') return undefined;
  for (const ref of seqItems(get(asMap(get(o.node, 'metadata')), 'ownerReferences'))) {
    const m = asMap(ref);
    const name = str(get(m, 'name'));
    const kind = str(get(m, 'kind'));
    if (!name || bool(get(m, 'controller')) !== true || kind === 'Node') continue;
    return { kind: kind ?? 'Pod', name };
  }
  return undefined;
});

/** Reads every extract of an object that checks, views and the simulator use (each is kept
 *  with the object), so that its YAML nodes may be dropped afterwards (`compactObjects`). */
export function readExtracts(o: K8sObject): void {
  // Each reader only for its kinds: a miss is cached too, and 50k cached misses cost.
  if (o.custom) {
    if (OPERATOR_PODS[o.kind]) readOperatorPods(o);
    mayCreatePods(o);
  } else if (WORKLOAD_KINDS.has(o.kind)) {
    readPodTemplate(o);
    if (o.kind === 'Pod') controllerOf(o);
  } else if (o.kind === 'Service') readService(o);
  else if (o.kind === 'Endpoints' || o.kind === 'EndpointSlice') readEndpoints(o);
  else if (o.kind === 'Ingress') readIngress(o);
  else if (o.kind === 'NetworkPolicy') readNetworkPolicy(o);
  else if (o.kind === 'Namespace') namespaceLabels(o);
}

// ---------------------------------------------------------------- workloads

export const WORKLOAD_KINDS = new Set([
  'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController',
]);

export interface ContainerPort {
  container: string;
  name?: string;
  nameNode?: Span;
  containerPort?: number;
  protocol: string;
  node: Span;
}

export interface PodTemplate {
  obj: K8sObject;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** `key=value` of each label (the label indexes' keys, made once per read). */
  labelPairs: string[];
  /** Labels the controller adds to some of its pods (`key=value` pairs): a StatefulSet's
   *  `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index` per ordinal. */
  controllerPairs: Set<string>;
  labelsNode?: Span;
  /** Pod-template labels pair (for ranges when labels are missing). */
  templateMetaNode?: Span;
  /** Declared replicas; DaemonSets report -1 (one per node, decided by the model's settings). */
  replicas: number;
  ports: ContainerPort[];
  hostname?: string;
  subdomain?: string;
  subdomainNode?: Span;
  dnsPolicy: string;
  hostNetwork: boolean;
  dnsSearches: string[];
  dnsOptions: { name: string; value?: string }[];
  /** The workload's own selector (controllers only). */
  selector?: LabelSelector;
  serviceName?: string;
  serviceNameNode?: Span;
  /** Set for pods an operator creates from a custom resource (not declared in the
   *  manifests; their template is inferred and shown as simulated), e.g. `Prometheus k8s`. */
  createdBy?: string;
}

/** Ordinals up to this many get their per-pod labels indexed (more are never selected by name). */
const MAX_INDEXED_ORDINALS = 100;

function controllerLabelPairs(kind: string, name: string, replicas: number): Set<string> {
  const pairs = new Set<string>();
  if (kind !== 'StatefulSet') return pairs;
  for (let i = 0; i < Math.min(replicas, MAX_INDEXED_ORDINALS); i++) {
    pairs.add(`statefulset.kubernetes.io/pod-name=${name}-${i}`);
    pairs.add(`apps.kubernetes.io/pod-index=${i}`);
  }
  return pairs;
}

export const readPodTemplate = memo((obj: K8sObject): PodTemplate | undefined => {
  if (!WORKLOAD_KINDS.has(obj.kind) || !obj.name || obj.custom) return undefined;
  const spec = asMap(get(obj.node, 'spec'));
  let podMeta: Node | undefined;
  let podSpec: Node | undefined;
  let replicas = 1;
  if (obj.kind === 'Pod') {
    podMeta = get(obj.node, 'metadata');
    podSpec = spec;
  } else if (obj.kind === 'CronJob') {
    const jobSpec = asMap(getIn(spec, 'jobTemplate', 'spec'));
    podMeta = getIn(jobSpec, 'template', 'metadata');
    podSpec = getIn(jobSpec, 'template', 'spec');
    replicas = int(get(jobSpec, 'parallelism')) ?? 1;
  } else {
    podMeta = getIn(spec, 'template', 'metadata');
    podSpec = getIn(spec, 'template', 'spec');
    if (obj.kind === 'Job') replicas = int(get(spec, 'parallelism')) ?? 1;
    else if (obj.kind === 'DaemonSet') replicas = -1;
    else replicas = int(get(spec, 'replicas')) ?? 1;
  }
  const ps = asMap(podSpec);
  const ports: ContainerPort[] = [];
  const addContainers = (listNode: Node | undefined, sidecarsOnly: boolean) => {
    for (const c of seqItems(listNode)) {
      const cm = asMap(c);
      // Init containers run to completion before the pod serves; only native sidecars
      // (restartPolicy: Always) keep listening.
      if (sidecarsOnly && str(get(cm, 'restartPolicy')) !== 'Always') continue;
      const cname = str(get(cm, 'name')) ?? '?';
      for (const p of seqItems(get(cm, 'ports'))) {
        const pm = asMap(p);
        if (!pm) continue;
        const nameNode = get(pm, 'name');
        ports.push({
          container: cname,
          name: str(nameNode),
          nameNode: spanOf(nameNode),
          containerPort: int(get(pm, 'containerPort')),
          protocol: str(get(pm, 'protocol')) ?? 'TCP',
          node: spanOf(pm)!,
        });
      }
    }
  };
  addContainers(get(ps, 'containers'), false);
  addContainers(get(ps, 'initContainers'), true);
  const dnsConfig = asMap(get(ps, 'dnsConfig'));
  const hasSelector = obj.kind !== 'Pod';
  const selectorPair = hasSelector ? getPair(spec, 'selector') : undefined;
  let selector: LabelSelector | undefined;
  if (selectorPair && !isNullNode(selectorPair.value)) {
    const selNode = get(spec, 'selector');
    // ReplicationController uses a plain map; the others a LabelSelector.
    selector = obj.kind === 'ReplicationController'
      ? { matchLabels: stringMap(selNode) ?? {}, matchExpressions: [], node: spanOf(selNode) }
      : readLabelSelector(selNode);
  }
  const labelsNode = get(asMap(podMeta), 'labels');
  const labels = stringMap(labelsNode) ?? {};
  return {
    obj,
    kind: obj.kind,
    name: obj.name,
    namespace: obj.namespace,
    labels,
    labelPairs: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    controllerPairs: controllerLabelPairs(obj.kind, obj.name, replicas),
    labelsNode: spanOf(labelsNode),
    templateMetaNode: spanOf(podMeta),
    replicas,
    ports,
    hostname: str(get(ps, 'hostname')),
    subdomain: str(get(ps, 'subdomain')),
    subdomainNode: spanOf(get(ps, 'subdomain')),
    dnsPolicy: str(get(ps, 'dnsPolicy')) ?? 'ClusterFirst',
    hostNetwork: bool(get(ps, 'hostNetwork')) ?? false,
    dnsSearches: seqItems(get(dnsConfig, 'searches')).map((s) => scalarText(s) ?? ''),
    dnsOptions: seqItems(get(dnsConfig, 'options')).map((o) => ({
      name: str(get(asMap(o), 'name')) ?? '',
      value: scalarText(get(asMap(o), 'value')),
    })),
    selector,
    serviceName: obj.kind === 'StatefulSet' ? str(get(spec, 'serviceName')) : undefined,
    serviceNameNode: obj.kind === 'StatefulSet' ? spanOf(get(spec, 'serviceName')) : undefined,
  };
});

/** What prometheus-operator creates for its custom resources: a StatefulSet per resource,
 *  named `<prefix>-<name>`, its pods labelled as below (plus spec.podMetadata.labels), with
 *  the main container's and the config reloader's ports. */
const OPERATOR_PODS: Record<string, { prefix: string; labels: (name: string) => Record<string, string>; ports: [string, number, string][] }> = {
  Prometheus: {
    prefix: 'prometheus',
    labels: (n) => ({ 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': n, 'app.kubernetes.io/managed-by': 'prometheus-operator', prometheus: n, 'operator.prometheus.io/name': n, 'operator.prometheus.io/shard': '0' }),
    ports: [['web', 9090, 'TCP'], ['reloader-web', 8080, 'TCP']],
  },
  Alertmanager: {
    prefix: 'alertmanager',
    labels: (n) => ({ 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': n, 'app.kubernetes.io/managed-by': 'prometheus-operator', alertmanager: n }),
    ports: [['web', 9093, 'TCP'], ['mesh-tcp', 9094, 'TCP'], ['mesh-udp', 9094, 'UDP'], ['reloader-web', 8080, 'TCP']],
  },
};

/** The pods an operator creates from a custom resource we know, as a (simulated) template. */
export const readOperatorPods = memo((obj: K8sObject): PodTemplate | undefined => {
  const known = OPERATOR_PODS[obj.kind];
  if (!known || !obj.name || !obj.apiVersion.startsWith('monitoring.coreos.com/')) return undefined;
  const spec = asMap(get(obj.node, 'spec'));
  const replicas = int(get(spec, 'replicas')) ?? 1;
  const labelsNode = getIn(spec, 'podMetadata', 'labels');
  const labels = { ...(stringMap(labelsNode) ?? {}), ...known.labels(obj.name) };
  const name = `${known.prefix}-${obj.name}`;
  const node = spanOf(get(obj.node, 'kind') ?? obj.node)!;
  return {
    obj, kind: 'StatefulSet', name, namespace: obj.namespace, labels,
    labelPairs: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    controllerPairs: controllerLabelPairs('StatefulSet', name, replicas),
    labelsNode: spanOf(labelsNode), replicas,
    ports: known.ports.map(([portName, containerPort, protocol]) => ({ container: portName.startsWith('reloader') ? 'config-reloader' : known.prefix, name: portName, containerPort, protocol, node })),
    dnsPolicy: 'ClusterFirst', hostNetwork: false, dnsSearches: [], dnsOptions: [],
    createdBy: `${obj.kind} ${obj.name}`,
  };
});

// ---------------------------------------------------------------- Service

export interface ServicePort {
  index: number;
  name?: string;
  nameNode?: Span;
  port?: number;
  portNode?: Span;
  protocol: string;
  /** The effective target: the explicit targetPort, or `port` when unset or 0. */
  targetPort?: number | string;
  targetPortNode?: Span;
  /** Whether `targetPort` is written (else it defaults to `port`). */
  explicitTargetPort: boolean;
  nodePort?: number;
  nodePortNode?: Span;
  node: Span;
}

export interface ServiceInfo {
  obj: K8sObject;
  name: string;
  namespace: string;
  type: string;
  typeNode?: Span;
  /** Undefined or empty: the Service manages no endpoints itself. */
  selector?: Record<string, string>;
  selectorNode?: Span;
  /** Where each selector value is written (for quick fixes that change one). */
  selectorValues: Record<string, Span>;
  clusterIP?: string;
  clusterIPNode?: Span;
  headless: boolean;
  externalName?: string;
  externalNameNode?: Span;
  ports: ServicePort[];
  portsNode?: Span;
  sessionAffinity: string;
  affinityTimeoutSeconds: number;
  externalTrafficPolicy: string;
  externalTrafficPolicyNode?: Span;
  internalTrafficPolicy: string;
  externalIPs: string[];
  loadBalancerAddresses: string[];
  loadBalancerSourceRanges: string[];
  publishNotReadyAddresses: boolean;
}

/** The Service port an Ingress (or route) backend names: by number, else by name. */
export function backendServicePort(svc: ServiceInfo, backend: { portNumber?: number; portName?: string }): ServicePort | undefined {
  return svc.ports.find((p) => (backend.portNumber !== undefined ? p.port === backend.portNumber : p.name === backend.portName));
}

export function hasSelector(svc: ServiceInfo): boolean {
  // for…in, not Object.keys: this runs for every Service of a namespace on each edit.
  if (svc.selector) for (const _ in svc.selector) return true;
  return false;
}

export const readService = memo((obj: K8sObject): ServiceInfo | undefined => {
  if (obj.kind !== 'Service' || !obj.name || obj.custom) return undefined;
  const spec = asMap(get(obj.node, 'spec'));
  const typeNode = get(spec, 'type');
  const clusterIPNode = get(spec, 'clusterIP');
  const clusterIP = str(clusterIPNode) || undefined;
  const selectorNode = get(spec, 'selector');
  const ports: ServicePort[] = [];
  seqItems(get(spec, 'ports')).forEach((p, index) => {
    const pm = asMap(p);
    if (!pm) return;
    const portNode = get(pm, 'port');
    const port = int(portNode);
    const tpNode = get(pm, 'targetPort');
    const tpScalar = asScalar(tpNode);
    let targetPort: number | string | undefined = port;
    if (tpScalar && typeof tpScalar.value === 'string' && tpScalar.value !== '') targetPort = tpScalar.value;
    else if (tpScalar && typeof tpScalar.value === 'number' && tpScalar.value !== 0) targetPort = tpScalar.value;
    const npNode = get(pm, 'nodePort');
    const nodePort = int(npNode);
    ports.push({
      index,
      name: str(get(pm, 'name')),
      nameNode: spanOf(get(pm, 'name')),
      port,
      portNode: spanOf(portNode),
      protocol: str(get(pm, 'protocol')) ?? 'TCP',
      targetPort,
      targetPortNode: spanOf(tpNode),
      explicitTargetPort: !!getPair(pm, 'targetPort'),
      nodePort: nodePort ? nodePort : undefined,
      nodePortNode: spanOf(npNode),
      node: spanOf(pm)!,
    });
  });
  const affinityTimeout = int(getIn(spec, 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'));
  return {
    obj,
    name: obj.name,
    namespace: obj.namespace,
    type: str(typeNode) ?? 'ClusterIP',
    typeNode: spanOf(typeNode),
    selector: stringMap(selectorNode),
    selectorNode: spanOf(selectorNode),
    selectorValues: Object.fromEntries(pairsOf(asMap(selectorNode)).flatMap((p) => {
      const k = keyString(p);
      const span = spanOf(p.value);
      return k !== undefined && span ? [[k, span]] : [];
    })),
    clusterIP: clusterIP === 'None' ? undefined : clusterIP,
    clusterIPNode: spanOf(clusterIPNode),
    headless: clusterIP === 'None',
    externalName: str(get(spec, 'externalName')),
    externalNameNode: spanOf(get(spec, 'externalName')),
    ports,
    portsNode: spanOf(get(spec, 'ports')),
    sessionAffinity: str(get(spec, 'sessionAffinity')) ?? 'None',
    affinityTimeoutSeconds: affinityTimeout ?? 10800,
    externalTrafficPolicy: str(get(spec, 'externalTrafficPolicy')) ?? 'Cluster',
    externalTrafficPolicyNode: spanOf(get(spec, 'externalTrafficPolicy')),
    internalTrafficPolicy: str(get(spec, 'internalTrafficPolicy')) ?? 'Cluster',
    externalIPs: seqItems(get(spec, 'externalIPs')).map((n) => scalarText(n) ?? ''),
    loadBalancerAddresses: seqItems(getIn(obj.node, 'status', 'loadBalancer', 'ingress'))
      .map((i) => str(get(asMap(i), 'ip')) ?? str(get(asMap(i), 'hostname')) ?? '')
      .filter(Boolean),
    loadBalancerSourceRanges: seqItems(get(spec, 'loadBalancerSourceRanges')).map((n) => scalarText(n) ?? ''),
    publishNotReadyAddresses: bool(get(spec, 'publishNotReadyAddresses')) ?? false,
  };
});

// ---------------------------------------------------------------- Endpoints / EndpointSlice

export interface EndpointAddress {
  ip: string;
  node: Span;
  ready: boolean;
  hostname?: string;
  nodeName?: string;
}

export interface EndpointPort {
  name?: string;
  port?: number;
  protocol: string;
}

export interface EndpointsInfo {
  obj: K8sObject;
  name: string;
  namespace: string;
  /** For EndpointSlices: the Service named by the kubernetes.io/service-name label. */
  serviceName?: string;
  subsets: { addresses: EndpointAddress[]; ports: EndpointPort[] }[];
}

function readEndpointPorts(node: Node | undefined): EndpointPort[] {
  return seqItems(node).map((p) => {
    const pm = asMap(p);
    return { name: str(get(pm, 'name')), port: int(get(pm, 'port')), protocol: str(get(pm, 'protocol')) ?? 'TCP' };
  });
}

export const readEndpoints = memo((obj: K8sObject): EndpointsInfo | undefined => {
  if (!obj.name || obj.custom) return undefined;
  if (obj.kind === 'Endpoints') {
    const subsets = seqItems(get(obj.node, 'subsets')).map((s) => {
      const sm = asMap(s);
      const addresses: EndpointAddress[] = [];
      for (const [key, ready] of [['addresses', true], ['notReadyAddresses', false]] as const) {
        for (const a of seqItems(get(sm, key))) {
          const am = asMap(a);
          const ipNode = get(am, 'ip');
          addresses.push({
            ip: scalarText(ipNode) ?? '',
            node: spanOf(ipNode ?? a)!,
            ready,
            hostname: str(get(am, 'hostname')),
            nodeName: str(get(am, 'nodeName')),
          });
        }
      }
      return { addresses, ports: readEndpointPorts(get(sm, 'ports')) };
    });
    return { obj, name: obj.name, namespace: obj.namespace, serviceName: obj.name, subsets };
  }
  if (obj.kind === 'EndpointSlice') {
    const labels = stringMap(getIn(obj.node, 'metadata', 'labels')) ?? {};
    const addresses: EndpointAddress[] = [];
    for (const e of seqItems(get(obj.node, 'endpoints'))) {
      const em = asMap(e);
      const ready = bool(getIn(em, 'conditions', 'ready')) ?? true;
      for (const a of seqItems(get(em, 'addresses'))) {
        addresses.push({
          ip: scalarText(a) ?? '',
          node: spanOf(a)!,
          ready,
          hostname: str(get(em, 'hostname')),
          nodeName: str(get(em, 'nodeName')),
        });
      }
    }
    return {
      obj,
      name: obj.name,
      namespace: obj.namespace,
      serviceName: labels['kubernetes.io/service-name'],
      subsets: [{ addresses, ports: readEndpointPorts(get(obj.node, 'ports')) }],
    };
  }
  return undefined;
});

// ---------------------------------------------------------------- Ingress

export interface IngressBackend {
  serviceName?: string;
  serviceNameNode?: Span;
  portNumber?: number;
  portName?: string;
  portNode?: Span;
  /** A `resource` backend (not a Service). */
  resource: boolean;
  node: Span;
}

export interface IngressPath {
  path: string;
  pathNode?: Span;
  pathType?: string;
  pathTypeNode?: Span;
  backend?: IngressBackend;
  node: Span;
}

export interface IngressRule {
  host?: string;
  hostNode?: Span;
  paths: IngressPath[];
  node: Span;
}

export interface IngressInfo {
  obj: K8sObject;
  name: string;
  namespace: string;
  /** extensions/v1beta1 or networking.k8s.io/v1beta1 (removed in Kubernetes 1.22). */
  legacy: boolean;
  ingressClassName?: string;
  defaultBackend?: IngressBackend;
  rules: IngressRule[];
  tls: { hosts: string[]; secretName?: string }[];
}

function readBackend(node: Node | undefined): IngressBackend | undefined {
  const m = asMap(node);
  if (!m) return undefined;
  const svc = asMap(get(m, 'service'));
  if (svc) {
    const portMap = asMap(get(svc, 'port'));
    const numberNode = get(portMap, 'number');
    const nameNode = get(portMap, 'name');
    return {
      serviceName: str(get(svc, 'name')),
      serviceNameNode: spanOf(get(svc, 'name')),
      portNumber: int(numberNode),
      portName: str(nameNode),
      portNode: spanOf(numberNode ?? nameNode ?? portMap),
      resource: false,
      node: spanOf(m)!,
    };
  }
  // Removed beta schema: serviceName / servicePort (int or name).
  const spNode = get(m, 'servicePort');
  if (get(m, 'serviceName') || spNode) {
    const sp = asScalar(spNode);
    return {
      serviceName: str(get(m, 'serviceName')),
      serviceNameNode: spanOf(get(m, 'serviceName')),
      portNumber: typeof sp?.value === 'number' ? sp.value : undefined,
      portName: typeof sp?.value === 'string' ? sp.value : undefined,
      portNode: spanOf(spNode),
      resource: false,
      node: spanOf(m)!,
    };
  }
  return { resource: !!get(m, 'resource'), node: spanOf(m)! };
}

export const readIngress = memo((obj: K8sObject): IngressInfo | undefined => {
  if (obj.kind !== 'Ingress' || !obj.name || obj.custom) return undefined;
  const spec = asMap(get(obj.node, 'spec'));
  const rules: IngressRule[] = seqItems(get(spec, 'rules')).map((r) => {
    const rm = asMap(r);
    const paths = seqItems(getIn(rm, 'http', 'paths')).map((p) => {
      const pm = asMap(p);
      return {
        path: str(get(pm, 'path')) ?? '/',
        pathNode: spanOf(get(pm, 'path')),
        pathType: str(get(pm, 'pathType')),
        pathTypeNode: spanOf(get(pm, 'pathType')),
        backend: readBackend(get(pm, 'backend')),
        node: spanOf(p)!,
      };
    });
    return { host: str(get(rm, 'host')), hostNode: spanOf(get(rm, 'host')), paths, node: spanOf(r)! };
  });
  return {
    obj,
    name: obj.name,
    namespace: obj.namespace,
    legacy: obj.apiVersion === 'extensions/v1beta1' || obj.apiVersion === 'networking.k8s.io/v1beta1',
    ingressClassName: str(get(spec, 'ingressClassName')),
    defaultBackend: readBackend(get(spec, 'defaultBackend') ?? get(spec, 'backend')),
    rules,
    tls: seqItems(get(spec, 'tls')).map((t) => ({
      hosts: seqItems(get(asMap(t), 'hosts')).map((h) => scalarText(h) ?? ''),
      secretName: str(get(asMap(t), 'secretName')),
    })),
  };
});

export function ingressBackends(ing: IngressInfo): IngressBackend[] {
  const out: IngressBackend[] = [];
  if (ing.defaultBackend) out.push(ing.defaultBackend);
  for (const r of ing.rules) for (const p of r.paths) if (p.backend) out.push(p.backend);
  return out;
}

// ---------------------------------------------------------------- NetworkPolicy

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except: string[] };
  node: Span;
}

export interface PolicyPort {
  protocol: string;
  /** Undefined: every port. */
  port?: number | string;
  endPort?: number;
}

export interface PolicyRule {
  /** Empty: every peer. */
  peers: PolicyPeer[];
  /** Empty: every port. */
  ports: PolicyPort[];
  node: Span;
}

export interface NetworkPolicyInfo {
  obj: K8sObject;
  name: string;
  namespace: string;
  podSelector: LabelSelector;
  podSelectorNode?: Span;
  policyTypes: string[];
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

function readRules(node: Node | undefined, peerKey: 'from' | 'to'): PolicyRule[] {
  return seqItems(node).map((r) => {
    const rm = asMap(r);
    const peers = seqItems(get(rm, peerKey)).map((p) => {
      const pm = asMap(p);
      const ipb = asMap(get(pm, 'ipBlock'));
      return {
        podSelector: getPair(pm, 'podSelector') ? readLabelSelector(get(pm, 'podSelector')) : undefined,
        namespaceSelector: getPair(pm, 'namespaceSelector') ? readLabelSelector(get(pm, 'namespaceSelector')) : undefined,
        ipBlock: ipb
          ? { cidr: str(get(ipb, 'cidr')) ?? '', except: seqItems(get(ipb, 'except')).map((e) => scalarText(e) ?? '') }
          : undefined,
        node: spanOf(p)!,
      };
    });
    const ports = seqItems(get(rm, 'ports')).map((p) => {
      const pm = asMap(p);
      const portScalar = asScalar(get(pm, 'port'));
      const v = portScalar?.value;
      return {
        protocol: str(get(pm, 'protocol')) ?? 'TCP',
        port: typeof v === 'number' || typeof v === 'string' ? v : undefined,
        endPort: int(get(pm, 'endPort')),
      };
    });
    return { peers, ports, node: spanOf(r)! };
  });
}

export const readNetworkPolicy = memo((obj: K8sObject): NetworkPolicyInfo | undefined => {
  if (obj.kind !== 'NetworkPolicy' || !obj.name || obj.custom) return undefined;
  const spec = asMap(get(obj.node, 'spec'));
  const podSelectorNode = get(spec, 'podSelector');
  const explicitTypes = seqItems(get(spec, 'policyTypes')).map((t) => str(t) ?? '');
  // Defaulting adds Egress only when there are egress rules: `egress: []` alone adds none.
  const hasEgress = seqItems(get(spec, 'egress')).length > 0;
  const policyTypes = explicitTypes.length ? explicitTypes : hasEgress ? ['Ingress', 'Egress'] : ['Ingress'];
  return {
    obj,
    name: obj.name,
    namespace: obj.namespace,
    podSelector: readLabelSelector(podSelectorNode),
    podSelectorNode: spanOf(podSelectorNode),
    policyTypes,
    ingress: readRules(get(spec, 'ingress'), 'from'),
    egress: readRules(get(spec, 'egress'), 'to'),
  };
});

// ---------------------------------------------------------------- Namespace

/** An object's own labels (a Namespace's, for namespaceSelectors). */
export const namespaceLabels = memo((obj: K8sObject): Record<string, string> => stringMap(getIn(obj.node, 'metadata', 'labels')) ?? {});

export { pairsOf, keyString };
