// What a rule is: its documentation, its default severity, and its checks at the scopes it
// needs. A rule reports only its own code, with the severity the registry gives it.
import type { Node, Pair } from 'yaml';
import type { ClaimIndex } from '../claims';
import type { ClusterModel } from '../model';
import type { NamespaceView, ServiceResolution } from '../namespaceView';
import type { ServiceInfo } from '../objects';
import type { K8sObject } from '../parse';
import type { Diagnostic, RelatedLocation, Settings, TextEditFix } from '../types';

export type Level = 'error' | 'warning' | 'information';

/** Where a rule looks: engine scopes (`file`, `workspace`) are reported by the reader of files
 *  and units; the others by the rule's own checks. */
export type Scope = 'file' | 'workspace' | 'object' | 'service' | 'namespace' | 'cluster';

export interface ReportExtra {
  related?: RelatedLocation[];
  fixes?: TextEditFix[];
}

export interface Report {
  /** A finding at `node` of `o` (the object's name when there is no better place). */
  at(o: K8sObject, node: Node | Pair['key'] | undefined, message: string, extra?: ReportExtra): void;
  /** Findings this rule made earlier and kept (so unchanged files keep unchanged findings). */
  replay(findings: readonly Diagnostic[]): void;
  /** The findings `check` makes, returned instead of reported (for the rule to keep). */
  collect(check: (report: Report) => void): Diagnostic[];
}

export interface ObjectContext {
  settings: Settings;
}

export interface ClusterContext<F> {
  /** The unit's model, for checks that play requests through it (the simulator). */
  model: ClusterModel;
  views: NamespaceView[];
  /** What the rule's `facts` gave for each view (same order). */
  facts: F[];
  claims: ClaimIndex;
  /** Namespaces with a pod template carrying every pair of the selector. */
  namespacesWithLabels(selector: Record<string, string>): string[];
  clusterObjects: K8sObject[];
  settings: Settings;
}

export interface Checks<F> {
  /** One object on its own (custom resources and templated objects are not checked). */
  object?(o: K8sObject, ctx: ObjectContext, report: Report): void;
  /** One Service and what it resolves to; kept while the resolution is reused. */
  service?(svc: ServiceInfo, res: ServiceResolution, report: Report): void;
  /** One namespace; kept until one of its objects changes. */
  namespace?(view: NamespaceView, report: Report): void;
  /** What the cluster check needs of one namespace, kept with the namespace. */
  facts?(view: NamespaceView): F;
  /** The whole cluster; runs after every change, so it must be cheap (use facts). */
  cluster?(ctx: ClusterContext<F>, report: Report): void;
}

export interface RuleDefinition<C extends string = string, F = unknown> {
  code: C;
  severity: Level;
  /** One line: what is wrong. */
  title: string;
  /** Why it matters (what the API server or the traffic does). */
  why: string;
  /** A short example of the mistake. */
  example: string;
  fix: string;
  /** For errors that say the API server rejects the object: the apiserver validation (or
   *  allocator) that does. The simulated cluster leaves such objects out. */
  rejectedBy?: string;
  /** The kinds it reads (`*`: any kind). Object checks run only on these. */
  kinds: readonly string[];
  /** Engine rules (no checks): the module that reports the finding, and whether it is about
   *  one file or the workspace's files and units. */
  reportedBy?: string;
  engineScope?: 'file' | 'workspace';
  /** Reported only about rendered units: its examples are trees rendered by the real tools
   *  (test/render), not fixtures analysed without a renderer. */
  rendered?: true;
  /** Codes that cover several mistakes: one entry per case, each with its own firing fixture
   *  (`fixtures/fires-<case>.yaml`). */
  cases?: Readonly<Record<string, string>>;
  checks?: Checks<F>;
  /** Its cluster check, run on some of a unit's namespaces, finds nothing it would not find
   *  on all of them (more namespaces add findings or hints, never take one away): so it is
   *  part of an open file's early findings while the rest of the workspace is read. */
  holdsOnPart?: true;
  /** Its cluster check plays requests through the simulated cluster, which holds only the
   *  objects the other rules do not find rejected: it runs after them. */
  simulates?: true;
}

/** Declares a rule (the code stays a literal type, so the registry can list the codes). */
export function defineRule<const C extends string, F = unknown>(rule: RuleDefinition<C, F>): RuleDefinition<C, F> {
  return rule;
}

export function scopeOf(rule: RuleDefinition): Scope[] {
  if (!rule.checks) return [rule.engineScope ?? 'file'];
  const order: Scope[] = ['object', 'service', 'namespace', 'cluster'];
  return order.filter((s) => rule.checks![s as keyof Checks<unknown>]);
}
