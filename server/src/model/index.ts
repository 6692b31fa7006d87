// Public surface of the pure model.
export * from './types';
export { ClusterModel, compareDiagnostics } from './model';
export { listServices, describeService, serviceFqdn, describeIngress, describePolicy, matchingNamespaces } from './views';
export type { ServiceView, PortView, EndpointView, DnsRecord, IngressView, IngressRouteView, PolicyView } from './views';
export { simulationOf } from './simulated';
