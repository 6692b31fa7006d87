import type { Node } from 'yaml';
import type { K8sObject } from '../../parse';
import type { TextEdit, TextEditFix } from '../../types';
import { asMap, asScalar, get, getIn, getPair, keyString, pairsOf, seqItems, str } from '../../yamlNodes';
import { defineRule } from '../rule';

/** apiVersions removed from Kubernetes, per kind: [removed in, replacement] — the upstream
 *  Deprecated API Migration Guide (v1.16 to v1.32). PodSecurityPolicy has no replacement
 *  object; CustomResourceDefinitions are not read (their documents are skipped unparsed). */
const REMOVED_APIS: Record<string, Record<string, [string, string | null]>> = {
  Ingress: { 'extensions/v1beta1': ['1.22', 'networking.k8s.io/v1'], 'networking.k8s.io/v1beta1': ['1.22', 'networking.k8s.io/v1'] },
  Deployment: { 'extensions/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  DaemonSet: { 'extensions/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  ReplicaSet: { 'extensions/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  StatefulSet: { 'apps/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  NetworkPolicy: { 'extensions/v1beta1': ['1.16', 'networking.k8s.io/v1'] },
  PodSecurityPolicy: { 'extensions/v1beta1': ['1.16', null], 'policy/v1beta1': ['1.25', null] },
  EndpointSlice: { 'discovery.k8s.io/v1beta1': ['1.25', 'discovery.k8s.io/v1'] },
  CronJob: { 'batch/v1beta1': ['1.25', 'batch/v1'], 'batch/v2alpha1': ['1.21', 'batch/v1'] },
  HorizontalPodAutoscaler: { 'autoscaling/v2beta1': ['1.25', 'autoscaling/v2'], 'autoscaling/v2beta2': ['1.26', 'autoscaling/v2'] },
  PodDisruptionBudget: { 'policy/v1beta1': ['1.25', 'policy/v1'] },
  RuntimeClass: { 'node.k8s.io/v1beta1': ['1.25', 'node.k8s.io/v1'] },
  Event: { 'events.k8s.io/v1beta1': ['1.25', 'events.k8s.io/v1'] },
  CSIStorageCapacity: { 'storage.k8s.io/v1beta1': ['1.27', 'storage.k8s.io/v1'] },
  IngressClass: { 'networking.k8s.io/v1beta1': ['1.22', 'networking.k8s.io/v1'] },
  PriorityClass: { 'scheduling.k8s.io/v1beta1': ['1.22', 'scheduling.k8s.io/v1'] },
  Lease: { 'coordination.k8s.io/v1beta1': ['1.22', 'coordination.k8s.io/v1'] },
  CertificateSigningRequest: { 'certificates.k8s.io/v1beta1': ['1.22', 'certificates.k8s.io/v1'] },
  APIService: { 'apiregistration.k8s.io/v1beta1': ['1.22', 'apiregistration.k8s.io/v1'] },
  TokenReview: { 'authentication.k8s.io/v1beta1': ['1.22', 'authentication.k8s.io/v1'] },
  ...sameRemoval(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], 'admissionregistration.k8s.io/v1beta1', '1.22', 'admissionregistration.k8s.io/v1'),
  ...sameRemoval(['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'], 'authorization.k8s.io/v1beta1', '1.22', 'authorization.k8s.io/v1'),
  ...sameRemoval(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], 'rbac.authorization.k8s.io/v1beta1', '1.22', 'rbac.authorization.k8s.io/v1'),
  ...sameRemoval(['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], 'storage.k8s.io/v1beta1', '1.22', 'storage.k8s.io/v1'),
};

function sameRemoval(kinds: string[], apiVersion: string, version: string, replacement: string): Record<string, Record<string, [string, string]>> {
  return Object.fromEntries(kinds.map((k) => [k, { [apiVersion]: [version, replacement] }]));
}

// Flow control: three beta versions removed in turn (v1.26, v1.29, v1.32).
for (const kind of ['FlowSchema', 'PriorityLevelConfiguration']) {
  REMOVED_APIS[kind] = {
    'flowcontrol.apiserver.k8s.io/v1beta1': ['1.26', 'flowcontrol.apiserver.k8s.io/v1'],
    'flowcontrol.apiserver.k8s.io/v1beta2': ['1.29', 'flowcontrol.apiserver.k8s.io/v1'],
    'flowcontrol.apiserver.k8s.io/v1beta3': ['1.32', 'flowcontrol.apiserver.k8s.io/v1'],
  };
}

export default defineRule({
  code: 'deprecated-api', severity: 'error', kinds: Object.keys(REMOVED_APIS),
  rejectedBy: 'the API server does not serve a removed group/version ("no matches for kind")',
  title: 'An apiVersion removed from Kubernetes',
  why: 'Current clusters reject it',
  example: '`extensions/v1beta1` Ingress (removed in 1.22)',
  fix: 'Move to the stable API (quick fix for Ingress)',
  checks: {
    object(o, _ctx, report) {
      const removed = REMOVED_APIS[o.kind]?.[o.apiVersion];
      if (!removed) return;
      const [version, replacement] = removed;
      const apiNode = get(o.node, 'apiVersion');
      const extraNote = o.kind === 'Ingress'
        ? ' The v1 schema also changes the backend: `service: {name, port: {number|name}}` and a required `pathType`.'
        : replacement === 'apps/v1' ? ' apps/v1 requires `spec.selector` matching the template labels.' : '';
      const fix = o.kind === 'Ingress' ? ingressV1Rewrite(o) : replacement === 'apps/v1' && apiNode
        ? { title: `Change apiVersion to ${replacement}`, edits: [{ uri: o.uri, range: o.src.nodeRange(apiNode), newText: replacement }] }
        : undefined;
      const use = replacement ? `Use \`${replacement}\`.` : 'Nothing replaces it: Pod Security Admission (namespace labels `pod-security.kubernetes.io/*`) does its job.';
      report.at(o, apiNode,
        `${o.kind} \`${o.apiVersion}\` was removed in Kubernetes ${version}; current clusters reject it. ${use}${extraNote}`,
        fix ? { fixes: [fix] } : {});
    },
  },
});

/** The networking.k8s.io/v1 form of a beta Ingress: new apiVersion, `service: {name, port}`
 *  backends, `defaultBackend`, and `pathType: ImplementationSpecific` (the beta behaviour). */
function ingressV1Rewrite(o: K8sObject): TextEditFix | undefined {
  const apiNode = get(o.node, 'apiVersion');
  if (!apiNode) return undefined;
  const edits: TextEdit[] = [{ uri: o.uri, range: o.src.nodeRange(apiNode), newText: 'networking.k8s.io/v1' }];
  const rewriteBackend = (node: Node | undefined) => {
    const m = asMap(node);
    const name = str(get(m, 'serviceName'));
    const port = asScalar(get(m, 'servicePort'))?.value;
    if (!m || name === undefined || (typeof port !== 'number' && typeof port !== 'string')) return;
    const portField = typeof port === 'number' ? `number: ${port}` : `name: ${port}`;
    const extra = pairsOf(m).filter((p) => !['serviceName', 'servicePort'].includes(keyString(p) ?? ''));
    if (extra.length) return; // a resource backend or unknown keys: leave it to the user
    if (m.flow) {
      edits.push({ uri: o.uri, range: o.src.nodeRange(m), newText: `{service: {name: ${name}, port: {${portField}}}}` });
    } else {
      const ind = ' '.repeat(o.src.position(m.range![0]).character);
      edits.push({ uri: o.uri, range: o.src.nodeRange(m), newText: `service:\n${ind}  name: ${name}\n${ind}  port:\n${ind}    ${portField}` });
    }
  };
  const spec = asMap(get(o.node, 'spec'));
  const defaultPair = getPair(spec, 'backend');
  if (defaultPair) {
    edits.push({ uri: o.uri, range: o.src.nodeRange(defaultPair.key as Node), newText: 'defaultBackend' });
    rewriteBackend(get(spec, 'backend'));
  }
  for (const rule of seqItems(get(spec, 'rules'))) {
    for (const path of seqItems(getIn(asMap(rule), 'http', 'paths'))) {
      const pm = asMap(path);
      const backendPair = getPair(pm, 'backend');
      if (pm && backendPair && !getPair(pm, 'pathType')) {
        const keyStart = (backendPair.key as Node).range![0];
        const at0 = o.src.range(keyStart, keyStart);
        const ind = ' '.repeat(o.src.position(keyStart).character);
        edits.push({ uri: o.uri, range: at0, newText: pm.flow ? 'pathType: ImplementationSpecific, ' : `pathType: ImplementationSpecific\n${ind}` });
      }
      rewriteBackend(get(pm, 'backend'));
    }
  }
  return { title: 'Rewrite as networking.k8s.io/v1 Ingress', edits };
}
