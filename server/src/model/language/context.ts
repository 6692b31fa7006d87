// Typed lookups for the object under a cursor, shared by hover, completion and navigation.
import type { ClusterModel } from '../model';
import type { NamespaceView } from '../namespaceView';
import { ingressBackends, IngressInfo, NetworkPolicyInfo, PodTemplate, selectorMatches, ServiceInfo } from '../objects';
import type { K8sObject } from '../parse';

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
