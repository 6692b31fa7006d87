// Where each part of a `helm template` output was written. The chart is rendered from a
// temporary copy whose template lines end in marker comments (` #@ksi:12@`): a rendered line
// carries the marker of the template line that wrote it, and the output without the markers
// is exactly what helm prints for the chart itself. Lines a helper wrote carry none and take
// the marker of the nearest enclosing key. `.Values.x.y` on the template line adds the
// values.yaml line as related information.
import type { Node, Pair } from 'yaml';
import type { Range, RelatedLocation } from '../types';
import { SourceText } from '../yamlNodes';
import { joinPath, relativeTo } from '../units/paths';
import { follow } from './nodePaths';
import { parsedDocuments, sourceReader } from './sources';
import { RenderNote, SourceMap, SourceSpot } from './sourceMap';

const MARKER_RE = / #@ksi:(\d+)@/;
const MARKERS_RE = / #@ksi:\d+@/g;

/** Template actions that print nothing (their line gets no marker: it would land on the
 *  previous output line, which a `{{-` joins). */
const CONTROL = /^\{\{-?\s*(?:if|else|end|range|with|define|block|break|continue|\/\*|\$[\w]*\s*:?=)/;
const OPENS = new Set(['if', 'range', 'with', 'define', 'block']);
/** A template line whose action may print several lines. */
const MULTI_LINE = /\{\{[^}]*\b(include|template|tpl|toYaml|toJson|nindent|indent)\b/;

/** A template's text with a marker at the end of each line that prints YAML. Left alone:
 *  lines inside a multi-line action, comment lines, lines of only control actions, lines
 *  whose action trims what follows (`-}}`), and lines inside `define`/`block` (a helper's
 *  output may be piped through `b64enc` or `sha256sum`, where a marker would change it). */
export function markTemplate(text: string): string {
  const lines = text.split('\n');
  let open = 0;
  const blocks: string[] = [];
  return lines.map((line, i) => {
    const startsOpen = open > 0;
    const inHelper = blocks.includes('define') || blocks.includes('block');
    for (const m of line.matchAll(/\{\{|\}\}/g)) open = Math.max(0, open + (m[0] === '{{' ? 1 : -1));
    for (const m of line.matchAll(/\{\{-?\s*(if|range|with|define|block|end)\b/g)) {
      if (OPENS.has(m[1])) blocks.push(m[1]);
      else blocks.pop();
    }
    const trimmed = line.trim();
    if (inHelper || blocks.includes('define') || blocks.includes('block')) return line;
    if (startsOpen || open > 0 || !trimmed || trimmed.startsWith('#') || trimmed === '---' || /-\}\}\s*$/.test(line)) return line;
    if (trimmed.startsWith('{{') && trimmed.endsWith('}}') && onlyActions(trimmed) && CONTROL.test(trimmed)) return line;
    return `${line.replace(/\s+$/, '')} #@ksi:${i}@`;
  }).join('\n');
}

/** Templates that other templates include by path (`include (print $.Template.BasePath
 *  "/configmap.yaml") . | sha256sum`): they are not marked, so their checksums stay true. */
export function includedByPath(templates: string[]): Set<string> {
  const out = new Set<string>();
  for (const t of templates) for (const m of t.matchAll(/BasePath\s*"\/?([^"]+)"/g)) out.add(m[1]);
  return out;
}

function onlyActions(s: string): boolean {
  return s.replace(/\{\{[\s\S]*?\}\}/g, '').trim() === '';
}

/** A marked render without its markers: what helm prints for the chart itself, and the
 *  marked text with the same lines. Helm trims each manifest; a marker kept blank lines at a
 *  manifest's ends from being trimmed, so they go now (from both, to keep them aligned). */
export function unmark(markedOutput: string): { clean: string; marked: string } {
  const marked = markedOutput.split('\n');
  const clean = marked.map((l) => l.replace(MARKERS_RE, ''));
  const drop = new Set<number>();
  const isBlank = (i: number) => clean[i].trim() === '';
  for (let i = 0; i < clean.length; i++) {
    if (clean[i] !== '---') continue;
    // Blank lines before this separator (the end of the previous manifest)…
    for (let j = i - 1; j >= 0 && isBlank(j) && marked[j] !== clean[j]; j--) drop.add(j);
    // …and after the `# Source:` line that opens the next one.
    if (clean[i + 1]?.startsWith('# Source: ')) for (let j = i + 2; j < clean.length && isBlank(j) && marked[j] !== clean[j]; j++) drop.add(j);
  }
  // The end of the last manifest (the output's final line break stays).
  for (let j = clean.length - 2; j >= 0 && isBlank(j) && marked[j] !== clean[j]; j--) drop.add(j);
  const keep = (_: string, i: number) => !drop.has(i);
  return { clean: clean.filter(keep).join('\n'), marked: marked.filter(keep).join('\n') };
}

export interface HelmSources {
  /** The chart's folder URI. */
  chartUri: string;
  /** The text of a workspace file (undefined when it is not in the workspace). */
  read(uri: string): string | undefined;
  /** The values files used, in order (later ones win), as URIs. */
  valuesFiles: string[];
  workspaceRoot: string;
}

/** A `# Source: chart/templates/x.yaml` path → the template's URI. */
export function templateUri(chartUri: string, sourcePath: string): string {
  return joinPath(chartUri, sourcePath.split('/').slice(1).join('/'));
}

interface Doc {
  start: number;
  lines: string[];
  source?: string;
}

function splitDocs(text: string): Doc[] {
  const docs: Doc[] = [];
  let current: Doc = { start: 0, lines: [] };
  text.split('\n').forEach((line, i) => {
    if (line === '---') {
      docs.push(current);
      current = { start: i + 1, lines: [] };
      return;
    }
    if (!current.source) {
      const m = /^# Source: (.+)$/.exec(line);
      if (m) current.source = m[1];
    }
    current.lines.push(line);
  });
  docs.push(current);
  return docs;
}

export interface HelmMapping {
  map: SourceMap;
  /** Rendered lines whose template line was found from a marker, of all object lines. */
  exactLines: number;
  lines: number;
}

export function mapHelm(clean: string, marked: string | undefined, sources: HelmSources): HelmMapping {
  const map = new SourceMap();
  const cleanDocs = splitDocs(clean);
  const markedDocs = marked === undefined ? undefined : splitDocs(marked);
  // Per rendered line: its template and, where a marker says so, the template line.
  const lineSource: { uri: string; line?: number }[] = [];
  const aligned = !!markedDocs && markedDocs.length === cleanDocs.length;
  cleanDocs.forEach((doc, d) => {
    const uri = doc.source ? templateUri(sources.chartUri, doc.source) : undefined;
    const twin = aligned ? markedDocs![d] : undefined;
    const sameShape = twin && twin.lines.length === doc.lines.length && twin.source === doc.source;
    const markers = doc.lines.map((_, j) => {
      const m = sameShape ? MARKER_RE.exec(twin!.lines[j]) : null;
      return m ? Number(m[1]) : undefined;
    });
    // Lines a helper or \`toYaml\` printed carry no marker, but the action that printed them
    // does, on its last line: unmarked lines take the marker below them when its template
    // line prints several lines (\`include\`, \`toYaml\`, \`nindent\`…).
    const templateLines = uri ? sources.read(uri)?.split('\n') : undefined;
    let below: number | undefined;
    for (let j = doc.lines.length - 1; j >= 0; j--) {
      if (markers[j] !== undefined) below = MULTI_LINE.test(templateLines?.[markers[j]!] ?? '') ? markers[j] : undefined;
      else if (below !== undefined && doc.lines[j].trim()) markers[j] = below;
    }
    doc.lines.forEach((_, j) => {
      if (!uri) return;
      lineSource[doc.start + j] = { uri, line: markers[j] };
    });
  });

  const textOf = sourceReader(sources.read);
  const values = sources.valuesFiles.map((uri) => {
    const src = textOf(uri);
    return { uri, src, root: src ? parsedDocuments(uri, src.text)[0] : undefined };
  });
  // Helm prints block YAML, one key or item per line: the map is made line by line, without
  // parsing the output again (the model parses it once, for the analysis).
  const starts: number[] = [0];
  for (let i = clean.indexOf('\n'); i >= 0; i = clean.indexOf('\n', i + 1)) starts.push(i + 1);
  let exactLines = 0;
  let lines = 0;
  for (const doc of cleanDocs) {
    // Enclosing lines (by indentation) with their template lines: a line a helper printed
    // without a marker takes its parent key's.
    const stack: { indent: number; line?: number }[] = [];
    let docStart: number | undefined;
    let docSpot: SourceSpot | undefined;
    doc.lines.forEach((text, j) => {
      const L = doc.start + j;
      const at = lineSource[L];
      const trimmed = text.trim();
      if (!at || !trimmed || trimmed.startsWith('#') || trimmed === '---') return;
      const src = textOf(at.uri);
      if (!src) return;
      const lead = /^(\s*)((?:-\s+)*)/.exec(text)!;
      const indent = lead[0].length;
      while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
      let templateLine = at.line;
      for (let i = stack.length - 1; i >= 0 && templateLine === undefined; i--) templateLine = stack[i].line;
      stack.push({ indent, line: templateLine });
      lines++;
      if (at.line !== undefined) exactLines++;
      const lineStart = starts[L];
      const contentStart = lineStart + indent;
      const lineEnd = lineStart + text.trimEnd().length;
      const spotFor = (value: string | undefined, withValues: boolean): SourceSpot => {
        if (templateLine === undefined) return { uri: at.uri, range: firstContentLine(src) };
        return { uri: at.uri, range: rangeOnLine(src, templateLine, value), via: withValues ? valuesVia(src, templateLine, values, sources.workspaceRoot) : undefined };
      };
      if (docStart === undefined) {
        docStart = contentStart;
        docSpot = spotFor(undefined, false);
      }
      const content = text.slice(indent);
      map.add(contentStart, lineEnd, spotFor(undefined, false));
      const kv = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"{[][^:#]*?):(?:[ \t]+(.*))?$/.exec(content.trimEnd());
      if (kv) {
        const key = kv[1];
        map.add(contentStart, contentStart + key.length, spotFor(unquote(key), false));
        if (kv[2] !== undefined && kv[2] !== '' && !/^[|>]/.test(kv[2])) {
          const valueStart = lineEnd - kv[2].length;
          map.add(valueStart, lineEnd, spotFor(unquote(kv[2]), true));
        }
      } else map.add(contentStart, lineEnd, spotFor(unquote(content.trimEnd()), true));
    });
    if (docStart !== undefined && docSpot) {
      const last = doc.start + doc.lines.length - 1;
      map.add(docStart, (starts[last] ?? clean.length) + (doc.lines[doc.lines.length - 1]?.length ?? 0), docSpot);
    }
  }
  return { map, exactLines, lines };
}

function unquote(s: string): string {
  return /^"(.*)"$|^'(.*)'$/.test(s) ? s.slice(1, -1) : s;
}


function lineText(src: SourceText, line: number): { start: number; text: string } {
  const start = src.offsetAt({ line, character: 0 });
  const end = src.text.indexOf('\n', start);
  return { start, text: src.text.slice(start, end < 0 ? src.text.length : end) };
}

function firstContentLine(src: SourceText): Range {
  const lines = src.text.split('\n');
  const i = lines.findIndex((l) => l.trim() && !l.trim().startsWith('#') && !l.trim().startsWith('{{'));
  return i < 0 ? src.range(0, 0) : rangeOnLine(src, i, undefined);
}

/** On a template line: the text itself if it is written there, else the action that prints
 *  it (`{{ .Values.port }}`), else the line without its indentation. */
function rangeOnLine(src: SourceText, line: number, text: string | undefined): Range {
  const { start, text: lt } = lineText(src, line);
  const wordAt = (i: number) => i >= 0 && (i === 0 || !/[\w.-]/.test(lt[i - 1])) && !/[\w-]/.test(lt[i + (text?.length ?? 0)] ?? '');
  if (text) {
    let i = lt.indexOf(text);
    while (i >= 0 && !wordAt(i)) i = lt.indexOf(text, i + 1);
    if (i >= 0) return src.range(start + i, start + i + text.length);
  }
  const colon = lt.search(/:(\s|$)/);
  const action = /\{\{[\s\S]*?\}\}/.exec(colon >= 0 ? lt.slice(colon) : lt);
  if (action) {
    const at = (colon >= 0 ? colon : 0) + action.index;
    return src.range(start + at, start + at + action[0].length);
  }
  const indent = lt.length - lt.trimStart().length;
  return src.range(start + indent, start + lt.trimEnd().length);
}

/** The values.yaml lines a template line reads (`.Values.service.port`). */
function valuesVia(src: SourceText, line: number, values: { uri: string; src?: SourceText; root?: Node }[], workspaceRoot: string): RelatedLocation[] | undefined {
  const { text } = lineText(src, line);
  const out: RelatedLocation[] = [];
  for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][\w]*)+)/g)) {
    const keys = m[1].slice(1).split('.');
    // The last values file that sets it wins.
    for (let i = values.length - 1; i >= 0; i--) {
      const v = values[i];
      if (!v.src || !v.root) continue;
      const found = follow(v.root, keys.map((key) => ({ key })));
      if (!found?.pair) continue;
      out.push({ uri: v.uri, range: v.src.nodeRange(found.node ?? (found.pair as Pair).key), message: `\`.Values.${keys.join('.')}\` from ${relativeTo(workspaceRoot, v.uri)}` });
      break;
    }
  }
  return out.length ? out : undefined;
}

/** Notes for a failed `helm template`: template errors at their `file:line`, missing
 *  dependencies named once. */
export function helmErrorNotes(stderr: string, chartUri: string, chartFileUri: string, read: (uri: string) => string | undefined = () => undefined): RenderNote[] {
  const message = stderr.trim().replace(/^Error:\s*/, '') || 'helm template failed without a message';
  const missing = /missing in charts\/ directory: (.+)$/m.exec(message);
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (missing) {
    return [{ uri: chartFileUri, range: zero, failed: true, incomplete: true, message: `Helm chart dependencies are missing from charts/: ${missing[1].trim()}. Kube Service Insight never runs \`helm dependency build\` (it writes the workspace); run it yourself (or vendor the charts) to analyse this chart.` }];
  }
  const at = /(?:template: |error on |parse error (?:in|at) \()?([\w.-]+\/(?:charts\/[\w.-]+\/)?templates\/[^\s:]+):(\d+)(?::(\d+))?/.exec(message);
  if (at) {
    const uri = templateUri(chartUri, at[1]);
    const line = Math.max(0, Number(at[2]) - 1);
    // Helm's column is where the failing call starts; the range is its whole action.
    const text = read(uri)?.split('\n')[line] ?? '';
    const column = at[3] ? Number(at[3]) : text.length - text.trimStart().length;
    const open = text.lastIndexOf('{{', column);
    const close = text.indexOf('}}', column);
    const [start, end] = open >= 0 && close >= 0 ? [open, close + 2] : [column, Math.max(column + 1, text.trimEnd().length)];
    return [{ uri, range: { start: { line, character: start }, end: { line, character: end } }, failed: true, message: `helm template failed: ${message}` }];
  }
  return [{ uri: chartFileUri, range: zero, failed: true, message: `helm template failed: ${message}` }];
}
