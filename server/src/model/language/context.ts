// Typed lookups for the object under a cursor, shared by hover, completion and navigation.
import type { ClusterModel } from '../model';
import type { NamespaceView } from '../namespaceView';
import { ingressBackends, IngressInfo, NetworkPolicyInfo, PodTemplate, selectorMatches, ServiceInfo } from '../objects';
import type { K8sObject } from '../parse';
import { type DiscoveredCall, discoverCalls } from '../calls/discover';
import type { Cursor } from './locate';

export function serviceOf(model: ClusterModel, o: K8sObject): ServiceInfo | undefined {
  return o.kind === 'Service' ? [...model.view(o.namespace).services.values()].find((s) => s.obj === o) : undefined;
}

export function workloadOf(model: ClusterModel, o: K8sObject): PodTemplate | undefined {
  return model.view(o.namespace).workloads.find((w) => w.obj === o);
}

export function ingressOf(model: ClusterModel, o: K8sObject): IngressInfo | undefined {
  return model.view(o.namespace).ingresses.find((i) => i.obj === o);
}

export function policyOf(model: ClusterModel, o: K8sObject): NetworkPolicyInfo | undefined {
  return model.view(o.namespace).policies.find((p) => p.obj === o);
}

/** Services, Ingresses (through those Services) and NetworkPolicies that reach a workload. */
export function referrersOf(view: NamespaceView, w: PodTemplate) {
  const services = [...view.services.values()].filter((s) => view.resolve(s).workloads.includes(w));
  const names = new Set(services.map((s) => s.name));
  const ingresses = view.ingresses.filter((i) => ingressBackends(i).some((b) => b.serviceName && names.has(b.serviceName)));
  const policies = view.policies.filter((p) => selectorMatches(p.podSelector, w.labels));
  return { services, ingresses, policies };
}

export function replicasText(w: PodTemplate, nodes: number): string {
  const n = w.replicas < 0 ? nodes : w.replicas;
  return `${w.kind}/${w.name} ×${n}${w.replicas < 0 ? ' (one per node)' : ''}`;
}

/** The calls written in the string under the cursor (env value, arg, command). */
export function callsUnder(model: ClusterModel, w: PodTemplate, c: Cursor): DiscoveredCall[] {
  const start = c.node?.range?.[0];
  if (start === undefined || !c.path.includes('containers') && !c.path.includes('initContainers')) return [];
  const here = discoverCalls(model, w).filter((k) => k.at.obj === w.obj && k.at.span?.range[0] === start);
  const exact = here.filter((k) => k.at.start !== undefined && c.offset >= k.at.start && c.offset <= k.at.end!);
  return exact.length ? exact : here;
}
