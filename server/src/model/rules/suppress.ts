// Turning findings off: rule settings (`rules:` in .ksi.yaml, the editor setting, CLI flags),
// an annotation on the object, and `# ksi-ignore code: reason` comments on or above a line.
import { objectRange, type K8sObject } from '../parse';
import { closest } from '../suggest';
import type { Diagnostic, RuleSetting, TextEditFix } from '../types';
import { asMap, asScalar, get, getIn } from '../yamlNodes';
import { finding, isRuleCode, ruleOf, RULES } from './index';

export const IGNORE_ANNOTATION = 'kube-service-insight.io/ignore';
const COMMENT = /(^|\s)#\s*ksi-ignore\b(.*)$/;

export interface Suppressions {
  /** Line → codes ignored there. */
  lines: Map<number, Set<string>>;
  /** Lines an object spans → codes its annotation ignores. */
  objects: { start: number; end: number; codes: Set<string> }[];
  /** Lines of objects whose document has a syntax error: the parser's recovery guesses at
   *  what follows the error, so the checks' findings there would be echoes of it. */
  broken?: { start: number; end: number }[];
}

/** The suppressions a file declares, and findings for codes they name that do not exist. */
export function readSuppressions(uri: string, text: string, objects: readonly K8sObject[]): { suppressions?: Suppressions; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const lines = text.includes('ksi-ignore') ? commentSuppressions(uri, text, problems) : new Map<number, Set<string>>();
  const annotated: Suppressions['objects'] = [];
  if (text.includes(IGNORE_ANNOTATION)) {
    for (const o of objects) {
      const value = asScalar(get(asMap(getIn(o.node, 'metadata', 'annotations')), IGNORE_ANNOTATION));
      if (!value || typeof value.value !== 'string') continue;
      const codes = new Set<string>();
      const start = value.range?.[0] ?? 0;
      for (const m of value.value.matchAll(/[^\s,]+/g)) {
        codes.add(m[0]);
        // Offsets inside a plain or quoted one-line scalar (the usual form) point at the code.
        const at = (value.source !== undefined ? start + (value.type === 'PLAIN' ? 0 : 1) : start) + m.index!;
        if (!isRuleCode(m[0])) problems.push(unknownCode(uri, o.src.range(at, at + m[0].length), m[0], 'annotation'));
      }
      const range = objectRange(o);
      annotated.push({ start: range.start.line, end: range.end.line, codes });
    }
  }
  const broken = objects.filter((o) => o.inBrokenDocument).map((o) => {
    const range = objectRange(o);
    return { start: range.start.line, end: range.end.line };
  });
  return { suppressions: lines.size || annotated.length || broken.length ? { lines, objects: annotated, broken: broken.length ? broken : undefined } : undefined, problems };
}

function commentSuppressions(uri: string, text: string, problems: Diagnostic[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  const rows = text.split('\n');
  let pending: Set<string> | undefined;
  rows.forEach((row, line) => {
    const m = COMMENT.exec(row);
    const ownLine = /^\s*#/.test(row);
    const blank = /^\s*$/.test(row);
    if (!m) {
      // An own-line comment applies to the next line with content.
      if (pending && !blank && !ownLine) {
        add(out, line, pending);
        pending = undefined;
      }
      return;
    }
    const body = m[2];
    const codesPart = body.split(':')[0];
    const codes = new Set<string>();
    const bodyStart = row.length - body.length;
    for (const c of codesPart.matchAll(/[^\s,]+/g)) {
      codes.add(c[0]);
      if (!isRuleCode(c[0])) problems.push(unknownCode(uri, { start: { line, character: bodyStart + c.index! }, end: { line, character: bodyStart + c.index! + c[0].length } }, c[0], 'comment'));
    }
    add(out, line, codes);
    if (ownLine) pending = pending ? new Set([...pending, ...codes]) : codes;
  });
  return out;
}

function add(map: Map<number, Set<string>>, line: number, codes: Set<string>) {
  const have = map.get(line);
  map.set(line, have ? new Set([...have, ...codes]) : codes);
}

function unknownCode(uri: string, range: Diagnostic['range'], code: string, where: string): Diagnostic {
  const guess = closest(code, RULES.map((r) => r.code));
  return finding('ignore-unknown-rule', uri, range,
    `\`${code}\` in this ksi-ignore ${where} is not a rule, so it suppresses nothing${guess ? `; did you mean \`${guess}\`?` : '. `ksi rules` lists them.'}`,
    guess ? { fixes: [{ title: `Change to \`${guess}\``, edits: [{ uri, range, newText: guess }] }] } : {});
}

export function isSuppressed(d: Diagnostic, s: Suppressions | undefined): boolean {
  if (!s) return false;
  if (s.lines.get(d.range.start.line)?.has(d.code)) return true;
  const line = d.range.start.line;
  return s.objects.some((o) => line >= o.start && line <= o.end && o.codes.has(d.code));
}

/** A check's finding inside an object whose YAML is broken (the syntax error is the finding
 *  there; the parse's own findings, like the error itself, stay). */
function echoesSyntaxError(d: Diagnostic, broken: NonNullable<Suppressions['broken']>): boolean {
  if (!ruleOf(d.code)?.checks) return false;
  const line = d.range.start.line;
  return broken.some((b) => line >= b.start && line <= b.end);
}

/** Findings as configured: rules set `off` dropped, others at their configured severity,
 *  suppressed ones set apart (counted, not shown). Returns `list` itself when nothing changes. */
export function applyRuleSettings(list: Diagnostic[], rules: Readonly<Record<string, RuleSetting>>, suppressions: Suppressions | undefined): { shown: Diagnostic[]; suppressed: number } {
  let configured = false;
  for (const _ in rules) { configured = true; break; }
  if (!configured && !suppressions) return { shown: list, suppressed: 0 };
  const shown: Diagnostic[] = [];
  let suppressed = 0;
  for (const d of list) {
    const level = rules[d.code];
    if (level === 'off') continue;
    if (suppressions?.broken && echoesSyntaxError(d, suppressions.broken)) continue;
    if (isSuppressed(d, suppressions)) {
      suppressed++;
      continue;
    }
    shown.push(level && level !== d.severity ? { ...d, severity: level } : d);
  }
  return { shown, suppressed };
}

/** The quick fix that ignores one finding with a comment on the line above it (at that
 *  line's indentation: above a list item's dash, or above a key). */
export function ignoreCommentFix(text: string, d: Diagnostic): TextEditFix | undefined {
  const row = text.split('\n')[d.range.start.line];
  if (row === undefined) return undefined;
  const at = { line: d.range.start.line, character: 0 };
  return {
    title: `Ignore \`${d.code}\` here (adds a ksi-ignore comment)`,
    edits: [{ uri: d.uri, range: { start: at, end: at }, newText: `${/^\s*/.exec(row)![0]}# ksi-ignore ${d.code}\n` }],
  };
}
