// Runs the registered rules at their scopes. The model decides when (an object when its file
// is read, a namespace when one of its objects changed, the cluster after every change).
import { ClaimFacts, ClaimIndex, claimsOf } from '../claims';
import type { ClusterModel } from '../model';
import type { NamespaceView, ServiceResolution } from '../namespaceView';
import type { K8sObject } from '../parse';
import type { Diagnostic, Settings } from '../types';
import { RULES } from './index';
import { RuleReporter } from './report';
import type { RuleDefinition } from './rule';

const objectRules = new Map<string, RuleDefinition[]>();
const anyKindRules: RuleDefinition[] = [];
for (const rule of RULES as readonly RuleDefinition[]) {
  if (!rule.checks?.object) continue;
  if (rule.kinds.includes('*')) anyKindRules.push(rule);
  else for (const kind of rule.kinds) objectRules.set(kind, [...(objectRules.get(kind) ?? []), rule]);
}
const withScope = (scope: 'service' | 'namespace' | 'cluster') => (RULES as readonly RuleDefinition[]).filter((r) => r.checks?.[scope]);
const serviceRules = withScope('service');
/** One reporter per rule, pointed at the list being filled. */
const reporters = new Map<RuleDefinition, RuleReporter>((RULES as readonly RuleDefinition[]).map((r) => [r, new RuleReporter(r, [])]));
function reporter(rule: RuleDefinition, out: Diagnostic[]): RuleReporter {
  const r = reporters.get(rule)!;
  r.out = out;
  return r;
}
const namespaceRules = withScope('namespace');
const clusterRules = withScope('cluster');

export function checkObject(o: K8sObject, settings: Settings, out: Diagnostic[]): void {
  // Custom resources and other tools' files follow rules we do not know; templates are
  // filled in before the API server sees them.
  if (o.custom || o.templated) return;
  const ctx = { settings };
  for (const rule of anyKindRules) rule.checks!.object!(o, ctx, reporter(rule, out));
  for (const rule of objectRules.get(o.kind) ?? []) rule.checks!.object!(o, ctx, reporter(rule, out));
}

/** A Service's findings depend only on the Service and its resolution (the pods and endpoints
 *  it reaches); a resolution reused by a later view brings its findings along. */
const serviceFindings = new WeakMap<ServiceResolution, Diagnostic[]>();

export function checkNamespace(view: NamespaceView, out: Diagnostic[]): void {
  for (const svc of view.services.values()) {
    const res = view.resolve(svc);
    let findings = serviceFindings.get(res);
    if (!findings) {
      findings = [];
      for (const rule of serviceRules) rule.checks!.service!(svc, res, reporter(rule, findings));
      serviceFindings.set(res, findings);
    }
    for (const d of findings) out.push(d);
  }
  for (const rule of namespaceRules) rule.checks!.namespace!(view, reporter(rule, out));
}

/** What a namespace contributes to the cluster checks, computed and cached with it. */
export interface NamespaceFacts {
  claims: ClaimFacts;
  /** Per cluster rule (same order as the rules), what its `facts` returned. */
  byRule: unknown[];
}

export function namespaceFacts(view: NamespaceView): NamespaceFacts {
  return { claims: claimsOf(view), byRule: clusterRules.map((r) => r.checks!.facts?.(view)) };
}

export function checkCluster(
  model: ClusterModel,
  views: NamespaceView[],
  facts: NamespaceFacts[],
  claims: ClaimIndex,
  namespacesWithLabels: (selector: Record<string, string>) => string[],
  clusterObjects: K8sObject[],
  settings: Settings,
  out: Diagnostic[],
  only?: (rule: RuleDefinition) => boolean,
): void {
  clusterRules.forEach((rule, i) => {
    if (only && !only(rule)) return;
    const ctx = { model, views, facts: facts.map((f) => f.byRule[i]), claims, namespacesWithLabels, clusterObjects, settings };
    rule.checks!.cluster!(ctx, reporter(rule, out));
  });
}
