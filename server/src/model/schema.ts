// Field schemas for the networking-relevant parts of Kubernetes objects, and the walker
// that reports unknown fields, wrong types and invalid enum values against them.
import { isMap, isScalar, isSeq, Node, Pair } from 'yaml';
import type { K8sObject } from './parse';
import type { TextEditFix } from './types';
import { closest } from './suggest';
import { deref, keyString, pairsOf } from './yamlNodes';

type Schema =
  | { t: 'obj'; name: string; fields: Record<string, Schema>; open?: boolean }
  | { t: 'map'; values: Schema }
  | { t: 'arr'; items: Schema }
  | { t: 'str'; values?: string[]; what?: string }
  | { t: 'int' }
  | { t: 'bool' }
  | { t: 'intstr' }
  | { t: 'any' };

const ANY: Schema = { t: 'any' };
const STR: Schema = { t: 'str' };
const INT: Schema = { t: 'int' };
const BOOL: Schema = { t: 'bool' };
const INTSTR: Schema = { t: 'intstr' };
const obj = (name: string, fields: Record<string, Schema>, open = false): Schema => ({ t: 'obj', name, fields, open });
const arr = (items: Schema): Schema => ({ t: 'arr', items });
const map = (values: Schema): Schema => ({ t: 'map', values });
const oneOf = (what: string, ...values: string[]): Schema => ({ t: 'str', values, what });

export const ENUMS = {
  serviceType: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  protocol: ['TCP', 'UDP', 'SCTP'],
  sessionAffinity: ['None', 'ClientIP'],
  trafficPolicy: ['Cluster', 'Local'],
  pathType: ['Exact', 'Prefix', 'ImplementationSpecific'],
  policyType: ['Ingress', 'Egress'],
  selectorOperator: ['In', 'NotIn', 'Exists', 'DoesNotExist'],
  ipFamily: ['IPv4', 'IPv6'],
  ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  addressType: ['IPv4', 'IPv6', 'FQDN'],
  dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
};

const PROTOCOL = oneOf('protocol', ...ENUMS.protocol);
const STRING_MAP = map(STR);

const OBJECT_META = obj('metadata', {
  name: STR, generateName: STR, namespace: STR, labels: STRING_MAP, annotations: STRING_MAP,
  uid: STR, resourceVersion: STR, generation: INT, creationTimestamp: ANY, deletionTimestamp: ANY,
  deletionGracePeriodSeconds: INT, ownerReferences: arr(ANY), finalizers: arr(STR), managedFields: arr(ANY),
  selfLink: STR,
});

const LABEL_SELECTOR = obj('label selector', {
  matchLabels: STRING_MAP,
  matchExpressions: arr(obj('label selector requirement', {
    key: STR, operator: oneOf('selector operator', ...ENUMS.selectorOperator), values: arr(STR),
  })),
});

const TOP = (spec: Schema, extra: Record<string, Schema> = {}): Record<string, Schema> => ({
  apiVersion: STR, kind: STR, metadata: OBJECT_META, spec, status: ANY, ...extra,
});

const SERVICE = obj('Service', TOP(obj('Service spec', {
  ports: arr(obj('Service port', {
    name: STR, protocol: PROTOCOL, appProtocol: STR, port: INT, targetPort: INTSTR, nodePort: INT,
  })),
  selector: STRING_MAP,
  clusterIP: STR,
  clusterIPs: arr(STR),
  type: oneOf('Service type', ...ENUMS.serviceType),
  externalIPs: arr(STR),
  sessionAffinity: oneOf('sessionAffinity', ...ENUMS.sessionAffinity),
  loadBalancerIP: STR,
  loadBalancerSourceRanges: arr(STR),
  externalName: STR,
  externalTrafficPolicy: oneOf('externalTrafficPolicy', ...ENUMS.trafficPolicy),
  healthCheckNodePort: INT,
  publishNotReadyAddresses: BOOL,
  sessionAffinityConfig: obj('sessionAffinityConfig', { clientIP: obj('clientIP', { timeoutSeconds: INT }) }),
  ipFamilies: arr(oneOf('IP family', ...ENUMS.ipFamily)),
  ipFamilyPolicy: oneOf('ipFamilyPolicy', ...ENUMS.ipFamilyPolicy),
  allocateLoadBalancerNodePorts: BOOL,
  loadBalancerClass: STR,
  internalTrafficPolicy: oneOf('internalTrafficPolicy', ...ENUMS.trafficPolicy),
  trafficDistribution: STR,
})));

const ENDPOINT_PORT = obj('endpoint port', { name: STR, port: INT, protocol: PROTOCOL, appProtocol: STR });
const OBJECT_REF = obj('object reference', {
  kind: STR, namespace: STR, name: STR, uid: STR, apiVersion: STR, resourceVersion: STR, fieldPath: STR,
});
const ENDPOINT_ADDRESS = obj('endpoint address', { ip: STR, hostname: STR, nodeName: STR, targetRef: OBJECT_REF });

const ENDPOINTS = obj('Endpoints', {
  apiVersion: STR, kind: STR, metadata: OBJECT_META,
  subsets: arr(obj('Endpoints subset', {
    addresses: arr(ENDPOINT_ADDRESS), notReadyAddresses: arr(ENDPOINT_ADDRESS), ports: arr(ENDPOINT_PORT),
  })),
});

const ENDPOINT_SLICE = obj('EndpointSlice', {
  apiVersion: STR, kind: STR, metadata: OBJECT_META,
  addressType: oneOf('addressType', ...ENUMS.addressType),
  endpoints: arr(obj('endpoint', {
    addresses: arr(STR),
    conditions: obj('endpoint conditions', { ready: BOOL, serving: BOOL, terminating: BOOL }),
    hostname: STR, targetRef: OBJECT_REF, nodeName: STR, zone: STR, deprecatedTopology: STRING_MAP,
    hints: obj('endpoint hints', { forZones: arr(obj('zone hint', { name: STR })), forNodes: arr(obj('node hint', { name: STR })) }),
  })),
  ports: arr(ENDPOINT_PORT),
});

const INGRESS_V1_BACKEND = obj('Ingress backend', {
  service: obj('Ingress backend service', { name: STR, port: obj('Service backend port', { name: STR, number: INT }) }),
  resource: obj('resource backend', { apiGroup: STR, kind: STR, name: STR }),
});
const INGRESS_BETA_BACKEND = obj('Ingress backend', {
  serviceName: STR, servicePort: INTSTR,
  resource: obj('resource backend', { apiGroup: STR, kind: STR, name: STR }),
});
const ingressSchema = (backend: Schema, defaultBackendKey: string): Schema => obj('Ingress', TOP(obj('Ingress spec', {
  ingressClassName: STR,
  [defaultBackendKey]: backend,
  tls: arr(obj('Ingress TLS', { hosts: arr(STR), secretName: STR })),
  rules: arr(obj('Ingress rule', {
    host: STR,
    http: obj('Ingress rule http', {
      paths: arr(obj('Ingress path', { path: STR, pathType: oneOf('pathType', ...ENUMS.pathType), backend })),
    }),
  })),
})));
const INGRESS_V1 = ingressSchema(INGRESS_V1_BACKEND, 'defaultBackend');
const INGRESS_BETA = ingressSchema(INGRESS_BETA_BACKEND, 'backend');

const PEER = obj('NetworkPolicy peer', {
  podSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR,
  ipBlock: obj('ipBlock', { cidr: STR, except: arr(STR) }),
});
const POLICY_PORT = obj('NetworkPolicy port', { protocol: PROTOCOL, port: INTSTR, endPort: INT });
const NETWORK_POLICY = obj('NetworkPolicy', TOP(obj('NetworkPolicy spec', {
  podSelector: LABEL_SELECTOR,
  policyTypes: arr(oneOf('policy type', ...ENUMS.policyType)),
  ingress: arr(obj('ingress rule', { from: arr(PEER), ports: arr(POLICY_PORT) })),
  egress: arr(obj('egress rule', { to: arr(PEER), ports: arr(POLICY_PORT) })),
})));

const CONTAINER = obj('container', {
  ports: arr(obj('container port', { name: STR, containerPort: INT, protocol: PROTOCOL, hostPort: INT, hostIP: STR })),
}, true);
const POD_SPEC = obj('pod spec', {
  containers: arr(CONTAINER), initContainers: arr(CONTAINER),
  hostname: STR, subdomain: STR, hostNetwork: BOOL,
  dnsPolicy: oneOf('dnsPolicy', ...ENUMS.dnsPolicy),
  dnsConfig: obj('dnsConfig', {
    nameservers: arr(STR), searches: arr(STR), options: arr(obj('DNS option', { name: STR, value: STR })),
  }),
}, true);
const POD_TEMPLATE = obj('pod template', { metadata: OBJECT_META, spec: POD_SPEC });
const controllerSpec = (selector: Schema, extra: Record<string, Schema> = {}): Schema =>
  obj('spec', { replicas: INT, selector, template: POD_TEMPLATE, ...extra }, true);

const WORKLOADS: Record<string, Schema> = {
  Pod: obj('Pod', TOP(POD_SPEC)),
  Deployment: obj('Deployment', TOP(controllerSpec(LABEL_SELECTOR))),
  ReplicaSet: obj('ReplicaSet', TOP(controllerSpec(LABEL_SELECTOR))),
  StatefulSet: obj('StatefulSet', TOP(controllerSpec(LABEL_SELECTOR, { serviceName: STR }))),
  DaemonSet: obj('DaemonSet', TOP(controllerSpec(LABEL_SELECTOR))),
  Job: obj('Job', TOP(controllerSpec(LABEL_SELECTOR, { parallelism: INT }))),
  ReplicationController: obj('ReplicationController', TOP(controllerSpec(STRING_MAP))),
  CronJob: obj('CronJob', TOP(obj('spec', {
    jobTemplate: obj('job template', { metadata: OBJECT_META, spec: controllerSpec(LABEL_SELECTOR, { parallelism: INT }) }),
  }, true))),
};

const NAMESPACE = obj('Namespace', TOP(ANY));

/** The kinds with a field schema here. */
export const SCHEMA_KINDS: readonly string[] = ['Service', 'Endpoints', 'EndpointSlice', 'Ingress', 'NetworkPolicy', 'Namespace', ...Object.keys(WORKLOADS)];

export function schemaFor(o: K8sObject): Schema | undefined {
  switch (o.kind) {
    case 'Service': return o.apiVersion === 'v1' ? SERVICE : undefined;
    case 'Endpoints': return o.apiVersion === 'v1' ? ENDPOINTS : undefined;
    case 'EndpointSlice': return ENDPOINT_SLICE;
    case 'Ingress': return o.apiVersion === 'networking.k8s.io/v1' ? INGRESS_V1 : INGRESS_BETA;
    case 'NetworkPolicy': return NETWORK_POLICY;
    case 'Namespace': return NAMESPACE;
    default: return o.apiVersion.includes('/') || o.kind === 'Pod' || o.kind === 'ReplicationController'
      ? WORKLOADS[o.kind] : undefined;
  }
}

function typeName(node: Node | undefined): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number') return Number.isInteger(v) ? 'a number' : 'a decimal number';
    if (typeof v === 'boolean') return 'a boolean';
    if (typeof v === 'string') return 'a string';
  }
  return 'a value of another type';
}

/** A field that breaks the kind's schema. Three rules report these: unknown-field,
 *  invalid-type and invalid-value (enums). */
export interface SchemaFinding {
  code: 'unknown-field' | 'invalid-type' | 'invalid-value';
  node: Node | Pair['key'];
  message: string;
  fixes?: TextEditFix[];
}

const findingsByObject = new WeakMap<K8sObject, SchemaFinding[]>();

/** The schema findings of an object (walked once, shared by the three rules). */
export function schemaFindings(o: K8sObject): SchemaFinding[] {
  let list = findingsByObject.get(o);
  if (!list) {
    list = [];
    const schema = schemaFor(o);
    if (schema) walk(o, schema, o.node, `${o.kind}`, list, 0);
    findingsByObject.set(o, list);
  }
  return list;
}

function push(out: SchemaFinding[], o: K8sObject, node: Node | Pair['key'], code: SchemaFinding['code'], message: string, fixes?: TextEditFix[]) {
  out.push({ code, node, message, ...(fixes ? { fixes } : {}) });
}

function walk(o: K8sObject, schema: Schema, raw: unknown, where: string, out: SchemaFinding[], depth: number): void {
  const node = deref(raw);
  if (!node || depth > 60) return;
  // null means "unset" in Kubernetes objects.
  if (isScalar(node) && (node.value === null || node.value === undefined)) return;
  switch (schema.t) {
    case 'any':
      return;
    case 'obj': {
      if (!isMap(node)) {
        push(out, o, node, 'invalid-type', `${where} must be a map (an object), not ${typeName(node)}.`);
        return;
      }
      for (const pair of pairsOf(node)) {
        const key = keyString(pair);
        if (key === undefined) continue;
        const sub = schema.fields[key];
        if (sub) {
          walk(o, sub, pair.value, `\`${key}\``, out, depth + 1);
        } else if (!schema.open) {
          const guess = closest(key, Object.keys(schema.fields));
          const keyNode = pair.key as Node;
          push(out, o, keyNode, 'unknown-field',
            `Unknown field \`${key}\` in ${schema.name}${guess ? `; did you mean \`${guess}\`?` : '.'} ` +
            'The API server drops unknown fields (kubectl rejects them with strict validation).',
            guess ? [{ title: `Rename to \`${guess}\``, edits: [{ uri: o.uri, range: o.src.nodeRange(keyNode), newText: guess }] }] : undefined);
        }
      }
      return;
    }
    case 'map': {
      if (!isMap(node)) {
        push(out, o, node, 'invalid-type', `${where} must be a map, not ${typeName(node)}.`);
        return;
      }
      for (const pair of pairsOf(node)) {
        const k = keyString(pair);
        walk(o, schema.values, pair.value, k !== undefined ? `The value of \`${k}\`` : 'A value', out, depth + 1);
      }
      return;
    }
    case 'arr': {
      if (!isSeq(node)) {
        push(out, o, node, 'invalid-type', `${where} must be a list, not ${typeName(node)}.`);
        return;
      }
      for (const item of node.items) walk(o, schema.items, item, `An item of ${where}`, out, depth + 1);
      return;
    }
    case 'str': {
      if (!isScalar(node) || typeof node.value !== 'string') {
        const quoteHint = isScalar(node) ? ` Quote it: \`"${node.source ?? String(node.value)}"\`.` : '';
        push(out, o, node, 'invalid-type', `${where} must be a string, not ${typeName(node)}.${quoteHint}`,
          isScalar(node) && node.source !== undefined
            ? [{ title: 'Quote the value', edits: [{ uri: o.uri, range: o.src.nodeRange(node), newText: JSON.stringify(String(node.source)) }] }]
            : undefined);
        return;
      }
      if (schema.values && !schema.values.includes(node.value)) {
        const guess = closest(node.value, schema.values);
        push(out, o, node, 'invalid-value',
          `\`${node.value}\` is not a valid ${schema.what}${guess ? `; did you mean \`${guess}\`?` : '.'} ` +
          `Valid values (case-sensitive): ${schema.values.join(', ')}.`,
          guess ? [{ title: `Change to \`${guess}\``, edits: [{ uri: o.uri, range: o.src.nodeRange(node), newText: guess }] }] : undefined);
      }
      return;
    }
    case 'int': {
      if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) {
        const s = isScalar(node) && typeof node.value === 'string' && /^\d+$/.test(node.value) ? node.value : undefined;
        push(out, o, node, 'invalid-type',
          `${where} must be an integer, not ${typeName(node)}.${s ? ` Remove the quotes: \`${s}\`.` : ''}`,
          s ? [{ title: 'Remove the quotes', edits: [{ uri: o.uri, range: o.src.nodeRange(node), newText: s }] }] : undefined);
      }
      return;
    }
    case 'bool': {
      if (!isScalar(node) || typeof node.value !== 'boolean') {
        push(out, o, node, 'invalid-type', `${where} must be true or false, not ${typeName(node)}.`);
      }
      return;
    }
    case 'intstr': {
      if (!isScalar(node) || !(typeof node.value === 'string' || (typeof node.value === 'number' && Number.isInteger(node.value)))) {
        push(out, o, node, 'invalid-type', `${where} must be a port number or a port name, not ${typeName(node)}.`);
      }
      return;
    }
  }
}
