// The custom requests and notifications between the extension and the language server,
// declared once: the method name and the shapes of parameters and results travel together,
// so client and server cannot drift apart. (Plain descriptors rather than vscode-jsonrpc
// `RequestType`s: the two ends bundle different vscode-jsonrpc versions.)
import type { ConnectionReport, SimulationResult, Topology } from './model';

export interface RequestType<P, R> {
  readonly method: string;
  /** Type-level only: the parameter and result types. */
  readonly types?: { params: P; result: R };
}

export interface NotificationType<P> {
  readonly method: string;
  readonly types?: { params: P };
}

/** Requests that work in the apply unit of a file (the active editor's), else the largest. */
export interface UnitParams {
  uri?: string;
}

export interface Choices {
  sources: string[];
  targets: string[];
  /** With a target asked about: the clients that reach it first, each with whether it does. */
  toward?: { source: string; reaches: boolean; note: string }[];
  /** Per source, the calls its manifests declare (offered first as its targets). */
  calls?: Record<string, { target: string; where: string; ok: boolean }[]>;
}

export interface ChoicesParams extends UnitParams {
  /** A target the request will go to (a lens's Service). */
  to?: string;
}

export interface SimulateParams extends UnitParams {
  from: string;
  to: string;
  requests?: number;
  seed?: number;
  proxyMode?: 'iptables' | 'ipvs';
  clientIP?: string;
}

export interface UnitAnswer {
  name: string;
  readAs: string;
}

export interface Status {
  indexing: boolean;
  files: number;
  objects: number;
  errors: number;
  warnings: number;
  units: number;
  chartsNotAnalysed: number;
  /** Findings hidden by ksi-ignore comments and ignore annotations. */
  suppressed: number;
  /** The renderers found (`kubectl v1.35.2 (kustomize v5.7.1), helm v4.1.4`). */
  renderers?: string;
  /** Units analysed from rendered output. */
  rendered?: number;
  /** Why some units are not rendered (restricted mode, no renderer, rendering off). */
  renderNote?: string;
}

/** The client says the workspace became trusted (rendering may run from then on). */
export const TrustNotification: NotificationType<{ trusted: boolean }> = { method: 'kubeServiceInsight/trust' };

/** The topology of a unit, with the unit's name when the workspace has several. */
export const TopologyRequest: RequestType<UnitParams, (Topology & { unit?: string }) | null> = { method: 'kubeServiceInsight/topology' };
/** Sources and targets to offer in Simulate Request. */
export const ChoicesRequest: RequestType<ChoicesParams, Choices> = { method: 'kubeServiceInsight/choices' };
/** The apply unit a file is read in. */
export const UnitRequest: RequestType<{ uri: string }, UnitAnswer | null> = { method: 'kubeServiceInsight/unit' };
export interface ConnectionsParams extends UnitParams {
  /** Only connections from or to this workload (`ns/kind/name`). */
  workload?: string;
  namespace?: string;
}
/** What NetworkPolicies allow between workloads (`ksi connections`'s JSON). */
export const ConnectionsRequest: RequestType<ConnectionsParams, ConnectionReport | null> = { method: 'kubeServiceInsight/connections' };
export const SimulateRequest: RequestType<SimulateParams, SimulationResult | null> = { method: 'kubeServiceInsight/simulate' };
export const StatusNotification: NotificationType<Status> = { method: 'kubeServiceInsight/status' };
