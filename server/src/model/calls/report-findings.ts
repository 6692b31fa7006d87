// How the four call rules report: each finding of its code, on the host:port inside the value
// when the file holds it as written, else on the whole value.
import type { Node } from 'yaml';
import type { ClusterModel } from '../model';
import type { K8sObject } from '../parse';
import type { Report } from '../rules/rule';
import type { Diagnostic } from '../types';
import type { DiscoveredCall } from './discover';
import { type CallCode, type CallFinding, callFindings } from './findings';

/** Each finding's diagnostics, made once: a kept finding (its call unchanged) keeps them. */
const reported = new WeakMap<CallFinding, Diagnostic[]>();

/** Reports the call findings of one code, `describe` saying each. */
export function reportCallFindings(ctx: { model: ClusterModel; clusterObjects: K8sObject[] }, report: Report, code: CallCode, describe: (f: CallFinding, report: Report) => void): void {
  for (const f of callFindings(ctx.model, ctx.clusterObjects)) {
    if (f.code !== code) continue;
    let list = reported.get(f);
    if (!list) reported.set(f, (list = report.collect((r) => describe(f, r))));
    report.replay(list);
  }
}

export function callNode(call: DiscoveredCall): Node | undefined {
  const { start, end, span } = call.at;
  if (start !== undefined && end !== undefined) return { range: [start, end, end] } as unknown as Node;
  return span as unknown as Node | undefined;
}

/** `Deployment/carts (env DB_URL)`. */
export function callPlace(call: DiscoveredCall): string {
  return `${call.from.kind}/${call.from.name} (${call.where})`;
}

export const CALL_KINDS = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'ConfigMap', 'Service', 'NetworkPolicy'] as const;
