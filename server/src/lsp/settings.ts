// The `kubeServiceInsight.*` settings as the client sends them → model settings.
import { RULE_SETTINGS, type Settings } from '../model';
import { isRuleCode } from '../model/rules';
import { DEFAULT_RENDER, RenderSettings } from '../workspace/render/driver';

/** The renderer settings (`render: false` turns rendering off). */
export function toRenderSettings(raw: unknown): RenderSettings | false {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (r.render === false) return false;
  const path = (k: string) => (typeof r[k] === 'string' && r[k] ? (r[k] as string) : undefined);
  const seconds = typeof r.renderTimeout === 'number' && r.renderTimeout > 0 ? r.renderTimeout : DEFAULT_RENDER.timeoutMs / 1000;
  const memory = typeof r.renderMemoryLimit === 'number' && r.renderMemoryLimit >= 0 ? r.renderMemoryLimit : DEFAULT_RENDER.memoryMb;
  return { kubectlPath: path('kubectlPath'), kustomizePath: path('kustomizePath'), helmPath: path('helmPath'), timeoutMs: seconds * 1000, memoryMb: memory };
}

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
  if (r.charts && typeof r.charts === 'object' && !Array.isArray(r.charts)) out.charts = r.charts as Settings['charts'];
  // The section comes whole: no `rules` means none configured (not "keep the last ones").
  out.rules = r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules) ? r.rules as Settings['rules'] : {};
  return out;
}

/** Entries of the `rules` setting that are not a rule code or not a setting (for a warning). */
export function ruleSettingProblems(raw: unknown): string[] {
  const rules = (raw as { rules?: unknown } | null)?.rules;
  if (!rules || typeof rules !== 'object' || Array.isArray(rules)) return [];
  const problems: string[] = [];
  for (const [code, level] of Object.entries(rules)) {
    if (!isRuleCode(code)) problems.push(`\`${code}\` is not a rule`);
    else if (!(RULE_SETTINGS as readonly unknown[]).includes(level)) problems.push(`\`${code}\`: \`${String(level)}\` is not off, information, warning or error`);
  }
  return problems;
}
