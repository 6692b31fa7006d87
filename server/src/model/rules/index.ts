// The registry: every rule, in the order the docs list them. Adding a rule is a folder with
// its rule.ts and fixtures, and one line in each list below.
import yamlSyntax from './yaml-syntax/rule';
import yamlCompat from './yaml-compat/rule';
import yamlTooComplex from './yaml-too-complex/rule';
import fileSkipped from './file-skipped/rule';
import unitsSplit from './units-split/rule';
import kustomizeNotRendered from './kustomize-not-rendered/rule';
import helmChartNotRendered from './helm-chart-not-rendered/rule';
import renderFailed from './render-failed/rule';
import renderIncomplete from './render-incomplete/rule';
import configInvalid from './config-invalid/rule';
import ignoreUnknownRule from './ignore-unknown-rule/rule';
import unknownField from './unknown-field/rule';
import invalidValue from './invalid-value/rule';
import invalidType from './invalid-type/rule';
import missingField from './missing-field/rule';
import missingName from './missing-name/rule';
import invalidName from './invalid-name/rule';
import invalidLabel from './invalid-label/rule';
import workloadSelectorMismatch from './workload-selector-mismatch/rule';
import containerPortMissing from './container-port-missing/rule';
import serviceSelectorNoMatch from './service-selector-no-match/rule';
import selectorOperatorPods from './selector-operator-pods/rule';
import serviceNoEndpoints from './service-no-endpoints/rule';
import serviceScaledToZero from './service-scaled-to-zero/rule';
import targetPortNotExposed from './target-port-not-exposed/rule';
import targetPortNameUnresolved from './target-port-name-unresolved/rule';
import targetPortNamePartial from './target-port-name-partial/rule';
import portNameRequired from './port-name-required/rule';
import duplicatePort from './duplicate-port/rule';
import portNameShared from './port-name-shared/rule';
import portOutOfRange from './port-out-of-range/rule';
import nodePortOutOfRange from './node-port-out-of-range/rule';
import nodePortConflict from './node-port-conflict/rule';
import nodePortOnClusterIp from './node-port-on-cluster-ip/rule';
import clusterIpOutOfRange from './cluster-ip-out-of-range/rule';
import clusterIpConflict from './cluster-ip-conflict/rule';
import headlessInvalidType from './headless-invalid-type/rule';
import externalNameInvalid from './external-name-invalid/rule';
import externalTrafficPolicyInvalid from './external-traffic-policy-invalid/rule';
import endpointsIpInvalid from './endpoints-ip-invalid/rule';
import endpointsOrphan from './endpoints-orphan/rule';
import endpointsOverwritten from './endpoints-overwritten/rule';
import ingressServiceNotFound from './ingress-service-not-found/rule';
import ingressPortNotFound from './ingress-port-not-found/rule';
import deprecatedApi from './deprecated-api/rule';
import networkPolicyNoMatch from './network-policy-no-match/rule';
import networkPolicyDnsBlocked from './network-policy-dns-blocked/rule';
import serviceReferenceNotFound from './service-reference-not-found/rule';
import serviceReferencePortMismatch from './service-reference-port-mismatch/rule';
import callDeniedByPolicy from './call-denied-by-policy/rule';
import callNoEndpoints from './call-no-endpoints/rule';
import podSubdomainNoService from './pod-subdomain-no-service/rule';
import statefulsetServiceNotHeadless from './statefulset-service-not-headless/rule';
import statefulsetServiceNotFound from './statefulset-service-not-found/rule';
import podDnsNotSelected from './pod-dns-not-selected/rule';
import duplicateObject from './duplicate-object/rule';
import type { Diagnostic, Range } from '../types';
import type { Level, RuleDefinition } from './rule';

export const RULES = [
  yamlSyntax,
  yamlCompat,
  yamlTooComplex,
  fileSkipped,
  unitsSplit,
  kustomizeNotRendered,
  helmChartNotRendered,
  renderFailed,
  renderIncomplete,
  configInvalid,
  ignoreUnknownRule,
  unknownField,
  invalidValue,
  invalidType,
  missingField,
  missingName,
  invalidName,
  invalidLabel,
  workloadSelectorMismatch,
  containerPortMissing,
  serviceSelectorNoMatch,
  selectorOperatorPods,
  serviceNoEndpoints,
  serviceScaledToZero,
  targetPortNotExposed,
  targetPortNameUnresolved,
  targetPortNamePartial,
  portNameRequired,
  duplicatePort,
  portNameShared,
  portOutOfRange,
  nodePortOutOfRange,
  nodePortConflict,
  nodePortOnClusterIp,
  clusterIpOutOfRange,
  clusterIpConflict,
  headlessInvalidType,
  externalNameInvalid,
  externalTrafficPolicyInvalid,
  endpointsIpInvalid,
  endpointsOrphan,
  endpointsOverwritten,
  ingressServiceNotFound,
  ingressPortNotFound,
  deprecatedApi,
  networkPolicyNoMatch,
  networkPolicyDnsBlocked,
  serviceReferenceNotFound,
  serviceReferencePortMismatch,
  callDeniedByPolicy,
  callNoEndpoints,
  podSubdomainNoService,
  statefulsetServiceNotHeadless,
  statefulsetServiceNotFound,
  podDnsNotSelected,
  duplicateObject,
] as const;

/** Where each rule's page is published (docs/rules/<code>.md in the repository). */
export const RULE_DOCS_URL = 'https://github.com/kube-service-insight/kube-service-insight/blob/main/docs/rules';

/** Every registered code: emitting any other does not compile. */
export type RuleCode = (typeof RULES)[number]['code'];

const BY_CODE = new Map<string, RuleDefinition>((RULES as readonly RuleDefinition[]).map((r) => [r.code, r]));

export function ruleOf(code: string): RuleDefinition | undefined {
  return BY_CODE.get(code);
}

export function isRuleCode(code: string): code is RuleCode {
  return BY_CODE.has(code);
}

export function defaultSeverity(code: RuleCode): Level {
  return BY_CODE.get(code)!.severity;
}

/** A finding reported by the engine itself (reading files and units), with the rule's severity. */
export function finding(code: RuleCode, uri: string, range: Range, message: string, extra: Partial<Pick<Diagnostic, 'unit' | 'fixes' | 'related'>> = {}): Diagnostic {
  return { uri, range, severity: defaultSeverity(code), code, message, ...extra };
}
