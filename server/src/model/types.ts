// Plain data shared by the model and its adapters. Positions are 0-based like LSP,
// characters counted in UTF-16 code units (JavaScript string offsets).
import type { RuleCode } from './rules';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedLocation {
  uri: string;
  range: Range;
  message: string;
}

export interface TextEdit {
  uri: string;
  range: Range;
  newText: string;
}

/** A machine-applicable fix for a diagnostic (offered as a quick fix). */
export interface TextEditFix {
  title: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  uri: string;
  range: Range;
  severity: Severity;
  code: RuleCode;
  message: string;
  related?: RelatedLocation[];
  fixes?: TextEditFix[];
  /** The apply unit the finding belongs to, when the workspace has more than one. */
  unit?: string;
}

export interface Settings {
  defaultNamespace: string;
  clusterDomain: string;
  serviceCIDR: string;
  podCIDR: string;
  nodePortRange: string;
  nodes: number;
  include: string[];
  exclude: string[];
  /** Files larger than this many bytes are skipped. */
  maxFileSize: number;
  /** Apply units named explicitly: globs of folders or files, relative to a workspace folder
   *  (added to those of `.ksi.yaml`). */
  units: string[];
  /** Rules turned off or given another severity, by code (over `.ksi.yaml`'s `rules:`). */
  rules: Record<string, RuleSetting>;
  /** How Helm charts are rendered, by chart folder (under `.ksi.yaml`'s `charts:`). */
  charts?: Record<string, ChartSetting>;
}

export interface ChartSetting {
  release?: string;
  namespace?: string;
  /** Values files, relative to the chart's folder (after the chart's own values.yaml). */
  values?: string[];
}

export type RuleSetting = 'off' | 'information' | 'warning' | 'error';
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'information', 'warning', 'error'];

export const DEFAULT_SETTINGS: Settings = {
  defaultNamespace: 'default',
  clusterDomain: 'cluster.local',
  serviceCIDR: '10.96.0.0/12',
  podCIDR: '10.244.0.0/16',
  nodePortRange: '30000-32767',
  nodes: 3,
  include: ['**/*.yaml', '**/*.yml', '**/*.json'],
  exclude: [],
  maxFileSize: 5 * 1024 * 1024,
  units: [],
  rules: {},
};

export function withDefaults(partial: Partial<Settings> | undefined): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS };
  if (!partial) return s;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const v = partial[key];
    if (v !== undefined && v !== null && typeof v === typeof DEFAULT_SETTINGS[key]) {
      (s as unknown as Record<string, unknown>)[key] = v;
    }
  }
  // Only well-formed rule settings are kept (the config file reports the others).
  s.rules = {};
  if (partial.rules && typeof partial.rules === 'object' && !Array.isArray(partial.rules)) {
    for (const [code, level] of Object.entries(partial.rules)) if (RULE_SETTINGS.includes(level)) s.rules[code] = level;
  }
  if (!(s.nodes >= 1 && s.nodes <= 1000)) s.nodes = DEFAULT_SETTINGS.nodes;
  s.nodes = Math.floor(s.nodes);
  return s;
}
