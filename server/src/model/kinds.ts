// Which documents are built-in Kubernetes kinds, and the name rule the API server applies
// to each. A kind is built-in only in its own API groups: a Knative `serving.knative.dev/v1`
// Service is a custom resource, not a core Service.
import { rfc1035LabelProblem, rfc1123LabelProblem, rfc1123SubdomainProblem } from './net';

/** The API group of an apiVersion (`v1` → '', `apps/v1` → 'apps'). */
/** `group/Kind/namespace/name`: how the workspace keys objects (same object, same key). */
export function identityOf(o: { apiVersion: string; kind: string; namespace: string; name?: string }): string {
  return `${apiGroupOf(o.apiVersion)}/${o.kind}/${o.namespace}/${o.name}`;
}

export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The kinds the model reads, with the groups that serve (or served: removed beta APIs) them. */
const MODELLED_KINDS: Record<string, readonly string[]> = {
  Service: [''], Pod: [''], Endpoints: [''], Namespace: [''], ReplicationController: [''],
  Deployment: ['apps', 'extensions'], ReplicaSet: ['apps', 'extensions'], DaemonSet: ['apps', 'extensions'],
  StatefulSet: ['apps'], Job: ['batch'], CronJob: ['batch'],
  Ingress: ['networking.k8s.io', 'extensions'], NetworkPolicy: ['networking.k8s.io', 'extensions'],
  IngressClass: ['networking.k8s.io'], EndpointSlice: ['discovery.k8s.io'],
};

/** Groups served by kube-apiserver itself. Not every `*.k8s.io` group is one: Gateway API
 *  (`gateway.networking.k8s.io`) is a CRD, `kustomize.config.k8s.io` a tool's file format. */
const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'extensions', 'policy', 'autoscaling', 'networking.k8s.io', 'discovery.k8s.io',
  'rbac.authorization.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io', 'node.k8s.io', 'coordination.k8s.io',
  'certificates.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io',
  'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io',
  'resource.k8s.io', 'internal.apiserver.k8s.io', 'storagemigration.k8s.io',
]);

export function isBuiltinGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group);
}

/** True when the document is not a built-in kind of a built-in group: a custom resource or
 *  another tool's configuration (Kustomization, Skaffold…). Such objects get no core checks. */
export function isCustomKind(apiVersion: string, kind: string): boolean {
  const group = apiGroupOf(apiVersion);
  const groups = MODELLED_KINDS[kind];
  if (groups) return !groups.includes(group);
  return !isBuiltinGroup(group);
}

export type NameRule = 'dns-1035-label' | 'dns-1123-label' | 'dns-1123-subdomain' | 'path-segment';

/** The API server's name validation per built-in kind; undefined where we do not know it
 *  (then nothing is flagged). */
const NAME_RULES: Record<string, NameRule> = {
  Service: 'dns-1035-label',
  Namespace: 'dns-1123-label',
  Role: 'path-segment', ClusterRole: 'path-segment', RoleBinding: 'path-segment', ClusterRoleBinding: 'path-segment',
  Pod: 'dns-1123-subdomain', ReplicationController: 'dns-1123-subdomain', Endpoints: 'dns-1123-subdomain',
  ConfigMap: 'dns-1123-subdomain', Secret: 'dns-1123-subdomain', ServiceAccount: 'dns-1123-subdomain',
  PersistentVolumeClaim: 'dns-1123-subdomain', PersistentVolume: 'dns-1123-subdomain', Node: 'dns-1123-subdomain',
  Deployment: 'dns-1123-subdomain', ReplicaSet: 'dns-1123-subdomain', DaemonSet: 'dns-1123-subdomain',
  StatefulSet: 'dns-1123-subdomain', Job: 'dns-1123-subdomain', CronJob: 'dns-1123-subdomain',
  Ingress: 'dns-1123-subdomain', IngressClass: 'dns-1123-subdomain', NetworkPolicy: 'dns-1123-subdomain',
  EndpointSlice: 'dns-1123-subdomain', PodDisruptionBudget: 'dns-1123-subdomain',
  HorizontalPodAutoscaler: 'dns-1123-subdomain', StorageClass: 'dns-1123-subdomain', PriorityClass: 'dns-1123-subdomain',
};

export function nameRuleOf(apiVersion: string, kind: string): NameRule | undefined {
  return isCustomKind(apiVersion, kind) ? undefined : NAME_RULES[kind];
}

/** Why a name breaks a rule, or undefined when it is fine. */
export function nameProblem(rule: NameRule, name: string): string | undefined {
  switch (rule) {
    case 'dns-1035-label': return rfc1035LabelProblem(name);
    case 'dns-1123-label': return rfc1123LabelProblem(name);
    case 'dns-1123-subdomain': return rfc1123SubdomainProblem(name);
    case 'path-segment':
      // RBAC names only have to be usable as one URL path segment (`system:metrics` is fine).
      if (name === '.' || name === '..') return 'may not be `.` or `..`';
      if (/[/%]/.test(name)) return 'may not contain `/` or `%`';
      return undefined;
  }
}

/** Placeholders of template tools (envsubst `${VAR}`, `$(VAR)`, Go/Helm `{{ }}`, sed-style
 *  `__VAR__`) and of documentation (`<your-domain>`): a value holding one is filled in before
 *  the object reaches the API server. */
const PLACEHOLDER = /\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\{\{[^}]*\}\}|__[A-Z][A-Z0-9_]*__|<[A-Za-z][\w .-]*>/;

export function hasPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}
