// Checks that span namespaces: cluster-wide allocations and selector hints across namespaces.
import { describeSelector, hasSelector, PodTemplate, ServiceInfo } from '../objects';
import { sameItems, type NamespaceView } from '../namespaceView';
import type { K8sObject } from '../parse';
import { formatIPv4, parseCidr, parseIPv4 } from '../net';
import { asMap, get } from '../yamlNodes';
import type { Diagnostic, Settings, TextEditFix } from '../types';
import { at, operatorNote, related, Sink } from './emit';
import { editDistance } from '../suggest';
import { workloadRef } from './namespace';

/** What one namespace contributes to the cluster-wide checks; computed with the namespace
 *  (and cached with it), so the global pass only merges small lists. */
export interface NamespaceFacts {
  nodePorts: { key: string; svc: ServiceInfo; node: unknown }[];
  clusterIPs: { ip: string; svc: ServiceInfo }[];
  noMatch: { svc: ServiceInfo; nearest?: PodTemplate; report?: { elsewhere: PodTemplate[]; diagnostics: Diagnostic[] } }[];
  endpointAddresses: { ip: string; ep: NamespaceView['endpoints'][number]; node: unknown }[];
}

export function namespaceFacts(view: NamespaceView): NamespaceFacts {
  const facts: NamespaceFacts = { nodePorts: [], clusterIPs: [], noMatch: [], endpointAddresses: [] };
  for (const svc of view.services.values()) {
    if (svc.type === 'NodePort' || svc.type === 'LoadBalancer') {
      for (const p of svc.ports) if (p.nodePort !== undefined) facts.nodePorts.push({ key: `${p.nodePort}/${p.protocol}`, svc, node: p.nodePortNode });
    }
    if (svc.clusterIP && parseIPv4(svc.clusterIP) !== undefined) facts.clusterIPs.push({ ip: svc.clusterIP, svc });
    if (hasSelector(svc) && svc.type !== 'ExternalName' && view.resolve(svc).workloads.length === 0) {
      facts.noMatch.push({ svc, nearest: nearestWorkload(view.workloads, svc.selector!) });
    }
  }
  for (const ep of view.endpoints) for (const subset of ep.subsets) for (const a of subset.addresses) facts.endpointAddresses.push({ ip: a.ip, ep, node: a.node });
  return facts;
}

type NodePortClaim = NamespaceFacts['nodePorts'][number];

/** Node ports and cluster IPs claimed across the cluster, kept up to date namespace by
 *  namespace (rebuilding it from every namespace on each edit is most of the global pass). */
export class ClaimIndex {
  readonly nodePorts = new Map<string, NodePortClaim[]>();
  readonly clusterIPs = new Map<string, ServiceInfo[]>();
  /** Node ports claimed more than once (the only ones the global pass looks at). */
  readonly sharedNodePorts = new Set<string>();

  add(facts: NamespaceFacts): void {
    for (const np of facts.nodePorts) {
      if (push(this.nodePorts, np.key, np) > 1) this.sharedNodePorts.add(np.key);
    }
    for (const c of facts.clusterIPs) push(this.clusterIPs, c.ip, c.svc);
  }

  remove(facts: NamespaceFacts): void {
    for (const np of facts.nodePorts) {
      if (pull(this.nodePorts, np.key, np) < 2) this.sharedNodePorts.delete(np.key);
    }
    for (const c of facts.clusterIPs) pull(this.clusterIPs, c.ip, c.svc);
  }
}

/** Adds a claim; returns how many claims the key has now. */
function push<T>(map: Map<string, T[]>, key: string, item: T): number {
  const list = map.get(key);
  if (list) return list.push(item);
  map.set(key, [item]);
  return 1;
}

/** Removes a claim; returns how many claims the key has left. */
function pull<T>(map: Map<string, T[]>, key: string, item: T): number {
  const list = map.get(key)?.filter((x) => x !== item);
  if (list?.length) map.set(key, list);
  else map.delete(key);
  return list?.length ?? 0;
}

/** Claims in namespace, then object order, whatever order namespaces were indexed in. */
function byObjectOrder<T>(list: T[], svcOf: (x: T) => ServiceInfo): T[] {
  const key = (x: T) => { const s = svcOf(x); return `${s.namespace}\u0000${s.obj.id}`; };
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function checkGlobal(
  views: NamespaceView[],
  facts: NamespaceFacts[],
  claims: ClaimIndex,
  namespacesWithLabels: (selector: Record<string, string>) => string[],
  clusterObjects: K8sObject[],
  settings: Settings,
  out: Sink,
): void {
  const byName = new Map(views.map((v) => [v.name, v]));
  views.forEach((view, i) => {
    for (const nm of facts[i].noMatch) {
      const elsewhere = namespacesWithLabels(nm.svc.selector!).filter((n) => n !== view.name)
        .flatMap((n) => byName.get(n)?.selectByLabels(nm.svc.selector!) ?? []);
      // The report depends only on the namespace (cached with its facts) and on the pods
      // found elsewhere: reuse it while those are the same, so unchanged files stay unchanged.
      if (!nm.report || !sameItems(nm.report.elsewhere, elsewhere)) {
        nm.report = { elsewhere, diagnostics: [] };
        reportNoMatch(view, elsewhere, nm.svc, nm.nearest, nm.report.diagnostics);
      }
      out.push(...nm.report.diagnostics);
    }
  });
  for (const key of claims.sharedNodePorts) {
    const uses = byObjectOrder(claims.nodePorts.get(key)!, (x) => x.svc);
    for (const u of uses) {
      const others = uses.filter((x) => x !== u);
      at(out, u.svc.obj, u.node as never, 'error', 'node-port-conflict',
        `nodePort ${key} is also used by ${others.map((x) => `Service \`${x.svc.namespace}/${x.svc.name}\``).join(', ')}; node ports are unique across the cluster, so the API server rejects the second one.`,
        { related: others.map((x) => related(x.svc.obj, x.node as never, 'same nodePort')) });
    }
  }
  const kubernetesIP = firstServiceIP(settings);
  for (const [ip, claimed] of claims.clusterIPs) {
    const svcs = claimed.length > 1 ? byObjectOrder(claimed, (x) => x) : claimed;
    if (svcs.length > 1) {
      for (const svc of svcs) {
        const others = svcs.filter((x) => x !== svc);
        at(out, svc.obj, svc.clusterIPNode, 'error', 'cluster-ip-conflict',
          `clusterIP ${ip} is also claimed by ${others.map((x) => `Service \`${x.namespace}/${x.name}\``).join(', ')}; cluster IPs are unique, so the API server rejects the second one.`,
          { related: others.map((x) => related(x.obj, x.clusterIPNode, 'same clusterIP')) });
      }
    } else if (ip === kubernetesIP && !(svcs[0].namespace === 'default' && svcs[0].name === 'kubernetes')) {
      at(out, svcs[0].obj, svcs[0].clusterIPNode, 'error', 'cluster-ip-conflict',
        `clusterIP ${ip} is the first address of the service CIDR, which the cluster gives to the \`kubernetes\` API Service.`);
    }
  }
  // Manual endpoints may not point at a Service's virtual IP.
  for (const f of facts) {
    for (const a of f.endpointAddresses) {
      const claimed = claims.clusterIPs.get(a.ip);
      if (claimed) {
        const owners = byObjectOrder(claimed, (x) => x);
        at(out, a.ep.obj, a.node as never, 'error', 'endpoints-ip-invalid',
          `Endpoint address ${a.ip} is the cluster IP of Service \`${owners[0].namespace}/${owners[0].name}\`; endpoints must be pod or host addresses, not virtual IPs.`,
          { related: [related(owners[0].obj, owners[0].clusterIPNode, 'the Service')] });
      }
    }
  }
  const namespaces = new Map<string, K8sObject>();
  for (const o of clusterObjects) {
    if (o.kind !== 'Namespace' || !o.name || o.custom) continue;
    const first = namespaces.get(o.name);
    if (first) {
      at(out, o, undefined, 'warning', 'duplicate-object', `Namespace \`${o.name}\` is declared twice; whichever is applied last replaces the other.`,
        { related: [related(first, undefined, 'the other declaration')] });
    } else namespaces.set(o.name, o);
  }
}

function firstServiceIP(settings: Settings): string | undefined {
  const c = parseCidr(settings.serviceCIDR);
  return c ? formatIPv4(c.base + 1) : undefined;
}

function reportNoMatch(view: NamespaceView, elsewhere: PodTemplate[], svc: ServiceInfo, nearest: PodTemplate | undefined, out: Sink) {
  const selector = svc.selector!;
  let hint = '';
  const fixes: TextEditFix[] = [];
  if (elsewhere.length) {
    hint = ` Pods with these labels exist in namespace ${[...new Set(elsewhere.map((w) => `\`${w.namespace}\``))].join(', ')} ` +
      `(${elsewhere.slice(0, 3).map(workloadRef).join(', ')}), but a Service selects only in its own namespace.`;
  } else if (nearest) {
    const diffs = Object.entries(selector).filter(([k, v]) => nearest.labels[k] !== v);
    hint = ` Nearest: ${workloadRef(nearest)} has ${diffs.map(([k]) => nearest.labels[k] !== undefined ? `${k}=${nearest.labels[k]}` : `no \`${k}\` label`).join(', ')}.`;
    if (diffs.length === 1 && nearest.labels[diffs[0][0]] !== undefined) {
      const [k] = diffs[0];
      const valueNode = selectorValueNode(svc, k);
      if (valueNode) fixes.push({ title: `Change selector to ${k}: ${nearest.labels[k]}`, edits: [{ uri: svc.obj.uri, range: svc.obj.src.nodeRange(valueNode), newText: nearest.labels[k] }] });
    }
  } else if (view.workloads.length === 0) {
    hint = ` Namespace \`${svc.namespace}\` has no workloads in this workspace.`;
  }
  // Pods an operator creates from a custom resource are not in the manifests: then the
  // selector may well match, and the finding only says what we cannot see.
  const creators = operatorNote(view);
  at(out, svc.obj, svc.selectorNode, creators ? 'information' : 'warning', 'service-selector-no-match',
    `Service \`${svc.name}\` selects \`${describeSelector(selector)}\`, but no pod template in namespace \`${svc.namespace}\` in this workspace has those labels${creators ? '' : ', so it has no endpoints'}.${creators}${hint}`,
    { fixes, related: nearest && !elsewhere.length ? [related(nearest.obj, nearest.labelsNode, `labels of ${workloadRef(nearest)}`)] : elsewhere.slice(0, 3).map((w) => related(w.obj, w.labelsNode, `${workloadRef(w)} in namespace ${w.namespace}`)) });
}

function selectorValueNode(svc: ServiceInfo, key: string) {
  return get(asMap(svc.selectorNode), key);
}

/** The workload sharing most selector pairs (ties: fewer differing keys, then name order). */
export function nearestWorkload(workloads: PodTemplate[], selector: Record<string, string>): PodTemplate | undefined {
  let best: PodTemplate | undefined;
  let bestScore = 0;
  const pairs = Object.entries(selector);
  for (const w of workloads) {
    let score = 0;
    for (const [k, v] of pairs) {
      const have = w.labels[k];
      if (have === v) score += 2;
      else if (have !== undefined) score += 1 + (have.includes(v) || v.includes(have) ? 0.5 : 0) - Math.min(0.4, editDistance(have, v) / 100);
    }
    if (score > bestScore) {
      bestScore = score;
      best = w;
    }
  }
  return best;
}
