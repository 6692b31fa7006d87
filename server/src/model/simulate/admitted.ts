// What the simulated cluster holds: only objects the API server admits. An object with an
// error from a rule that names the apiserver validation rejecting it (`rejectedBy`) is not
// created, so the simulator routes around it and says why.
import type { ClusterModel } from '../model';
import { objectRange, type K8sObject } from '../parse';
import { RULES } from '../rules';
import type { Diagnostic, Range } from '../types';

// Built on first use: the rules import the policy evaluation, which imports this module.
let rejecting: Set<string> | undefined;
const isRejecting = (code: string) => (rejecting ??= new Set<string>(RULES.filter((r) => r.rejectedBy).map((r) => r.code))).has(code);

function within(inner: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

/** The finding that makes the API server reject `obj`, if any. */
export function rejectionOf(model: ClusterModel, obj: K8sObject): Diagnostic | undefined {
  // Most files have no rejecting error: the object's range is read only when one does.
  let range: Range | undefined;
  return model.diagnostics(obj.uri).find((d) => d.severity === 'error' && isRejecting(d.code) && within(d.range, (range ??= objectRange(obj))));
}

/** Every finding that keeps an object out of the cluster, as one string: what the
 *  simulated cluster holds changes exactly when it does. */
export function rejectionsKey(model: ClusterModel): string {
  const out: string[] = [];
  for (const [uri, list] of model.allDiagnostics()) {
    for (const d of list) if (d.severity === 'error' && isRejecting(d.code)) out.push(`${uri}:${d.range.start.line}:${d.range.start.character}:${d.code}`);
  }
  return out.join('\n');
}

/** "Service `web` is rejected (code: message)". */
export function rejectedText(obj: K8sObject, d: Diagnostic): string {
  return `${obj.kind} \`${obj.namespace}/${obj.name ?? '?'}\` is rejected by the API server (${d.code}: ${d.message.replace(/\.$/, '')}), so it does not exist in the cluster`;
}
