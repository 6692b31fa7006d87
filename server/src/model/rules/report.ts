// Building findings: the code and severity come from the rule, the place from YAML nodes.
import type { Node, Pair } from 'yaml';
import type { NamespaceView } from '../namespaceView';
import type { PodTemplate } from '../objects';
import type { K8sObject } from '../parse';
import type { Diagnostic, Range, RelatedLocation } from '../types';
import type { Span } from '../yamlNodes';
import type { Report, ReportExtra, RuleDefinition } from './rule';

/** One per rule in the engine, pointed at each list in turn (checks run one at a time), so
 *  checking an object allocates nothing unless it finds something. */
export class RuleReporter implements Report {
  constructor(private readonly rule: RuleDefinition, public out: Diagnostic[]) {}

  at(o: K8sObject, node: Node | Pair['key'] | undefined, message: string, extra: ReportExtra = {}): void {
    const d: Diagnostic = { uri: o.uri, range: node ? o.src.nodeRange(node) : nameOrKindRange(o), severity: this.rule.severity, code: this.rule.code as Diagnostic['code'], message };
    if (extra.related?.length) d.related = extra.related;
    if (extra.fixes?.length) d.fixes = extra.fixes;
    this.out.push(d);
  }

  replay(findings: readonly Diagnostic[]): void {
    for (const d of findings) this.out.push(d);
  }

  collect(check: (report: Report) => void): Diagnostic[] {
    const list: Diagnostic[] = [];
    check(new RuleReporter(this.rule, list));
    return list;
  }
}

/** Where to point when the problem is the object as a whole: its name, else its kind. */
export function nameOrKindRange(o: K8sObject): Range {
  return o.src.nodeRange({ range: o.nameRange });
}

export function related(o: K8sObject, node: Node | Pair['key'] | undefined, message: string): RelatedLocation {
  return { uri: o.uri, range: node ? o.src.nodeRange(node) : nameOrKindRange(o), message };
}

export function objRef(o: K8sObject): string {
  return `${o.kind} \`${o.name ?? '(unnamed)'}\``;
}

export function workloadRef(w: PodTemplate): string {
  return `${w.kind}/${w.name}`;
}

/** An empty range at the start of `node` (to insert a field before it). */
export function startRange(o: K8sObject, node: Node | Span): Range {
  const start = node.range?.[0] ?? 0;
  return o.src.range(start, start);
}

/** The indentation of the line `node` starts on, up to the node. */
export function indentOf(o: K8sObject, node: Node | Span): string {
  return ' '.repeat(o.src.position(node.range?.[0] ?? 0).character);
}

/** A sentence naming the custom resources of a namespace whose operators may create pods. */
export function operatorNote(view: NamespaceView): string {
  if (!view.podCreators.length) return '';
  const names = view.podCreators.slice(0, 3).map((o) => `${o.kind} \`${o.name}\``).join(', ');
  const more = view.podCreators.length > 3 ? ` and ${view.podCreators.length - 3} more` : '';
  return ` The namespace holds custom resources (${names}${more}) whose operators may create such pods; they are not in the manifests.`;
}
