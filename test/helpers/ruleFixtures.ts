// Rule fixtures: real YAML files in each rule's folder (server/src/model/rules/<code>/fixtures),
// with markers that say which finding each line must get. A marker is a comment line:
//
//   #      ^^^^^ code severity          the carets' columns on the line above (not a marker)
//   # @0:4-2:10 code severity            lines relative to the line above, 0-based characters
//   # @other.yaml:0:0-0:0 code severity  a place in another file of a folder fixture
//
// Markers are removed before the text is analysed, so positions are those of the clean text.
// A fixture is a file (`fires.yaml`) or a folder (`fires/`, read as one workspace).
import * as fs from 'fs';
import * as path from 'path';
import { WorkspaceModel } from '../../server/src/model';
import type { Diagnostic, Range, Settings } from '../../server/src/model';
import { decodeManifest } from '../../server/src/workspace/files';

export const RULES_DIR = path.join(__dirname, '../../server/src/model/rules');

export interface Expectation {
  file: string;
  range: Range;
  code: string;
  severity: string;
}

export interface Fixture {
  /** `fires`, `fires-<case>`, `quiet`, `quiet-<what>`. */
  name: string;
  kind: 'fires' | 'quiet';
  case?: string;
  /** Files by path relative to the fixture (one file: its own name), markers removed. */
  files: Map<string, string>;
  /** Files that are not text (read as the file reader reads them). */
  raw: Map<string, Uint8Array>;
  expected: Expectation[];
  /** The text after the quick fixes, when the fixture has a `.fixed` sibling. */
  fixed?: string;
}

const MARKER = /^\s*#\s*(\^+|@\S+)\s+([a-z0-9-]+)\s+(error|warning|information)\s*$/;

export function stripMarkers(file: string, text: string): { text: string; expected: Expectation[]; markerLines: number } {
  const clean: string[] = [];
  const expected: Expectation[] = [];
  let markerLines = 0;
  for (const line of text.split('\n')) {
    const m = MARKER.exec(line);
    if (!m) {
      clean.push(line);
      continue;
    }
    markerLines++;
    const [, where, code, severity] = m;
    const above = clean.length - 1;
    if (where.startsWith('^')) {
      const start = line.indexOf('^');
      expected.push({ file, code, severity, range: { start: { line: above, character: start }, end: { line: above, character: start + where.length } } });
      continue;
    }
    const at = /^@(?:(.+?):)?(\d+):(\d+)-(\d+):(\d+)$/.exec(where);
    if (!at) throw new Error(`${file}: bad marker ${line.trim()}`);
    const [, other, l1, c1, l2, c2] = at;
    const base = other ? 0 : above;
    expected.push({ file: other ?? file, code, severity, range: { start: { line: base + Number(l1), character: Number(c1) }, end: { line: base + Number(l2), character: Number(c2) } } });
  }
  return { text: clean.join('\n'), expected, markerLines };
}

export function fixturesOf(code: string): Fixture[] {
  const dir = path.join(RULES_DIR, code, 'fixtures');
  if (!fs.existsSync(dir)) return [];
  const out: Fixture[] = [];
  for (const entry of fs.readdirSync(dir).sort()) {
    const m = /^(fires|quiet)(?:-([a-z0-9-]+))?(\.ya?ml|\.json)?$/.exec(entry);
    if (!m) continue;
    const full = path.join(dir, entry);
    const isDir = fs.statSync(full).isDirectory();
    if (isDir === !!m[3]) continue;
    const fixture: Fixture = { name: entry.replace(/\.(ya?ml|json)$/, ''), kind: m[1] as Fixture['kind'], case: m[1] === 'fires' ? m[2] : undefined, files: new Map(), raw: new Map(), expected: [] };
    const add = (rel: string, abs: string) => {
      const bytes = fs.readFileSync(abs);
      const decoded = decodeManifest(bytes);
      if (!('text' in decoded)) {
        fixture.raw.set(rel, bytes);
        return;
      }
      const { text, expected } = stripMarkers(rel, decoded.text);
      fixture.files.set(rel, text);
      fixture.expected.push(...expected);
    };
    if (isDir) for (const rel of walk(full)) add(rel, path.join(full, rel));
    else add(entry, full);
    const fixedFile = path.join(dir, entry.replace(/(\.ya?ml|\.json)$/, '.fixed$1'));
    if (!isDir && fs.existsSync(fixedFile)) fixture.fixed = fs.readFileSync(fixedFile, 'utf8');
    out.push(fixture);
  }
  return out;
}

function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

/** The fixture read as a workspace of its own (the engine the CLI and the server use). */
export function analyseFixture(f: Fixture, settings: Partial<Settings> = {}): { workspace: WorkspaceModel; diagnostics: Diagnostic[] } {
  const workspace = new WorkspaceModel(settings, ['']);
  for (const [uri, text] of f.files) workspace.load(uri, text);
  for (const [uri, bytes] of f.raw) {
    const r = decodeManifest(bytes);
    workspace.markSkipped(uri, 'skipped' in r ? r.skipped : 'unreadable');
  }
  const diagnostics = [...workspace.allDiagnostics().values()].flat();
  return { workspace, diagnostics };
}

export function describeFinding(d: { uri?: string; file?: string; range: Range; code: string; severity: string }): string {
  const r = d.range;
  return `${d.uri ?? d.file}:${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${d.code} ${d.severity}`;
}

/** The text of `uri` after the first quick fix of each finding of `code`. */
export function applyFixes(text: string, uri: string, diagnostics: Diagnostic[], code: string): string {
  const edits = diagnostics.filter((d) => d.code === code && d.fixes?.length).flatMap((d) => d.fixes![0].edits).filter((e) => e.uri === uri);
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = edits.map((e) => ({ from: offset(e.range.start), to: offset(e.range.end), text: e.newText })).sort((a, b) => b.from - a.from);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.to > limit) throw new Error(`overlapping quick-fix edits in ${uri}`);
    out = out.slice(0, e.from) + e.text + out.slice(e.to);
    limit = e.from;
  }
  return out;
}
