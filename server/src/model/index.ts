// Public surface of the pure model.
export * from './types';
export { ClusterModel, compareDiagnostics } from './model';
export { listServices, describeService, serviceFqdn } from './views';
export type { ServiceView, PortView, EndpointView, DnsRecord } from './views';
export { simulationOf } from './simulated';
