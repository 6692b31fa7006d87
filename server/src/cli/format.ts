// Output formats for `ksi check`: text, JSON (versioned contract) and SARIF 2.1.0.
import type { Diagnostic, Severity } from '../model';
import { RULE_DOCS_URL, RULES } from '../model/rules';

export interface Summary {
  files: number;
  objects: number;
  /** Apply units found (README "Apply units"); charts that were not analysed among them. */
  units: number;
  chartsNotAnalysed: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
  /** Findings hidden by ksi-ignore comments and ignore annotations. */
  suppressed: number;
}

export function summarize(diags: Diagnostic[], files: number, objects: number, units = 1, chartsNotAnalysed = 0, suppressed = 0): Summary {
  const count = (s: Severity) => diags.filter((d) => d.severity === s).length;
  return { files, objects, units, chartsNotAnalysed, errors: count('error'), warnings: count('warning'), information: count('information'), hints: count('hint'), suppressed };
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[90m' };
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(s: Summary): string {
  const units = s.units > 1 ? `, ${plural(s.units, 'apply unit')}` : '';
  const charts = s.chartsNotAnalysed ? `; ${plural(s.chartsNotAnalysed, 'Helm chart')} not analysed (each has a note that says why)` : '';
  const suppressed = s.suppressed ? `; ${s.suppressed} suppressed (ksi-ignore)` : '';
  return `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.information} information in ${plural(s.files, 'file')} (${plural(s.objects, 'object')}${units})${charts}${suppressed}`;
}

export function formatText(diags: Diagnostic[], summary: Summary, tty: boolean): string {
  const lines: string[] = [];
  if (!tty) {
    for (const d of diags) {
      lines.push(`${d.uri}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.unit !== undefined ? `[${d.unit}] ` : ''}${d.message}`);
    }
  } else {
    let current: string | undefined;
    for (const d of diags) {
      if (d.uri !== current) {
        if (current !== undefined) lines.push('');
        lines.push(`${BOLD}${d.uri}${RESET}`);
        current = d.uri;
      }
      const loc = `${d.range.start.line + 1}:${d.range.start.character + 1}`;
      lines.push(`  ${DIM}${loc.padEnd(8)}${RESET} ${COLORS[d.severity]}${d.severity.padEnd(11)}${RESET} ${d.message} ${DIM}${d.code}${d.unit !== undefined ? ` [${d.unit}]` : ''}${RESET}`);
    }
    if (diags.length) lines.push('');
  }
  lines.push(tty ? `${BOLD}${summaryLine(summary)}${RESET}` : summaryLine(summary));
  return lines.join('\n') + '\n';
}

export function formatJson(diags: Diagnostic[], summary: Summary): string {
  return JSON.stringify({
    version: 1,
    diagnostics: diags.map((d) => ({
      file: d.uri,
      range: d.range,
      severity: d.severity,
      code: d.code,
      message: d.message,
      related: (d.related ?? []).map((r) => ({ file: r.uri, range: r.range, message: r.message })),
      ...(d.unit !== undefined ? { unit: d.unit } : {}),
    })),
    summary,
  }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function sarifRegion(r: Diagnostic['range']) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

function sarifUri(file: string): string {
  return file.split('\\').join('/').split('/').map(encodeURIComponent).join('/');
}

export function formatSarif(diags: Diagnostic[], version: string): string {
  const used = RULES.filter((c) => diags.some((d) => d.code === c.code));
  const ruleIndex = new Map(used.map((c, i) => [c.code, i]));
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'ksi',
          fullName: 'Kube Service Insight',
          version,
          rules: used.map((c) => ({
            id: c.code,
            shortDescription: { text: c.title },
            fullDescription: { text: `${c.why}.` },
            help: { text: `Example: ${c.example}. Fix: ${c.fix}.` },
            helpUri: `${RULE_DOCS_URL}/${c.code}.md`,
            defaultConfiguration: { level: SARIF_LEVEL[c.severity] },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: diags.map((d) => ({
        ruleId: d.code,
        ...(ruleIndex.has(d.code) ? { ruleIndex: ruleIndex.get(d.code) } : {}),
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        ...(d.unit !== undefined ? { properties: { unit: d.unit } } : {}),
        locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(d.uri), uriBaseId: '%SRCROOT%' }, region: sarifRegion(d.range) } }],
        ...(d.related?.length ? {
          relatedLocations: d.related.map((r, id) => ({
            id, message: { text: r.message },
            physicalLocation: { artifactLocation: { uri: sarifUri(r.uri), uriBaseId: '%SRCROOT%' }, region: sarifRegion(r.range) },
          })),
        } : {}),
      })),
    }],
  }, null, 2) + '\n';
}

