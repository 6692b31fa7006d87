// The `kubeServiceInsight.*` settings as the client sends them → model settings.
import type { Settings } from '../model';

export const SECTION = 'kubeServiceInsight';

export function toModelSettings(raw: unknown): Partial<Settings> {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: Partial<Settings> = {};
  const str = (k: keyof Settings) => { if (typeof r[k] === 'string' && r[k]) (out as Record<string, unknown>)[k] = r[k]; };
  (['defaultNamespace', 'clusterDomain', 'serviceCIDR', 'podCIDR', 'nodePortRange'] as const).forEach(str);
  if (typeof r.nodes === 'number') out.nodes = r.nodes;
  if (typeof r.maxFileSize === 'number') out.maxFileSize = r.maxFileSize;
  if (Array.isArray(r.include)) out.include = r.include.filter((x): x is string => typeof x === 'string');
  if (Array.isArray(r.exclude)) out.exclude = r.exclude.filter((x): x is string => typeof x === 'string');
  if (Array.isArray(r.units)) out.units = r.units.filter((x): x is string => typeof x === 'string');
  return out;
}
