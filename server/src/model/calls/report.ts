// Every call a unit's workloads declare, each with the simulator's verdict from the caller's
// pods (its DNS search list, the Service port, endpoints, policies at egress and ingress): the
// shape `ksi calls --format json` prints (version 1).
import type { ClusterModel } from '../model';
import { callKey, type DiscoveredCall, discoverCalls } from './discover';
import { callFindings, playCall } from './findings';

export interface CallVerdict {
  from: string;
  container: string;
  where: string;
  value: string;
  host: string;
  port: number | null;
  service: string | null;
  ok: boolean;
  error: { code: string; message: string } | null;
}

export interface CallsReport {
  version: 1;
  calls: CallVerdict[];
}

/** The calls of every workload in the unit (`namespace`: only those from workloads in it). */
export function callsReport(model: ClusterModel, options: { namespace?: string } = {}): CallsReport {
  const calls: CallVerdict[] = [];
  for (const view of model.views()) {
    if (options.namespace !== undefined && view.name !== options.namespace) continue;
    for (const w of view.workloads) {
      if (w.createdBy) continue; // inferred pods of an operator: no configuration written here
      for (const call of discoverCalls(model, w)) calls.push(verdictOf(model, call));
    }
  }
  return { version: 1, calls };
}

export function verdictOf(model: ClusterModel, call: DiscoveredCall): CallVerdict {
  const w = call.from;
  const base = {
    from: `${w.namespace}/${w.kind.toLowerCase()}/${w.name}`, container: call.container, where: call.where, value: call.value,
    host: call.address.host, port: call.address.port, service: call.service ? `${call.service.namespace}/${call.service.name}` : null,
  };
  if (!call.service) {
    const hint = call.suggestion ? ` Did you mean ${call.suggestion}?` : '';
    return { ...base, ok: false, error: { code: 'service-reference-not-found', message: `${call.address.host} resolves to no Service from namespace ${w.namespace}.${hint}` } };
  }
  const failed = playCall(model, { ...call, service: call.service });
  if (!failed) return { ...base, ok: true, error: null };
  const failure = failed.error ? { code: failed.error.code, message: failed.error.message } : { code: 'failed', message: 'the request fails' };
  return { ...base, ok: false, error: failure };
}

/** Per source (`ns/kind/name`), the targets its declared calls name (`host[:port]`), with the
 *  place and whether the call works (from the call rules' findings, kept between edits): what
 *  Simulate Request offers first. */
export function declaredTargets(model: ClusterModel): Record<string, { target: string; where: string; ok: boolean }[]> {
  model.allDiagnostics();
  const failing = new Set(callFindings(model, model.clusterScoped()).map((f) => callKey(f.call)));
  const out: Record<string, { target: string; where: string; ok: boolean }[]> = {};
  for (const view of model.views()) {
    for (const w of view.workloads) {
      if (w.createdBy) continue;
      const calls = discoverCalls(model, w);
      if (!calls.length) continue;
      out[`${w.namespace}/${w.kind.toLowerCase()}/${w.name}`] = calls.map((c) => ({
        target: `${c.address.host}${c.address.port !== null ? `:${c.address.port}` : ''}`,
        where: `${c.container}: ${c.where}`,
        ok: !failing.has(callKey(c)),
      }));
    }
  }
  return out;
}
