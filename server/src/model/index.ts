// Public surface of the pure model.
export * from './types';
export { ClusterModel, compareDiagnostics } from './model';
export { WorkspaceModel } from './workspace';
export type { UnitInfo } from './workspace';
export type { YamlDoc } from './parse';
export { listServices, describeService, serviceFqdn, describeIngress, describePolicy, matchingNamespaces } from './views';
export type { ServiceView, PortView, EndpointView, DnsRecord, IngressView, IngressRouteView, PolicyView } from './views';
export { simulationOf } from './simulated';
export { hover } from './language/hover';
export type { HoverResult } from './language/hover';
export { complete } from './language/completion';
export type { CompletionItem } from './language/completion';
export { definition, references, codeLenses, documentSymbols } from './language/navigation';
export type { Location, CodeLens, SymbolInfo } from './language/navigation';
export { simulate, sourceCandidates } from './simulate/simulate';
export type { SimulationResult, SimulateOptions, TraceStep, SimErrorCode, SimEndpoint } from './simulate/simulate';
export { buildTopology, topologyToDot, topologyToMermaid } from './topology';
export type { Topology, TopoNode, TopoEdge } from './topology';
