// Where a call finding goes: on the host:port inside the value when the file holds it as
// written, else on the whole value.
import type { Node } from 'yaml';
import type { DiscoveredCall } from './discover';

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
