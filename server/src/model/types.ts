// Plain data shared by the model and its adapters. Positions are 0-based like LSP,
// characters counted in UTF-16 code units (JavaScript string offsets).

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
  code: string;
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
}

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
  if (!(s.nodes >= 1 && s.nodes <= 1000)) s.nodes = DEFAULT_SETTINGS.nodes;
  s.nodes = Math.floor(s.nodes);
  return s;
}
