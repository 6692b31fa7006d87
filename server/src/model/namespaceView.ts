// Everything one namespace holds, indexed for cross-object lookups. Rebuilt from the
// namespace's objects whenever one of them changes (a namespace is the unit of
// recomputation: Services, Ingress backends and NetworkPolicy podSelectors never leave it).
import type { K8sObject } from './parse';
import {
  ContainerPort, EndpointsInfo, IngressInfo, LabelSelector, NetworkPolicyInfo, PodTemplate, readEndpoints, readIngress,
  hasSelector, mayCreatePods, readNetworkPolicy, readOperatorPods, readPodTemplate, readService, selectorMatches, ServiceInfo, ServicePort, WORKLOAD_KINDS,
} from './objects';

export interface PortTarget {
  workload: PodTemplate;
  /** The container port traffic lands on, when it is known. */
  containerPort?: number;
  container?: string;
  portName?: string;
  /** The container port entry it lands on, when the pod declares it. */
  declared?: ContainerPort;
  /** A numeric targetPort that no container of this workload declares (works if the app listens there). */
  undeclared: boolean;
  /** A named targetPort this workload does not define: the workload gets no traffic. */
  unresolved: boolean;
}

export interface ServiceResolution {
  workloads: PodTemplate[];
  ports: { port: ServicePort; targets: PortTarget[] }[];
  /** Endpoints / EndpointSlices feeding a selectorless Service. */
  endpoints: EndpointsInfo[];
}

export class NamespaceView {
  readonly services = new Map<string, ServiceInfo>();
  readonly workloads: PodTemplate[] = [];
  readonly endpoints: EndpointsInfo[] = [];
  readonly endpointsByService = new Map<string, EndpointsInfo[]>();
  readonly ingresses: IngressInfo[] = [];
  readonly policies: NetworkPolicyInfo[] = [];
  /** Custom resources whose operators may create pods we cannot see (named in no-match findings). */
  readonly podCreators: K8sObject[] = [];
  /** `key=value` → pod templates carrying that label. */
  private readonly labelIndex = new Map<string, PodTemplate[]>();
  private readonly resolutions = new Map<ServiceInfo, ServiceResolution>();

  /** @param earlier the resolutions of this namespace's previous view: one that still
   *  selects the same pods is reused, so an edit does not rebuild every Service's. */
  constructor(readonly name: string, readonly objects: K8sObject[], private readonly earlier?: ReadonlyMap<ServiceInfo, ServiceResolution>) {
    for (const o of objects) {
      if (o.kind === 'Service') {
        const s = readService(o);
        if (s && !this.services.has(s.name)) this.services.set(s.name, s);
      } else if (WORKLOAD_KINDS.has(o.kind) || o.custom) {
        const w = o.custom ? readOperatorPods(o) : readPodTemplate(o);
        if (o.custom && !w && mayCreatePods(o)) this.podCreators.push(o);
        if (w) {
          this.workloads.push(w);
          for (const key of [...w.labelPairs, ...w.controllerPairs]) {
            const list = this.labelIndex.get(key);
            if (list) list.push(w);
            else this.labelIndex.set(key, [w]);
          }
        }
      } else if (o.kind === 'Endpoints' || o.kind === 'EndpointSlice') {
        const e = readEndpoints(o);
        if (e) {
          this.endpoints.push(e);
          if (e.serviceName) {
            const list = this.endpointsByService.get(e.serviceName) ?? [];
            list.push(e);
            this.endpointsByService.set(e.serviceName, list);
          }
        }
      } else if (o.kind === 'Ingress') {
        const i = readIngress(o);
        if (i) this.ingresses.push(i);
      } else if (o.kind === 'NetworkPolicy') {
        const p = readNetworkPolicy(o);
        if (p) this.policies.push(p);
      }
    }
  }

  /** Every `key=value` label pair some pod template here carries. */
  labelPairs(): IterableIterator<string> {
    return this.labelIndex.keys();
  }

  /** Pod templates whose labels include every pair (a Service selector). */
  selectByLabels(selector: Record<string, string>): PodTemplate[] {
    const candidates = this.candidates(selector);
    return candidates ? candidates.filter((w) => carries(w, selector)) : [];
  }

  /** The shortest label-index list for one of the selector's pairs (every match is in it). */
  private candidates(selector: Record<string, string>): PodTemplate[] | undefined {
    let smallest: PodTemplate[] | undefined;
    for (const k in selector) {
      const list = this.labelIndex.get(`${k}=${selector[k]}`);
      if (!list) return undefined;
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return smallest;
  }

  /** Whether the selector picks exactly `expected`, in order (without building the list). */
  private selectsExactly(selector: Record<string, string>, expected: readonly PodTemplate[]): boolean {
    const candidates = this.candidates(selector) ?? [];
    let i = 0;
    for (const w of candidates) {
      if (!carries(w, selector)) continue;
      if (expected[i] !== w) return false;
      i++;
    }
    return i === expected.length;
  }

  /** Pod templates matching a LabelSelector (NetworkPolicy podSelector); empty selects all. */
  select(sel: LabelSelector): PodTemplate[] {
    const base = Object.keys(sel.matchLabels).length ? this.selectByLabels(sel.matchLabels) : this.workloads;
    return sel.matchExpressions.length ? base.filter((w) => selectorMatches(sel, w.labels)) : base;
  }

  /** The resolutions made so far (for the next view of this namespace). */
  resolved(): ReadonlyMap<ServiceInfo, ServiceResolution> {
    return this.resolutions;
  }

  resolve(svc: ServiceInfo): ServiceResolution {
    let r = this.resolutions.get(svc);
    if (r) return r;
    const selects = hasSelector(svc);
    // Same Service object and same pod templates and endpoints (objects are re-read only when
    // their file changes): the earlier resolution still holds. Checked without allocating:
    // an edit re-resolves every Service of its namespace.
    const before = this.earlier?.get(svc);
    if (before && (selects
      ? this.selectsExactly(svc.selector!, before.workloads)
      : sameItems(before.endpoints, this.endpointsByService.get(svc.name) ?? []))) {
      r = before;
    } else {
      const workloads = selects ? this.selectByLabels(svc.selector!) : [];
      const endpoints = selects ? [] : this.endpointsByService.get(svc.name) ?? [];
      r = { workloads, ports: svc.ports.map((port) => ({ port, targets: workloads.map((w) => resolveTargetPort(port, w)) })), endpoints };
    }
    this.resolutions.set(svc, r);
    return r;
  }

  /** The Service port whose traffic lands on container port `n` (its targetPort, or a named
   *  targetPort followed through the pods): the port a client should have used instead. */
  servicePortLandingOn(svc: ServiceInfo, n: number): ServicePort | undefined {
    return this.resolve(svc).ports.find(({ port, targets }) => port.targetPort === n || targets.some((t) => t.containerPort === n))?.port;
  }
}

/** Whether some pod of the template carries every pair (controller-added labels count). */
function carries(w: PodTemplate, selector: Record<string, string>): boolean {
  for (const k in selector) if (w.labels[k] !== selector[k] && !w.controllerPairs.has(`${k}=${selector[k]}`)) return false;
  return true;
}

export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Per-pod targetPort resolution: a name is looked up in that pod's container ports. */
export function resolveTargetPort(port: ServicePort, w: PodTemplate): PortTarget {
  const tp = port.targetPort;
  if (typeof tp === 'string') {
    const cp = w.ports.find((p) => p.name === tp && p.protocol === port.protocol) ?? w.ports.find((p) => p.name === tp);
    return cp
      ? { workload: w, containerPort: cp.containerPort, container: cp.container, portName: cp.name, declared: cp, undeclared: false, unresolved: false }
      : { workload: w, undeclared: false, unresolved: true };
  }
  if (tp === undefined) return { workload: w, undeclared: false, unresolved: false };
  const cp = w.ports.find((p) => p.containerPort === tp && p.protocol === port.protocol);
  return cp
    ? { workload: w, containerPort: tp, container: cp.container, portName: cp.name, declared: cp, undeclared: false, unresolved: false }
    : { workload: w, containerPort: tp, undeclared: true, unresolved: false };
}
