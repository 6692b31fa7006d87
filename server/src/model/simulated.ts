// Values the manifests do not carry — cluster IPs, node ports, pod names, pod IPs, node
// placement — invented deterministically so repeated runs agree. Everything here is
// simulated and must be shown as such (SEMANTICS §8).
import type { ClusterModel } from './model';
import { cidrContains, formatIPv4, hash32, parseCidr, parseIPv4, parsePortRange } from './net';
import type { PodTemplate, ServiceInfo, ServicePort } from './objects';
import { dnsServiceIPOf } from './simulate/policy';

export interface SimNode {
  name: string;
  ip: string;
}

export interface PodInstance {
  name: string;
  /** False only for names the manifests fix (Pods, StatefulSet ordinals). */
  nameSimulated: boolean;
  /** The workload as it is now (the simulated values outlive edits that do not move them). */
  workload: PodTemplate;
  ordinal: number;
  ip?: string;
  node: SimNode;
  /** The pod uses its node's network: its address is the node's. */
  hostNetwork: boolean;
}

const POD_HASH_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function suffix(seed: string, length: number): string {
  let h = hash32(seed);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += POD_HASH_ALPHABET[h % POD_HASH_ALPHABET.length];
    h = (Math.floor(h / POD_HASH_ALPHABET.length) ^ hash32(`${seed}/${i}`)) >>> 0;
  }
  return out;
}

function key(ns: string, name: string): string {
  return `${ns}/${name}`;
}

export class Simulation {
  readonly nodes: SimNode[];
  private readonly clusterIPs = new Map<string, string>();
  private readonly nodePorts = new Map<string, number>();
  /** Pods by `namespace/Kind/name`, without their workload (attached on read). */
  private readonly pods = new Map<string, Omit<PodInstance, 'workload'>[]>();
  readonly dnsServiceIP: string;

  constructor(private readonly model: ClusterModel) {
    const s = model.settings;
    this.nodes = Array.from({ length: s.nodes }, (_, i) => ({ name: `node-${i + 1}`, ip: `172.18.0.${(i % 250) + 2}` }));
    const serviceCidr = parseCidr(s.serviceCIDR) ?? parseCidr('10.96.0.0/12')!;
    this.dnsServiceIP = dnsServiceIPOf(s);
    this.allocateClusterIPs(serviceCidr);
    this.allocateNodePorts();
    this.allocatePods();
  }

  clusterIP(svc: ServiceInfo): { ip?: string; simulated: boolean } {
    if (svc.headless || svc.type === 'ExternalName') return { simulated: false };
    if (svc.clusterIP) return { ip: svc.clusterIP, simulated: false };
    return { ip: this.clusterIPs.get(key(svc.namespace, svc.name)), simulated: true };
  }

  nodePort(svc: ServiceInfo, port: ServicePort): { port?: number; simulated: boolean } {
    if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') return { simulated: false };
    if (port.nodePort) return { port: port.nodePort, simulated: false };
    return { port: this.nodePorts.get(`${key(svc.namespace, svc.name)}#${port.index}`), simulated: true };
  }

  podsOf(w: PodTemplate): PodInstance[] {
    return (this.pods.get(key(w.namespace, `${w.kind}/${w.name}`)) ?? []).map((p) => ({ ...p, workload: w }));
  }

  /** The pods of a template that a Service selector picks: all of them, unless it names a
   *  label the StatefulSet controller sets per pod (pod name, pod index). */
  podsSelectedBy(w: PodTemplate, selector: Record<string, string> | undefined): PodInstance[] {
    const pods = this.podsOf(w);
    const name = selector?.['statefulset.kubernetes.io/pod-name'];
    const index = selector?.['apps.kubernetes.io/pod-index'];
    if (w.kind !== 'StatefulSet' || (name === undefined && index === undefined)) return pods;
    return pods.filter((p) => (name === undefined || (w.labels['statefulset.kubernetes.io/pod-name'] ?? p.name) === name)
      && (index === undefined || (w.labels['apps.kubernetes.io/pod-index'] ?? String(p.ordinal)) === index));
  }

  private allocateClusterIPs(cidr: { base: number; size: number }) {
    const taken = new Set<number>([cidr.base, cidr.base + 1, cidr.base + 10, cidr.base + cidr.size - 1]);
    const wanting: ServiceInfo[] = [];
    for (const view of this.model.views()) {
      for (const svc of view.services.values()) {
        const ip = svc.clusterIP ? parseIPv4(svc.clusterIP) : undefined;
        if (ip !== undefined) taken.add(ip);
        else if (!svc.headless && svc.type !== 'ExternalName') wanting.push(svc);
      }
    }
    const span = Math.max(1, cidr.size - 16);
    for (const svc of wanting) {
      const k = key(svc.namespace, svc.name);
      let offset = hash32(k) % span;
      for (let tries = 0; tries < span; tries++) {
        const ip = cidr.base + 12 + ((offset + tries) % span);
        if (!taken.has(ip)) {
          taken.add(ip);
          this.clusterIPs.set(k, formatIPv4(ip));
          break;
        }
      }
      offset++;
    }
  }

  private allocateNodePorts() {
    const [lo, hi] = parsePortRange(this.model.settings.nodePortRange);
    const taken = new Set<number>();
    const wanting: [string, ServiceInfo, ServicePort][] = [];
    for (const view of this.model.views()) {
      for (const svc of view.services.values()) {
        if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') continue;
        for (const p of svc.ports) {
          if (p.nodePort) taken.add(p.nodePort);
          else wanting.push([`${key(svc.namespace, svc.name)}#${p.index}`, svc, p]);
        }
      }
    }
    const span = hi - lo + 1;
    for (const [k] of wanting) {
      const start = hash32(k) % span;
      for (let tries = 0; tries < span; tries++) {
        const port = lo + ((start + tries) % span);
        if (!taken.has(port)) {
          taken.add(port);
          this.nodePorts.set(k, port);
          break;
        }
      }
    }
  }

  private allocatePods() {
    const podCidr = parseCidr(this.model.settings.podCIDR) ?? parseCidr('10.244.0.0/16')!;
    // Like a real cluster, each node owns a slice of the pod CIDR.
    const blockBits = Math.ceil(Math.log2(this.nodes.length));
    const blockSize = Math.max(4, Math.floor(podCidr.size / 2 ** blockBits));
    const used = this.nodes.map(() => new Set<number>());
    for (const view of this.model.views()) {
      for (const w of view.workloads) {
        const k = key(w.namespace, `${w.kind}/${w.name}`);
        const count = w.replicas < 0 ? this.nodes.length : Math.min(w.replicas, 10_000);
        const list: Omit<PodInstance, 'workload'>[] = [];
        const template = w.kind === 'Deployment' ? suffix(k, 10) : '';
        for (let i = 0; i < count; i++) {
          const nodeIndex = w.replicas < 0 ? i : (hash32(k) + i) % this.nodes.length;
          const named = podName(w, i, template, k);
          const blockBase = podCidr.base + nodeIndex * blockSize;
          let ip: string | undefined = w.hostNetwork ? this.nodes[nodeIndex].ip : undefined;
          const start = hash32(`${k}#${i}`) % (blockSize - 3);
          for (let tries = 0; !w.hostNetwork && tries < blockSize - 3; tries++) {
            const off = 2 + ((start + tries) % (blockSize - 3));
            if (!used[nodeIndex].has(off) && cidrContains(podCidr, blockBase + off)) {
              used[nodeIndex].add(off);
              ip = formatIPv4(blockBase + off);
              break;
            }
          }
          list.push({ ...named, ordinal: i, ip, node: this.nodes[nodeIndex], hostNetwork: w.hostNetwork });
        }
        this.pods.set(k, list);
      }
    }
  }
}

function podName(w: PodTemplate, i: number, template: string, k: string): { name: string; nameSimulated: boolean } {
  switch (w.kind) {
    case 'Pod': return { name: w.name, nameSimulated: false };
    case 'StatefulSet': return { name: `${w.name}-${i}`, nameSimulated: false };
    case 'Deployment': return { name: `${w.name}-${template}-${suffix(`${k}#${i}`, 5)}`, nameSimulated: true };
    case 'CronJob': return { name: `${w.name}-29000000-${suffix(`${k}#${i}`, 5)}`, nameSimulated: true };
    default: return { name: `${w.name}-${suffix(`${k}#${i}`, 5)}`, nameSimulated: true };
  }
}

/** One Simulation per allocation version of the model. */
const cache = new WeakMap<ClusterModel, { version: number; sim: Simulation }>();

export function simulationOf(model: ClusterModel): Simulation {
  const c = cache.get(model);
  if (c && c.version === model.allocationVersion) return c.sim;
  const sim = new Simulation(model);
  cache.set(model, { version: model.allocationVersion, sim });
  return sim;
}
