// Cross-object checks inside one namespace.
import type { Node } from 'yaml';
import { describeSelector, hasSelector, ingressBackends, isEmptySelector, PodTemplate, ServiceInfo } from '../objects';
import type { NamespaceView, ServiceResolution } from '../namespaceView';
import type { Diagnostic } from '../types';
import { closest } from '../suggest';
import { asMap, get, getPair } from '../yamlNodes';
import { at, operatorNote, objRef, related, Sink } from './emit';

export function workloadRef(w: PodTemplate): string {
  return `${w.kind}/${w.name}`;
}

/** A Service's endpoint findings depend only on the Service and its resolution (the pods and
 *  endpoints it reaches); a resolution reused by a later view brings its findings along. */
const serviceFindings = new WeakMap<ServiceResolution, Diagnostic[]>();

export function checkNamespace(view: NamespaceView, out: Sink): void {
  for (const svc of view.services.values()) {
    const res = view.resolve(svc);
    let findings = serviceFindings.get(res);
    if (!findings) {
      findings = [];
      checkServiceEndpoints(svc, res, findings);
      serviceFindings.set(res, findings);
    }
    out.push(...findings);
  }
  checkEndpointsOwners(view, out);
  checkIngressBackends(view, out);
  checkPolicies(view, out);
  checkPodDns(view, out);
  checkDuplicates(view, out);
}

function checkServiceEndpoints(svc: ServiceInfo, res: ServiceResolution, out: Sink) {
  const o = svc.obj;
  if (svc.type === 'ExternalName') return;
  if (!hasSelector(svc)) {
    if (res.endpoints.length === 0) {
      at(out, o, undefined, 'warning', 'service-no-endpoints',
        `Service \`${svc.name}\` has no selector and no Endpoints or EndpointSlice named after it in namespace \`${svc.namespace}\` ` +
        'in this workspace, so it has no backends. Add a selector, or an Endpoints object with the same name.');
    } else if (res.endpoints.every((e) => e.subsets.every((s) => s.addresses.length === 0))) {
      at(out, o, undefined, 'warning', 'service-no-endpoints',
        `Service \`${svc.name}\` has no selector, and its ${res.endpoints.map((e) => `${e.obj.kind} \`${e.name}\``).join(', ')} list no addresses, so it has no backends.`,
        { related: res.endpoints.map((e) => related(e.obj, undefined, `${e.obj.kind} without addresses`)) });
    }
    return;
  }
  // No match at all is reported by the global pass, which can look in other namespaces.
  if (res.workloads.length === 0) return;
  if (res.workloads.every((w) => w.replicas === 0)) {
    at(out, o, svc.selectorNode, 'information', 'service-no-endpoints',
      `Service \`${svc.name}\` selects only workloads scaled to 0 replicas (${res.workloads.map(workloadRef).join(', ')}); it has no endpoints until they scale up.`);
  }
  for (const { port, targets } of res.ports) {
    const tp = port.targetPort;
    // The targetPort when it is written, else the port it defaults to.
    const where = port.targetPortNode ?? port.portNode;
    if (typeof tp === 'string') {
      const missing = targets.filter((t) => t.unresolved);
      if (missing.length === 0) continue;
      const allNames = [...new Set(targets.flatMap((t) => t.workload.ports.map((p) => p.name).filter((n): n is string => !!n)))];
      const guess = closest(tp, allNames);
      const rel = missing.map((t) => related(t.workload.obj, t.workload.labelsNode, `${workloadRef(t.workload)} has no container port named \`${tp}\``));
      if (missing.length === targets.length) {
        at(out, o, where, 'error', 'target-port-name-unresolved',
          `targetPort \`${tp}\` names no container port of the selected pods (${missing.map((t) => workloadRef(t.workload)).join(', ')}), so port ${port.port} reaches nothing` +
          `${guess ? `; did you mean \`${guess}\`?` : allNames.length ? `. Named ports there: ${allNames.join(', ')}.` : '. The pods declare no named ports.'}`,
          { related: rel, fixes: guess && where ? [{ title: `Change to \`${guess}\``, edits: [{ uri: o.uri, range: o.src.nodeRange(where), newText: guess }] }] : [] });
      } else {
        at(out, o, where, 'warning', 'target-port-name-unresolved',
          `targetPort \`${tp}\` is not defined by ${missing.map((t) => workloadRef(t.workload)).join(', ')}; those pods get no traffic on port ${port.port}, the others do.`,
          { related: rel });
      }
      continue;
    }
    // An invalid protocol is reported by the schema check; comparing against it says nothing.
    if (tp === undefined || !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) continue;
    // Declaring container ports is informational, so only a declared set that misses the
    // target is suspicious (the classic 3306 vs 3006 typo).
    const declaring = targets.filter((t) => t.workload.ports.length > 0);
    if (declaring.length === 0 || declaring.some((t) => !t.undeclared)) continue;
    const declared = [...new Set(declaring.flatMap((t) => t.workload.ports.filter((p) => p.protocol === port.protocol)
      .map((p) => p.containerPort).filter((n): n is number => n !== undefined)))];
    const guess = closest(String(tp), declared.map(String));
    const explicitTarget = !!getPair(asMap(port.node), 'targetPort');
    const advice = !explicitTarget && declared.length === 1
      ? ` The port has no targetPort, so traffic goes to ${tp}; add \`targetPort: ${declared[0]}\`?`
      : guess ? ` Did you mean ${guess}?` : '';
    at(out, o, where, 'warning', 'target-port-not-exposed',
      `Service \`${svc.name}\` sends port ${port.port} to ${port.protocol} ${tp}, but the selected pods declare only ${declared.join(', ') || 'other protocols'} ` +
      `(${declaring.map((t) => workloadRef(t.workload)).join(', ')}).${advice}`,
      {
        related: declaring.map((t) => related(t.workload.obj, t.workload.ports[0]?.node, `${workloadRef(t.workload)} container ports`)),
        fixes: explicitTarget && guess && where
          ? [{ title: `Change targetPort to ${guess}`, edits: [{ uri: o.uri, range: o.src.nodeRange(where), newText: guess }] }]
          : [],
      });
  }
}

function checkEndpointsOwners(view: NamespaceView, out: Sink) {
  for (const ep of view.endpoints) {
    const o = ep.obj;
    if (!ep.serviceName) {
      if (o.kind === 'EndpointSlice') {
        at(out, o, undefined, 'warning', 'endpoints-orphan',
          `EndpointSlice \`${ep.name}\` has no \`kubernetes.io/service-name\` label, so no Service uses it.`);
      }
      continue;
    }
    const svc = view.services.get(ep.serviceName);
    const labelOrName = o.kind === 'Endpoints' ? get(asMap(get(o.node, 'metadata')), 'name') : undefined;
    if (!svc) {
      const guess = closest(ep.serviceName, view.services.keys());
      at(out, o, labelOrName, 'warning', 'endpoints-orphan',
        `${objRef(o)} feeds Service \`${ep.serviceName}\`, which is not in namespace \`${ep.namespace}\` in this workspace` +
        `${guess ? `; did you mean \`${guess}\`?` : '.'} Endpoints must have the same name and namespace as their Service.`);
    } else if (hasSelector(svc)) {
      at(out, o, labelOrName, 'warning', 'endpoints-overwritten',
        `Service \`${svc.name}\` has a selector, so the endpoints controller manages its endpoints and replaces this ${o.kind}. ` +
        'Remove the selector to use manual endpoints.', { related: [related(svc.obj, svc.selectorNode, 'the selector')] });
    }
  }
}

function checkIngressBackends(view: NamespaceView, out: Sink) {
  for (const ing of view.ingresses) {
    const o = ing.obj;
    for (const b of ingressBackends(ing)) {
      if (b.resource || !b.serviceName) continue;
      const svc = view.services.get(b.serviceName);
      if (!svc) {
        const guess = closest(b.serviceName, view.services.keys());
        at(out, o, b.serviceNameNode, 'warning', 'ingress-service-not-found',
          `Ingress \`${ing.name}\` routes to Service \`${b.serviceName}\`, which is not in namespace \`${ing.namespace}\` in this workspace` +
          `${guess ? `; did you mean \`${guess}\`?` : '.'} Ingress backends must be in the Ingress's namespace.`,
          guess && b.serviceNameNode ? { fixes: [{ title: `Change to \`${guess}\``, edits: [{ uri: o.uri, range: o.src.nodeRange(b.serviceNameNode), newText: guess }] }] } : {});
        continue;
      }
      if (svc.type === 'ExternalName') continue;
      const portsText = svc.ports.map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ') || 'none';
      if (b.portNumber !== undefined && !svc.ports.some((p) => p.port === b.portNumber)) {
        // The container port behind each Service port, named targetPorts followed through the pods.
        const viaTarget = view.resolve(svc).ports.find(({ port, targets }) =>
          port.targetPort === b.portNumber || targets.some((t) => t.containerPort === b.portNumber))?.port;
        const rel = [related(svc.obj, svc.portsNode, `ports of Service ${svc.name}`)];
        if (viaTarget) {
          at(out, o, b.portNode, 'error', 'ingress-port-not-found',
            `Service \`${svc.name}\` has port ${viaTarget.port} (targetPort ${viaTarget.targetPort === b.portNumber ? b.portNumber : `${viaTarget.targetPort} = ${b.portNumber}`}); Ingress must use ${viaTarget.port}, the Service port, not the container port.`,
            { related: rel, fixes: b.portNode ? [{ title: `Use Service port ${viaTarget.port}`, edits: [{ uri: o.uri, range: o.src.nodeRange(b.portNode), newText: String(viaTarget.port) }] }] : [] });
        } else {
          const guess = closest(String(b.portNumber), svc.ports.map((p) => String(p.port)));
          at(out, o, b.portNode, 'error', 'ingress-port-not-found',
            `Service \`${svc.name}\` has no port ${b.portNumber}; its ports are ${portsText}.`,
            { related: rel, fixes: b.portNode && (guess || svc.ports.length === 1) ? [{ title: `Use port ${guess ?? svc.ports[0].port}`, edits: [{ uri: o.uri, range: o.src.nodeRange(b.portNode), newText: String(guess ?? svc.ports[0].port) }] }] : [] });
        }
      } else if (b.portName !== undefined && !svc.ports.some((p) => p.name === b.portName)) {
        const guess = closest(b.portName, svc.ports.map((p) => p.name).filter((n): n is string => !!n));
        at(out, o, b.portNode, 'error', 'ingress-port-not-found',
          `Service \`${svc.name}\` has no port named \`${b.portName}\`; its ports are ${portsText}.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
          { related: [related(svc.obj, svc.portsNode, `ports of Service ${svc.name}`)] });
      }
    }
  }
}

function allowsDns(rules: { ports: { protocol: string; port?: number | string; endPort?: number }[] }[]): boolean {
  return rules.some((r) => r.ports.length === 0 || r.ports.some((p) => p.protocol === 'UDP' && (
    p.port === undefined || p.port === 53 || p.port === 'dns' || p.port === 'dns-udp' ||
    (typeof p.port === 'number' && p.endPort !== undefined && p.port <= 53 && p.endPort >= 53))));
}

function checkPolicies(view: NamespaceView, out: Sink) {
  const egressByWorkload = new Map<PodTemplate, typeof view.policies>();
  for (const pol of view.policies) {
    const selected = view.select(pol.podSelector);
    if (selected.length === 0 && !isEmptySelector(pol.podSelector)) {
      const creators = operatorNote(view);
      at(out, pol.obj, pol.podSelectorNode, creators ? 'information' : 'warning', 'network-policy-no-match',
        `NetworkPolicy \`${pol.name}\` selects pods \`${describeSelector(pol.podSelector)}\`, but no pod template in namespace \`${pol.namespace}\` has those labels${creators ? '.' : '; it has no effect.'}${creators}`);
    }
    if (!pol.policyTypes.includes('Egress')) continue;
    for (const w of selected) {
      const list = egressByWorkload.get(w) ?? [];
      list.push(pol);
      egressByWorkload.set(w, list);
    }
  }
  // Egress isolation blocks DNS too. Deny-all egress (no rules) is deliberate; rules that
  // allow something but not port 53 are the classic self-inflicted outage.
  const blockedByPolicy = new Map<(typeof view.policies)[number], PodTemplate[]>();
  for (const [w, pols] of egressByWorkload) {
    const rules = pols.flatMap((p) => p.egress);
    if (rules.length === 0 || allowsDns(rules)) continue;
    for (const p of pols) {
      if (p.egress.length === 0) continue;
      const list = blockedByPolicy.get(p) ?? [];
      list.push(w);
      blockedByPolicy.set(p, list);
    }
  }
  for (const [pol, ws] of blockedByPolicy) {
    at(out, pol.obj, getPair(asMap(get(pol.obj.node, 'spec')), 'egress')?.key as Node, 'warning', 'network-policy-dns-blocked',
      `Egress from ${ws.map(workloadRef).join(', ')} is limited by NetworkPolicy \`${pol.name}\`, and no policy allows DNS (UDP 53), ` +
      'so name lookups fail. Add an egress rule for UDP and TCP port 53.');
  }
}

function checkPodDns(view: NamespaceView, out: Sink) {
  for (const w of view.workloads) {
    if (w.subdomain) {
      const svc = view.services.get(w.subdomain);
      if (!svc || !svc.headless) {
        at(out, w.obj, w.subdomainNode, 'warning', 'pod-subdomain-no-service',
          `Pods of ${workloadRef(w)} set subdomain \`${w.subdomain}\`, but ${svc ? `Service \`${svc.name}\` is not headless (clusterIP: None)` : `no headless Service \`${w.subdomain}\` is in namespace \`${w.namespace}\` in this workspace`}, ` +
          `so \`${w.hostname ?? '<hostname>'}.${w.subdomain}\` does not resolve.`,
          svc ? { related: [related(svc.obj, svc.clusterIPNode, 'the Service')] } : {});
      }
    }
    if (w.kind === 'StatefulSet' && w.serviceName) {
      const svc = view.services.get(w.serviceName);
      if (!svc) {
        const guess = closest(w.serviceName, view.services.keys());
        at(out, w.obj, w.serviceNameNode, 'warning', 'statefulset-service-not-found',
          `StatefulSet \`${w.name}\` names governing Service \`${w.serviceName}\`, which is not in namespace \`${w.namespace}\` in this workspace` +
          `${guess ? `; did you mean \`${guess}\`?` : '.'} Without it the pods get no stable DNS names.`);
      } else if (!svc.headless) {
        at(out, w.obj, w.serviceNameNode, 'warning', 'statefulset-service-not-headless',
          `StatefulSet \`${w.name}\` uses Service \`${svc.name}\`, which is not headless; pod names like \`${w.name}-0.${svc.name}\` resolve only through a headless Service (\`clusterIP: None\`).`,
          { related: [related(svc.obj, svc.clusterIPNode ?? svc.typeNode, 'the Service')] });
      }
    }
  }
}

function checkDuplicates(view: NamespaceView, out: Sink) {
  const seen = new Map<string, (typeof view.objects)[number]>();
  for (const o of view.objects) {
    if (!o.name) continue;
    const key = `${o.kind}/${o.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, o);
      continue;
    }
    at(out, o, undefined, 'warning', 'duplicate-object',
      `${objRef(o)} is declared twice in namespace \`${o.namespace}\`; whichever is applied last replaces the other.`,
      { related: [related(first, undefined, 'the other declaration')] });
  }
}
