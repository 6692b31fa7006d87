// Hover text (Markdown) for the node under the cursor.
import type { ClusterModel } from '../model';
import { describeSelector, hasSelector, IngressPath, PodTemplate, ServiceInfo } from '../objects';
import { nearestWorkload } from '../selectorHints';
import { simulationOf } from '../simulated';
import type { Position, Range } from '../types';
import { allowedText, Connection, connectionId, outsideText, reachOfWorkload } from '../simulate/connections';
import { describeIngress, describePolicy, describeService, workloadId } from '../views';
import { callsUnder, ingressOf, policyOf, referrersOf, replicasText, serviceOf, workloadOf } from './context';
import { Cursor, locate, pathStarts } from './locate';
import { type DiscoveredCall, discoverCalls } from '../calls/discover';
import { simulate } from '../simulate/simulate';

export interface HoverResult {
  markdown: string;
  range?: Range;
}

const code = (s: string | number) => `\`${String(s).replace(/`/g, "'")}\``;
const SIM = ' *(simulated)*';

export function hover(model: ClusterModel, uri: string, pos: Position): HoverResult | undefined {
  const c = locate(model, uri, pos);
  if (!c) return undefined;
  const text = hoverText(c);
  if (!text) return undefined;
  return { markdown: text, range: c.node ? c.obj.src.nodeRange(c.node) : undefined };
}

function hoverText(c: Cursor): string | undefined {
  const { model, obj, path } = c;
  switch (obj.kind) {
    case 'Service': {
      const svc = serviceOf(model, obj);
      if (!svc) return undefined;
      if (pathStarts(path, 'spec', 'selector')) return selectorHover(model, svc);
      if (pathStarts(path, 'spec', 'ports', '#')) return portHover(model, svc, path[2] as number) ?? serviceHover(model, svc);
      return serviceHover(model, svc);
    }
    case 'Ingress': {
      const ing = ingressOf(model, obj);
      if (!ing) return undefined;
      return ingressHover(model, ing, c);
    }
    case 'NetworkPolicy': {
      const pol = policyOf(model, obj);
      if (!pol) return undefined;
      const v = describePolicy(model, pol);
      const ruleIdx = typeof path[2] === 'number' ? path[2] : -1;
      if ((path[1] === 'ingress' || path[1] === 'egress') && ruleIdx >= 0) {
        const peers = (path[1] === 'ingress' ? v.ingressFrom : v.egressTo)[ruleIdx] ?? [];
        return `**${path[1] === 'ingress' ? 'Allows traffic from' : 'Allows traffic to'}** (rule ${ruleIdx + 1}): ${peers.length ? peers.map(code).join(', ') : 'nothing in this workspace'}`;
      }
      const isolated = v.selects.length ? v.selects.map(code).join(', ') : `no pod template in ${code(pol.namespace)}`;
      return `**NetworkPolicy** ${code(`${pol.namespace}/${pol.name}`)} isolates ${isolated} for ${pol.policyTypes.join(' and ')}.\n\n` +
        `Ingress rules: ${v.ingressFrom.length || 'none (deny all)'}${pol.policyTypes.includes('Egress') ? ` · Egress rules: ${v.egressTo.length || 'none (deny all)'}` : ''}`;
    }
    case 'Endpoints':
    case 'EndpointSlice': {
      const view = model.view(obj.namespace);
      const ep = view.endpoints.find((e) => e.obj === obj);
      const svc = ep?.serviceName ? view.services.get(ep.serviceName) : undefined;
      const addrs = ep ? ep.subsets.flatMap((s) => s.addresses.map((a) => a.ip)) : [];
      return svc
        ? `Feeds Service ${code(`${svc.namespace}/${svc.name}`)} (${describeService(model, svc).fqdn}) with ${addrs.length} address${addrs.length === 1 ? '' : 'es'}: ${addrs.map(code).join(', ')}` +
          `${hasSelector(svc) ? '\n\n⚠ The Service has a selector, so the endpoints controller replaces these.' : ''}`
        : `No Service ${code(ep?.serviceName ?? obj.name ?? '?')} in ${code(obj.namespace)} in this workspace: these endpoints feed nothing.`;
    }
    case 'ConfigMap': {
      // A value a container reads that holds a call: its resolution from each reader.
      const start = c.node?.range?.[0];
      if (start === undefined || !pathStarts(path, 'data')) return undefined;
      const calls = model.view(obj.namespace).workloads.flatMap((w) => discoverCalls(model, w))
        .filter((k) => k.at.obj === obj && k.at.span?.range[0] === start);
      return calls.length ? calls.map((k) => callHover(model, k)).join('\n\n---\n\n') : undefined;
    }
    default: {
      const w = workloadOf(model, obj);
      if (!w) return undefined;
      return workloadHover(model, w, c);
    }
  }
}

export function serviceHover(model: ClusterModel, svc: ServiceInfo): string {
  const v = describeService(model, svc);
  const sim = simulationOf(model);
  const lines: string[] = [];
  lines.push(`**Service** ${code(`${v.namespace}/${v.name}`)} · ${v.type}${v.headless ? ' · headless' : ''}`);
  lines.push(`FQDN ${code(v.fqdn)} — from ${code(v.namespace)}: ${code(v.name)}; from other namespaces: ${code(`${v.name}.${v.namespace}`)}`);
  if (v.type === 'ExternalName') {
    lines.push(`DNS answers CNAME → ${code(v.externalName ?? '(missing externalName)')}; no proxying, ports are not remapped.`);
    return lines.join('\n\n');
  }
  lines.push(v.headless ? 'No cluster IP: DNS returns the pod IPs directly (no kube-proxy balancing).'
    : `Cluster IP ${code(v.clusterIP ?? '?')}${v.clusterIPSimulated ? SIM : ''}`);
  if (v.ports.length) {
    const rows = v.ports.map((p) => {
      const lands = p.targets.map((t) => `${t.workload}: ${t.containerPort ?? '✗ unresolved'}${t.container ? ` (${t.container})` : ''}${t.containerPort !== null && !t.declared ? ' (not declared)' : ''}`).join('; ');
      return `| ${p.name ? `${p.name} ` : ''}${p.port} | ${p.targetPort} | ${p.protocol} | ${lands || (v.selector ? 'no pods' : 'Endpoints')} |`;
    });
    lines.push(['| Port | targetPort | Protocol | Lands on |', '|---|---|---|---|', ...rows].join('\n'));
  }
  if (v.type === 'NodePort' || v.type === 'LoadBalancer') {
    const nps = v.ports.filter((p) => p.nodePort).map((p) => `${sim.nodes.map((n) => code(`${n.ip}:${p.nodePort}`)).join(', ')}${p.nodePortSimulated ? ' *(port simulated)*' : ''}`);
    if (nps.length) lines.push(`NodePort access (simulated nodes): ${nps.join('; ')}`);
  }
  if (v.loadBalancer) lines.push(`Load balancer: ${v.loadBalancer.pending ? '`<pending>` — no address in status (needs a cloud or LB controller)' : v.loadBalancer.addresses.map(code).join(', ')}`);
  if (v.endpoints.length) {
    const shown = v.endpoints.slice(0, 8).map((e) => `${e.pod ? code(e.pod) : e.source} ${code(e.ip ?? '?')}${e.hostNetwork ? ' (its node\'s address: hostNetwork)' : ''}${e.node ? ` @${e.node}` : ''}`);
    const byWorkload = v.workloads.map((id) => {
      const w = model.view(v.namespace).workloads.find((x) => workloadId(x) === id)!;
      // An operator's pods are inferred from its custom resource: say so.
      return replicasText(w, sim.nodes.length) + (w.createdBy ? ` (created by the operator from ${w.createdBy}; simulated)` : '');
    });
    lines.push(`**Endpoints** (${v.endpoints.length}${v.endpoints.some((e) => e.simulated) ? ', names and IPs simulated' : ''})${byWorkload.length ? `: ${byWorkload.join(', ')}` : ''}\n\n${shown.join(' · ')}${v.endpoints.length > 8 ? ` · … ${v.endpoints.length - 8} more` : ''}`);
  } else {
    lines.push(`**No endpoints**${v.selector ? ` — selector ${code(describeSelector(v.selector))} matches no pods` : ' — no Endpoints for this selectorless Service'}.`);
  }
  if (v.dns.length) {
    // A Markdown list: VS Code does not render <br> from a language server.
    const recs = v.dns.slice(0, 6).map((d) => `- ${d.type} ${code(d.name)} → ${code(d.value)}${d.simulated ? ' \\*' : ''}`);
    if (v.dns.length > 6) recs.push(`- … ${v.dns.length - 6} more`);
    const simulated = v.dns.some((d) => d.simulated) ? ' (\\* simulated: the cluster assigns these addresses, the manifests do not say them)' : '';
    lines.push(`**DNS**${simulated}:\n\n${recs.join('\n')}`);
  }
  lines.push(`Session affinity: ${v.sessionAffinity}${v.sessionAffinity === 'ClientIP' ? ` (${svc.affinityTimeoutSeconds} s)` : ''} · externalTrafficPolicy: ${v.externalTrafficPolicy} · internalTrafficPolicy: ${v.internalTrafficPolicy}`);
  return lines.join('\n\n');
}

function selectorHover(model: ClusterModel, svc: ServiceInfo): string {
  if (!hasSelector(svc)) return 'Empty selector: the Service manages no endpoints; it needs an Endpoints object of the same name.';
  const view = model.view(svc.namespace);
  const res = view.resolve(svc);
  const nodes = simulationOf(model).nodes.length;
  if (res.workloads.length) {
    const pods = res.workloads.reduce((n, w) => n + (w.replicas < 0 ? nodes : w.replicas), 0);
    return `Selector ${code(describeSelector(svc.selector!))} matches ${res.workloads.map((w) => code(replicasText(w, nodes))).join(', ')} — ${pods} pod${pods === 1 ? '' : 's'}.`;
  }
  const near = nearestWorkload(view.workloads, svc.selector!);
  return `Selector ${code(describeSelector(svc.selector!))} matches **no pods** in ${code(svc.namespace)}.` +
    (near ? `\n\nNearest label set: ${code(workloadId(near))} has ${code(describeSelector(near.labels))}.` : '');
}

function portHover(model: ClusterModel, svc: ServiceInfo, index: number): string | undefined {
  const v = describeService(model, svc);
  const p = v.ports[index];
  if (!p) return undefined;
  const lines = [`Port ${code(p.port ?? '?')}/${p.protocol}${p.name ? ` (${code(p.name)})` : ''} → targetPort ${code(p.targetPort ?? '?')}`];
  for (const t of p.targets) {
    lines.push(t.containerPort === null
      ? `- ${code(t.workload)}: ✗ no container port named ${code(p.targetPort ?? '')} — these pods get no traffic`
      : `- ${code(t.workload)}: container port ${code(t.containerPort)}${t.container ? ` in ${code(t.container)}` : ''}${t.declared ? '' : ' (not declared; works only if the app listens there)'}`);
  }
  if (!p.targets.length) lines.push(v.selector ? '- no selected pods' : '- served by the Endpoints addresses');
  if (p.nodePort) lines.push(`NodePort ${code(p.nodePort)}${p.nodePortSimulated ? SIM : ''} on every node`);
  return lines.join('\n');
}

function ingressHover(model: ClusterModel, ing: import('../objects').IngressInfo, c: Cursor): string {
  const v = describeIngress(model, ing);
  const { path } = c;
  if (pathStarts(path, 'spec', 'rules', '#')) {
    const rule = ing.rules[path[2] as number];
    const pathIdx = pathStarts(path, 'spec', 'rules', '#', 'http', 'paths', '#') ? (path[5] as number) : -1;
    const scheme = (h?: string) => (h && v.tlsHosts.includes(h) ? 'https' : 'http');
    const describe = (p: IngressPath) => {
      const route = v.routes.find((r) => r.host === (rule.host ?? null) && r.path === p.path);
      const url = `${scheme(rule.host)}://${rule.host ?? '<any host>'}${p.path}`;
      const kind = p.pathType === 'Exact' ? 'exactly' : p.pathType === 'Prefix' ? `and ${p.path.replace(/\/$/, '')}/…` : '(controller-defined matching, simulated as Prefix)';
      return `${code(url)} ${kind} → ${route?.problem ? `✗ ${route.problem}` : `Service ${code(`${route?.service}:${route?.servicePort}`)} (${route?.endpoints} endpoint${route?.endpoints === 1 ? '' : 's'})`}`;
    };
    if (rule && pathIdx >= 0 && rule.paths[pathIdx]) return `Serves ${describe(rule.paths[pathIdx])}`;
    if (rule) return `Host ${code(rule.host ?? '*')}:\n\n${rule.paths.map((p) => `- ${describe(p)}`).join('\n')}`;
  }
  if (pathStarts(path, 'spec', 'defaultBackend') || pathStarts(path, 'spec', 'backend')) {
    const r = v.routes.find((x) => x.path === '(default backend)');
    return `Default backend (no rule matches) → ${r?.problem ? `✗ ${r.problem}` : `Service ${code(`${r?.service}:${r?.servicePort}`)}`}`;
  }
  return `**Ingress** ${code(`${v.namespace}/${v.name}`)}${v.className ? ` (class ${code(v.className)})` : ''}\n\n` +
    v.routes.map((r) => `- ${r.host ?? '*'}${r.path} → ${r.problem ? `✗ ${r.problem}` : `${r.service}:${r.servicePort} (${r.endpoints} endpoints)`}`).join('\n');
}

/** Whom the pods may talk to under the NetworkPolicies (as `ksi connections`), when any exist. */
function reachHover(model: ClusterModel, w: PodTemplate): string | undefined {
  if (!model.views().some((v) => v.policies.length)) return undefined;
  const r = reachOfWorkload(model, connectionId(w));
  if (!r) return undefined;
  const list = (cs: Connection[], end: 'from' | 'to', total: number) =>
    cs.map((c) => `${code(c[end])} (${allowedText(c.allowed)})`).join(', ') + (total > cs.length ? `, … ${total - cs.length} more` : '');
  const scope = r.namespaceOnly ? ` in namespace ${code(w.namespace)} (a large unit: \`ksi connections\` lists every namespace)` : '';
  return `**Network reach** (NetworkPolicies, as \`ksi connections\`)${scope}\n\n` +
    `- reaches ${r.reachesCount} of ${r.others} workloads${r.reachesCount && r.reachesCount < r.others ? `: ${list(r.reaches, 'to', r.reachesCount)}` : ''}\n` +
    `- reachable from ${r.reachedByCount} of ${r.others}${r.reachedByCount && r.reachedByCount < r.others ? `: ${list(r.reachedBy, 'from', r.reachedByCount)}` : ''}\n` +
    `- ${outsideText(r.fromOutside, 'from')}; ${outsideText(r.toOutside, 'to')}`;
}

/** A call's resolution as the caller's pods would see it: the name tried, the Service, its
 *  port and endpoints, and whether the request works. */
function callHover(model: ClusterModel, call: DiscoveredCall): string {
  const w = call.from;
  const target = `${call.address.host}${call.address.port !== null ? `:${call.address.port}` : ''}`;
  const lines = [`**Call** ${code(target)} from ${code(`${w.namespace}/${w.name}`)} (container ${code(call.container)}, ${call.where})`];
  if (!call.service) {
    lines.push(`- ${code(call.address.host)} resolves to no Service from ${code(w.namespace)}${call.suggestion ? `: did you mean ${code(call.suggestion)}?` : '.'}`);
    return lines.join('\n\n');
  }
  const r = simulate(model, `${w.namespace}/${w.kind.toLowerCase()}/${w.name}`, target);
  const items = [
    `- Name: ${code(call.address.host)} → ${code(call.resolvedAs ?? r.fqdn ?? call.address.host)} (the pod's DNS search list)`,
    `- Service ${code(`${call.service.namespace}/${call.service.name}`)}, port ${call.address.port ?? `${r.target.port} (none written: the Service's)`}`,
    r.ok ? `- Endpoints: ${r.endpoints.length} (${r.endpoints.slice(0, 4).map((e) => code(`${e.ip}:${e.port}`)).join(', ')}${r.endpoints.length > 4 ? ', …' : ''})${r.endpoints.some((e) => e.simulated) ? SIM : ''}` : '',
  ].filter(Boolean);
  lines.push(items.join('\n'));
  lines.push(r.ok ? '✔ The request works.' : `✘ ${r.error?.code}: ${r.error?.message}${r.error?.hint ? `\n\n${r.error.hint}` : ''}`);
  return lines.join('\n\n');
}

function workloadHover(model: ClusterModel, w: PodTemplate, c: Cursor): string {
  const calls = callsUnder(model, w, c);
  if (calls.length) return calls.map((k) => callHover(model, k)).join('\n\n---\n\n');
  const view = model.view(w.namespace);
  const { services, ingresses, policies } = referrersOf(view, w);
  const nodes = simulationOf(model).nodes.length;
  const portIdx = c.path.findIndex((p) => p === 'ports');
  if (portIdx >= 0 && typeof c.path[portIdx + 1] === 'number') {
    const port = w.ports.find((p) => c.offset >= (p.node.range?.[0] ?? -1) && c.offset <= (p.node.range?.[1] ?? -1));
    if (port) {
      const users = services.flatMap((s) => view.resolve(s).ports
        .filter(({ targets }) => targets.some((t) => t.workload === w && t.containerPort === port.containerPort && !t.unresolved))
        .map(({ port: sp }) => `Service ${code(s.name)} port ${sp.port}${typeof sp.targetPort === 'string' ? ` (targetPort ${code(sp.targetPort)})` : ''}`));
      return `Container port ${code(port.containerPort ?? '?')}/${port.protocol}${port.name ? ` (${code(port.name)})` : ''} in ${code(port.container)}\n\n` +
        (users.length ? `Targeted by ${users.join(', ')}` : 'No Service in this workspace targets this port.');
    }
  }
  const lines = [`**${replicasText(w, nodes)}** · labels ${code(describeSelector(w.labels))}`];
  lines.push(services.length ? `Selected by ${services.map((s) => `Service ${code(s.name)} (${s.type})`).join(', ')}` : 'No Service in this workspace selects these pods.');
  if (ingresses.length) lines.push(`Reached from Ingress ${ingresses.map((i) => code(i.name)).join(', ')}`);
  if (policies.length) lines.push(`Isolated by NetworkPolicy ${policies.map((p) => `${code(p.name)} (${p.policyTypes.join('+')})`).join(', ')}`);
  if (w.kind === 'StatefulSet' && w.serviceName) lines.push(`Pod DNS: ${code(`${w.name}-0.${w.serviceName}.${w.namespace}.svc.${model.settings.clusterDomain}`)} …`);
  const reach = reachHover(model, w);
  if (reach) lines.push(reach);
  return lines.join('\n\n');
}

