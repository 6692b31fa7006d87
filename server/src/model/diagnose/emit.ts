// Building diagnostics that point at YAML nodes.
import type { NamespaceView } from '../namespaceView';
import type { Node, Pair } from 'yaml';
import type { K8sObject } from '../parse';
import type { Diagnostic, RelatedLocation, Severity, TextEditFix } from '../types';
import { get, getIn } from '../yamlNodes';

export type Sink = Diagnostic[];

export function at(
  out: Sink,
  o: K8sObject,
  node: Node | Pair['key'] | undefined,
  severity: Severity,
  code: string,
  message: string,
  extra: { related?: RelatedLocation[]; fixes?: TextEditFix[] } = {},
): void {
  const d: Diagnostic = { uri: o.uri, range: node ? o.src.nodeRange(node) : nameOrKindRange(o), severity, code, message };
  if (extra.related?.length) d.related = extra.related;
  if (extra.fixes?.length) d.fixes = extra.fixes;
  out.push(d);
}

/** Where to point when the problem is the object as a whole: its name, else its kind. */
export function nameOrKindRange(o: K8sObject) {
  return o.src.nodeRange(getIn(o.node, 'metadata', 'name') ?? get(o.node, 'kind') ?? o.node);
}

export function related(o: K8sObject, node: Node | undefined, message: string): RelatedLocation {
  return { uri: o.uri, range: node ? o.src.nodeRange(node) : nameOrKindRange(o), message };
}

export function objRef(o: K8sObject): string {
  return `${o.kind} \`${o.name ?? '(unnamed)'}\``;
}

/** A sentence naming the custom resources of a namespace whose operators may create pods. */
export function operatorNote(view: NamespaceView): string {
  if (!view.podCreators.length) return '';
  const names = view.podCreators.slice(0, 3).map((o) => `${o.kind} \`${o.name}\``).join(', ');
  const more = view.podCreators.length > 3 ? ` and ${view.podCreators.length - 3} more` : '';
  return ` The namespace holds custom resources (${names}${more}) whose operators may create such pods; they are not in the manifests.`;
}
