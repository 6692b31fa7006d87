// Messages between the extension host and the topology webview, with validators: nothing
// from the other side is used before it has been checked against its shape.
import type { SimulationResult, Topology } from '../../server/src/model';

export type HostMessage =
  | { type: 'topology'; topology: Topology; activeUri: string | null }
  | { type: 'active'; uri: string | null }
  | { type: 'simulation'; result: SimulationResult }
  | { type: 'choices'; sources: string[]; targets: string[] }
  | { type: 'prefill'; from: string; to: string; run: boolean };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'open'; uri: string; line: number }
  | { type: 'simulate'; from: string; to: string; requests: number };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 2048): v is string => typeof v === 'string' && v.length <= max;
const isInt = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

/** Validates a message from the webview; anything else is dropped (undefined). */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isObj(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return Object.keys(raw).length === 1 ? { type: 'ready' } : undefined;
    case 'open':
      return isStr(raw.uri) && isInt(raw.line, 0, 10_000_000) && Object.keys(raw).length === 3 ? { type: 'open', uri: raw.uri, line: raw.line } : undefined;
    case 'simulate':
      return isStr(raw.from, 512) && isStr(raw.to, 2048) && isInt(raw.requests, 1, 100_000) && Object.keys(raw).length === 4
        ? { type: 'simulate', from: raw.from, to: raw.to, requests: raw.requests } : undefined;
    default:
      return undefined;
  }
}

/** Light structural check of host messages (the host is trusted, but its data is not HTML). */
export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isObj(raw)) return undefined;
  switch (raw.type) {
    case 'topology': {
      const t = raw.topology;
      return isObj(t) && Array.isArray(t.nodes) && Array.isArray(t.edges) && Array.isArray(t.namespaces) && (t.unit === undefined || isStr(t.unit, 1024))
        ? { type: 'topology', topology: t as unknown as Topology, activeUri: isStr(raw.activeUri) ? raw.activeUri : null } : undefined;
    }
    case 'active':
      return { type: 'active', uri: isStr(raw.uri) ? raw.uri : null };
    case 'simulation':
      return isObj(raw.result) && Array.isArray(raw.result.steps) ? { type: 'simulation', result: raw.result as unknown as SimulationResult } : undefined;
    case 'choices':
      return Array.isArray(raw.sources) && Array.isArray(raw.targets)
        ? { type: 'choices', sources: raw.sources.filter((s) => isStr(s, 512)) as string[], targets: raw.targets.filter((s) => isStr(s, 2048)) as string[] } : undefined;
    case 'prefill':
      return isStr(raw.from, 512) && isStr(raw.to) ? { type: 'prefill', from: raw.from, to: raw.to, run: raw.run === true } : undefined;
    default:
      return undefined;
  }
}
