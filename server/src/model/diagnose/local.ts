// Checks that need only the object itself: names, ports, enums, types, removed APIs.
import { isScalar, Node } from 'yaml';
import type { K8sObject } from '../parse';
import {
  describeSelector, PodTemplate, readEndpoints, readIngress, readNetworkPolicy, readPodTemplate, readService,
  selectorMatches, WORKLOAD_KINDS,
} from '../objects';
import { hasPlaceholder, nameProblem, nameRuleOf } from '../kinds';
import { checkSchema } from '../schema';
import {
  cidrContains, endpointAddressProblem, externalNameProblem, ianaSvcNameProblem, labelKeyProblem,
  labelValueProblem, parseCidr, parseIPv4, parsePortRange, rfc1123LabelProblem,
  rfc1123SubdomainProblem, isIPv6,
} from '../net';
import type { Settings, TextEdit, TextEditFix } from '../types';
import { asMap, asScalar, get, getIn, getPair, keyString, pairsOf, seqItems, str } from '../yamlNodes';
import { at, objRef, related, Sink } from './emit';

/** apiVersions removed from Kubernetes, per kind: [removed in, replacement]. */
const REMOVED_APIS: Record<string, Record<string, [string, string]>> = {
  Ingress: { 'extensions/v1beta1': ['1.22', 'networking.k8s.io/v1'], 'networking.k8s.io/v1beta1': ['1.22', 'networking.k8s.io/v1'] },
  Deployment: { 'extensions/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  DaemonSet: { 'extensions/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  ReplicaSet: { 'extensions/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  StatefulSet: { 'apps/v1beta1': ['1.16', 'apps/v1'], 'apps/v1beta2': ['1.16', 'apps/v1'] },
  NetworkPolicy: { 'extensions/v1beta1': ['1.16', 'networking.k8s.io/v1'] },
  EndpointSlice: { 'discovery.k8s.io/v1beta1': ['1.25', 'discovery.k8s.io/v1'] },
  CronJob: { 'batch/v1beta1': ['1.25', 'batch/v1'], 'batch/v2alpha1': ['1.21', 'batch/v1'] },
};

export function checkObject(o: K8sObject, settings: Settings, out: Sink): void {
  // Custom resources and other tools' files follow rules we do not know; templates are
  // filled in before the API server sees them.
  if (o.custom || o.templated) return;
  checkRemovedApi(o, out);
  checkSchema(o, out);
  checkNames(o, out);
  checkLabels(o, get(asMap(get(o.node, 'metadata')), 'labels'), out);
  switch (o.kind) {
    case 'Service': checkService(o, settings, out); break;
    case 'Endpoints':
    case 'EndpointSlice': checkEndpoints(o, out); break;
    case 'Ingress': checkIngress(o, out); break;
    case 'NetworkPolicy': checkNetworkPolicy(o, out); break;
    default:
      if (WORKLOAD_KINDS.has(o.kind)) checkWorkload(o, out);
  }
}

function checkRemovedApi(o: K8sObject, out: Sink) {
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
  at(out, o, apiNode, 'error', 'deprecated-api',
    `${o.kind} \`${o.apiVersion}\` was removed in Kubernetes ${version}; current clusters reject it. Use \`${replacement}\`.${extraNote}`,
    fix ? { fixes: [fix] } : {});
}

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

function checkNames(o: K8sObject, out: Sink) {
  const meta = asMap(get(o.node, 'metadata'));
  const nameNode = get(meta, 'name');
  const generateName = str(get(meta, 'generateName'));
  if (o.name === undefined) {
    if (!generateName && !isScalar(nameNode)) {
      at(out, o, getPair(o.node, 'metadata')?.key as Node ?? get(o.node, 'kind'), 'error', 'missing-name',
        `${o.kind} has no \`metadata.name\`; the API server rejects it.`);
    }
    return;
  }
  const nameRule = nameRuleOf(o.apiVersion, o.kind);
  const problem = nameRule && nameProblem(nameRule, o.name);
  if (nameRule && problem) {
    const rule = o.kind === 'Service' ? ' (Service names are DNS labels: RFC 1035)' : '';
    const lower = o.name.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
    at(out, o, nameNode, 'error', 'invalid-name', `${o.kind} name \`${o.name}\` ${problem}${rule}.`,
      lower !== o.name && !nameProblem(nameRule, lower)
        ? { fixes: [{ title: `Rename to \`${lower}\``, edits: [{ uri: o.uri, range: o.src.nodeRange(nameNode), newText: lower }] }] }
        : {});
  }
  const nsNode = get(meta, 'namespace');
  const ns = str(nsNode);
  if (ns !== undefined) {
    const nsProblem = rfc1123LabelProblem(ns);
    if (nsProblem) at(out, o, nsNode, 'error', 'invalid-name', `Namespace \`${ns}\` ${nsProblem}.`);
  }
}

function checkLabels(o: K8sObject, labelsNode: Node | undefined, out: Sink, what = 'Label') {
  for (const p of pairsOf(asMap(labelsNode))) {
    const k = keyString(p);
    if (k === undefined) continue;
    const kp = labelKeyProblem(k);
    if (kp) at(out, o, p.key as Node, 'error', 'invalid-label', `${what} key \`${k}\` ${kp}.`);
    const v = asScalar(p.value);
    if (v && typeof v.value === 'string') {
      const vp = labelValueProblem(v.value);
      if (vp) at(out, o, v, 'error', 'invalid-label', `${what} value \`${v.value}\` for \`${k}\` ${vp}.`);
    }
  }
}

function checkPortNumber(o: K8sObject, node: Node | undefined, what: string, out: Sink, allowZero: boolean) {
  const s = asScalar(node);
  if (!s || typeof s.value !== 'number' || !Number.isInteger(s.value)) return;
  if (allowZero && s.value === 0) return;
  if (s.value < 1 || s.value > 65535) {
    at(out, o, s, 'error', 'port-out-of-range', `${what} ${s.value} is outside 1–65535.`);
  }
}

function checkService(o: K8sObject, settings: Settings, out: Sink) {
  const svc = readService(o);
  if (!svc) return;
  const type = svc.type;
  const external = type === 'NodePort' || type === 'LoadBalancer';
  const seenPorts = new Map<string, Node>();
  const seenNames = new Map<string, Node>();
  const [npLo, npHi] = parsePortRange(settings.nodePortRange);
  const spec = asMap(get(o.node, 'spec'));
  if (type !== 'ExternalName' && svc.ports.length === 0 && !svc.headless) {
    at(out, o, getPair(spec, 'ports')?.key as Node ?? getPair(o.node, 'spec')?.key as Node, 'error', 'missing-field',
      `Service \`${svc.name}\` has no ports; the API server requires at least one (only headless and ExternalName Services may omit them).`);
  }
  for (const p of svc.ports) {
    if (p.port === undefined && !get(asMap(p.node), 'port')) {
      at(out, o, p.node, 'error', 'missing-field', 'Service port has no `port`; it is required.');
    }
    checkPortNumber(o, p.portNode, 'Port', out, false);
    const tp = asScalar(p.targetPortNode);
    if (tp && typeof tp.value === 'number') checkPortNumber(o, tp, 'targetPort', out, true);
    if (tp && typeof tp.value === 'string' && tp.value !== '') {
      if (/^\d+$/.test(tp.value)) {
        at(out, o, tp, 'error', 'invalid-name',
          `targetPort \`"${tp.value}"\` is a string, so it names a container port, and port names must contain a letter. Write it as a number: \`${tp.value}\`.`,
          { fixes: [{ title: 'Remove the quotes', edits: [{ uri: o.uri, range: o.src.nodeRange(tp), newText: tp.value }] }] });
      } else {
        const np = ianaSvcNameProblem(tp.value);
        if (np) at(out, o, tp, 'error', 'invalid-name', `targetPort name \`${tp.value}\` ${np}.`);
      }
    }
    if (svc.ports.length > 1 && !p.name && type !== 'ExternalName') {
      const suggestion = p.port !== undefined ? `port-${p.port}` : undefined;
      at(out, o, p.portNode ?? p.node, 'error', 'port-name-required',
        `Service \`${svc.name}\` has ${svc.ports.length} ports, so every port needs a unique \`name\`.`,
        suggestion && p.portNode
          ? { fixes: [{ title: `Add \`name: ${suggestion}\``, edits: [{ uri: o.uri, range: startRange(o, p.node), newText: `name: ${suggestion}\n${indentOf(o, p.node)}` }] }] }
          : {});
    }
    if (p.name) {
      const np = rfc1123LabelProblem(p.name);
      if (np) at(out, o, p.nameNode, 'error', 'invalid-name', `Port name \`${p.name}\` ${np}.`);
      const prev = seenNames.get(p.name);
      if (prev) at(out, o, p.nameNode, 'error', 'duplicate-port', `Port name \`${p.name}\` is used twice in Service \`${svc.name}\`.`, { related: [related(o, prev, 'first use')] });
      else if (p.nameNode) seenNames.set(p.name, p.nameNode);
    }
    if (p.port !== undefined) {
      const key = `${p.port}/${p.protocol}`;
      const prev = seenPorts.get(key);
      if (prev) at(out, o, p.portNode, 'error', 'duplicate-port', `Port ${p.port}/${p.protocol} is declared twice in Service \`${svc.name}\`.`, { related: [related(o, prev, 'first declaration')] });
      else if (p.portNode) seenPorts.set(key, p.portNode);
    }
    if (p.nodePort !== undefined) {
      if (type === 'ClusterIP') {
        at(out, o, p.nodePortNode, 'error', 'node-port-on-cluster-ip',
          `nodePort ${p.nodePort} is not allowed on a ClusterIP Service; set \`type: NodePort\` or \`LoadBalancer\`, or remove it.`);
      } else if (external && (p.nodePort < npLo || p.nodePort > npHi)) {
        at(out, o, p.nodePortNode, 'error', 'node-port-out-of-range',
          `nodePort ${p.nodePort} is outside the node-port range ${npLo}-${npHi} (setting nodePortRange).`);
      }
    }
  }
  if (svc.headless && external) {
    at(out, o, svc.clusterIPNode, 'error', 'headless-invalid-type',
      `\`clusterIP: None\` (headless) is only valid for type ClusterIP, not ${type}.`);
  }
  if (svc.clusterIP) {
    const ip = parseIPv4(svc.clusterIP);
    const cidr = parseCidr(settings.serviceCIDR);
    if (ip === undefined && !isIPv6(svc.clusterIP)) {
      at(out, o, svc.clusterIPNode, 'error', 'invalid-value', `clusterIP \`${svc.clusterIP}\` is not an IP address (or \`None\`).`);
    } else if (ip !== undefined && cidr && !cidrContains(cidr, ip)) {
      at(out, o, svc.clusterIPNode, 'error', 'cluster-ip-out-of-range',
        `clusterIP ${svc.clusterIP} is outside the service CIDR ${settings.serviceCIDR} (setting serviceCIDR); the API server rejects it.`);
    }
  }
  if (type === 'ExternalName') {
    if (!svc.externalName) {
      at(out, o, svc.typeNode, 'error', 'external-name-invalid', `ExternalName Service \`${svc.name}\` needs \`spec.externalName\` (the DNS name it aliases).`);
    } else {
      const problem = externalNameProblem(svc.externalName);
      if (problem) at(out, o, svc.externalNameNode, 'error', 'external-name-invalid', `${problem}.`);
    }
  }
  const etpNode = svc.externalTrafficPolicyNode;
  if (etpNode && str(etpNode) && !external && !(type === 'ClusterIP' && svc.externalIPs.length > 0)) {
    at(out, o, etpNode, 'error', 'external-traffic-policy-invalid',
      `externalTrafficPolicy applies only to NodePort and LoadBalancer Services (or ClusterIP with externalIPs); the API server rejects it on ${type}.`);
  }
  const timeoutNode = getIn(spec, 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds');
  const timeout = asScalar(timeoutNode)?.value;
  if (typeof timeout === 'number' && (timeout < 1 || timeout > 86400)) {
    at(out, o, timeoutNode, 'error', 'invalid-value', `sessionAffinity timeoutSeconds ${timeout} must be between 1 and 86400.`);
  }
  checkLabels(o, svc.selectorNode, out, 'Selector');
}

function startRange(o: K8sObject, node: Node) {
  const start = node.range?.[0] ?? 0;
  return o.src.range(start, start);
}

function indentOf(o: K8sObject, node: Node): string {
  const pos = o.src.position(node.range?.[0] ?? 0);
  return ' '.repeat(pos.character);
}

function checkEndpoints(o: K8sObject, out: Sink) {
  const ep = readEndpoints(o);
  if (!ep) return;
  for (const subset of ep.subsets) {
    for (const a of subset.addresses) {
      if (!a.ip) continue;
      if (o.kind === 'EndpointSlice' && str(get(o.node, 'addressType')) === 'FQDN') continue;
      const problem = endpointAddressProblem(a.ip);
      if (problem) at(out, o, a.node, 'error', 'endpoints-ip-invalid', `Endpoint address ${problem}; the API server rejects it.`);
    }
    for (const p of subset.ports) {
      if (p.port !== undefined && (p.port < 1 || p.port > 65535)) {
        // Located at the object: the port list is small, the number says which.
        at(out, o, undefined, 'error', 'port-out-of-range', `Endpoint port ${p.port} is outside 1–65535.`);
      }
    }
  }
}

function checkIngress(o: K8sObject, out: Sink) {
  const ing = readIngress(o);
  if (!ing) return;
  const v1 = o.apiVersion === 'networking.k8s.io/v1';
  for (const rule of ing.rules) {
    // A documentation or template placeholder (`registry.<your domain>`) is filled in first.
    if (rule.host !== undefined && !hasPlaceholder(rule.host)) {
      const h = rule.host;
      const bare = h.startsWith('*.') ? h.slice(2) : h;
      if (parseIPv4(h) !== undefined || isIPv6(h)) {
        at(out, o, rule.hostNode, 'error', 'invalid-value', `Ingress host \`${h}\` is an IP address; hosts must be DNS names.`);
      } else if (bare.includes('*') || rfc1123SubdomainProblem(bare)) {
        at(out, o, rule.hostNode, 'error', 'invalid-value',
          `Ingress host \`${h}\` is not a valid DNS name (lowercase; a wildcard is allowed only as the whole first label, \`*.example.com\`).`);
      }
    }
    for (const p of rule.paths) {
      if (v1 && !p.pathType) {
        at(out, o, p.pathNode ?? p.node, 'error', 'missing-field',
          'Ingress path has no `pathType`; networking.k8s.io/v1 requires one of Exact, Prefix, ImplementationSpecific.',
          { fixes: p.pathNode ? [{ title: 'Add `pathType: Prefix`', edits: [{ uri: o.uri, range: startRange(o, p.node), newText: `pathType: Prefix\n${indentOf(o, p.node)}` }] }] : [] });
      }
      if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && p.pathNode && !p.path.startsWith('/')) {
        at(out, o, p.pathNode, 'error', 'invalid-value', `Ingress path \`${p.path}\` must start with \`/\` for pathType ${p.pathType}.`);
      }
      if (p.backend && !p.backend.resource && !p.backend.serviceName) {
        at(out, o, p.backend.node, 'error', 'missing-field', 'Ingress backend names no Service (`service.name`).');
      } else if (p.backend && !p.backend.resource && p.backend.portNumber === undefined && p.backend.portName === undefined) {
        at(out, o, p.backend.node, 'error', 'missing-field', `Ingress backend for Service \`${p.backend.serviceName}\` has no port (\`port.number\` or \`port.name\`).`);
      } else if (!p.backend) {
        at(out, o, p.node, 'error', 'missing-field', 'Ingress path has no `backend`.');
      }
      checkPortNumber(o, p.backend?.portNode, 'Ingress backend port', out, false);
    }
  }
}

function checkNetworkPolicy(o: K8sObject, out: Sink) {
  const np = readNetworkPolicy(o);
  if (!np) return;
  for (const rule of [...np.ingress, ...np.egress]) {
    for (const peer of rule.peers) {
      if (peer.ipBlock) {
        const pm = asMap(peer.node);
        const ipbNode = asMap(get(pm, 'ipBlock'));
        const cidr = parseCidr(peer.ipBlock.cidr);
        if (!cidr && !/^[0-9a-fA-F:]+\/\d+$/.test(peer.ipBlock.cidr)) {
          at(out, o, get(ipbNode, 'cidr') ?? ipbNode, 'error', 'invalid-value', `ipBlock cidr \`${peer.ipBlock.cidr}\` is not a CIDR (for example 10.0.0.0/16).`);
        } else if (cidr) {
          seqItems(get(ipbNode, 'except')).forEach((e) => {
            const ex = parseCidr(str(e) ?? '');
            if (!ex) at(out, o, e, 'error', 'invalid-value', `ipBlock except \`${str(e)}\` is not a CIDR.`);
            else if (!(cidrContains(cidr, ex.base) && ex.bits > cidr.bits)) {
              at(out, o, e, 'error', 'invalid-value', `ipBlock except \`${str(e)}\` must be a strict subset of ${peer.ipBlock!.cidr}.`);
            }
          });
        }
        if (peer.podSelector || peer.namespaceSelector) {
          at(out, o, peer.node, 'error', 'invalid-value', 'A NetworkPolicy peer may not combine `ipBlock` with a pod or namespace selector.');
        }
      }
    }
    for (const portNode of seqItems(get(asMap(rule.node), 'ports'))) {
      const pm = asMap(portNode);
      const port = asScalar(get(pm, 'port'))?.value;
      const endPort = asScalar(get(pm, 'endPort'))?.value;
      if (typeof port === 'number') checkPortNumber(o, get(pm, 'port'), 'NetworkPolicy port', out, false);
      if (typeof endPort === 'number' && (typeof port !== 'number' || endPort < port)) {
        at(out, o, get(pm, 'endPort'), 'error', 'invalid-value', `endPort ${endPort} needs a numeric \`port\` no greater than it.`);
      }
    }
  }
}

function checkWorkload(o: K8sObject, out: Sink) {
  const w = readPodTemplate(o);
  if (!w) return;
  if (o.kind !== 'Pod') checkLabels(o, w.labelsNode, out, 'Pod template label');
  checkContainerPorts(o, w, out);
  checkWorkloadSelector(o, w, out);
}

function checkContainerPorts(o: K8sObject, w: PodTemplate, out: Sink) {
  const names = new Map<string, Node>();
  for (const p of w.ports) {
    checkPortNumber(o, get(asMap(p.node), 'containerPort'), 'containerPort', out, false);
    checkPortNumber(o, get(asMap(p.node), 'hostPort'), 'hostPort', out, true);
    if (p.name !== undefined) {
      const problem = ianaSvcNameProblem(p.name);
      if (problem) at(out, o, p.nameNode, 'error', 'invalid-name', `Container port name \`${p.name}\` ${problem} (IANA service name).`);
      const prev = names.get(p.name);
      if (prev) at(out, o, p.nameNode, 'error', 'duplicate-port', `Port name \`${p.name}\` is used twice in the pod (container \`${p.container}\`).`, { related: [related(o, prev, 'first use')] });
      else if (p.nameNode) names.set(p.name, p.nameNode);
    }
  }
}

const APPS_V1_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

function checkWorkloadSelector(o: K8sObject, w: PodTemplate, out: Sink) {
  if (o.kind === 'Pod' || o.kind === 'Job' || o.kind === 'CronJob') return;
  const spec = asMap(get(o.node, 'spec'));
  if (!w.selector) {
    if (APPS_V1_KINDS.has(o.kind) && o.apiVersion === 'apps/v1') {
      at(out, o, getPair(o.node, 'spec')?.key as Node ?? get(o.node, 'kind'), 'error', 'workload-selector-mismatch',
        `${objRef(o)} has no \`spec.selector\`; apps/v1 requires one that matches the pod template labels.`,
        Object.keys(w.labels).length
          ? { related: [related(o, w.labelsNode, 'pod template labels')] }
          : {});
    }
    return;
  }
  const emptySel = Object.keys(w.selector.matchLabels).length === 0 && w.selector.matchExpressions.length === 0;
  if (emptySel && APPS_V1_KINDS.has(o.kind)) {
    at(out, o, get(spec, 'selector'), 'error', 'workload-selector-mismatch',
      `${objRef(o)} has an empty selector; apps/v1 requires a non-empty selector matching the pod template labels.`);
    return;
  }
  if (!selectorMatches(w.selector, w.labels)) {
    const missing = Object.entries(w.selector.matchLabels).filter(([k, v]) => w.labels[k] !== v)
      .map(([k, v]) => `${k}=${v}${w.labels[k] !== undefined ? ` (template has ${k}=${w.labels[k]})` : ''}`);
    at(out, o, get(spec, 'selector'), 'error', 'workload-selector-mismatch',
      `${objRef(o)} selector \`${describeSelector(w.selector)}\` does not match its pod template labels` +
      `${missing.length ? `: ${missing.join(', ')} missing` : ''}; the API server rejects it ("selector does not match template labels").`,
      { related: [related(o, w.labelsNode ?? w.templateMetaNode, 'pod template labels')] });
  }
}
