// File text → Kubernetes objects with source nodes, plus syntax diagnostics.
import { Document, DocumentOptions, isAlias, isMap, isPair, isScalar, isSeq, Node, parseAllDocuments, ParseOptions, ScalarTag, SchemaOptions, visit, YAMLError, YAMLMap } from 'yaml';
import { hasPlaceholder, isCustomKind } from './kinds';
import type { Diagnostic, Range } from './types';
import { finding } from './rules';
import { asMap, get, getIn, registerAlias, SourceText, str, seqItems } from './yamlNodes';

export interface K8sObject {
  /** Stable within a file version: `<uri>#<document>[.<list item>]`. */
  id: string;
  uri: string;
  src: SourceText;
  /** Its YAML node. In a file read without keeping nodes (`compactObjects`) it is read again
   *  from the text when asked for: views, checks and the simulator use the extracts read
   *  before (typed views, `range`), hovers and findings' exact places ask for nodes. */
  node: YAMLMap;
  /** Its node's range (`[start, value end, node end]` offsets, as in \`yaml\`). */
  range: [number, number, number];
  /** Where findings about the object as a whole point: its name, else its kind. */
  nameRange: [number, number, number];
  apiVersion: string;
  kind: string;
  name: string | undefined;
  /** Effective namespace ('' for cluster-scoped kinds). */
  namespace: string;
  namespaceExplicit: boolean;
  /** Set when the document that holds it has syntax errors (its content may be partial). */
  inBrokenDocument: boolean;
  /** Not a built-in kind of a built-in API group (a custom resource, or another tool's file):
   *  counted and listed, never given a core check. */
  custom: boolean;
  /** Its name, namespace or labels hold template placeholders (`${VAR}`, `{{ }}`): a
   *  template to be filled in, whose values are not validated. */
  templated: boolean;
}

/** Where a file's objects land: the namespace for objects that name none, and a namespace
 *  that replaces every object's own (Kustomize's `namespace:`). */
export interface Placement {
  defaultNamespace: string;
  forceNamespace?: string;
}

export interface ParsedFile {
  uri: string;
  src: SourceText;
  objects: K8sObject[];
  diagnostics: Diagnostic[];
  /** Why the file was not analysed, if it was not. */
  skipped?: 'helm-template' | 'binary' | 'too-large';
  /** The parsed documents by chunk (a chunk runs from one `---` line to the next), kept so
   *  that the next version of the file re-parses only the chunks an edit touched. */
  chunks?: Chunk[];
}

interface Chunk {
  start: number;
  end: number;
  docs: YamlDoc[];
}

/** What is kept of a parsed YAML document (the parser's Document object is much larger). */
export interface YamlDoc {
  contents: Node | null;
  errors: YAMLError[];
  range: [number, number, number];
}

/** The YAML documents of a text, as the model reads them (YAML 1.1, duplicate keys are errors). */
export function parseYamlDocuments(text: string): YamlDoc[] {
  return parseAllDocuments(blankCustomResourceDefinitions(text), PARSE_OPTIONS)
    .map((d: Document.Parsed) => ({ contents: d.contents, errors: d.errors, range: d.range }));
}

/** CustomResourceDefinitions are often most of a bundle's bytes (OpenAPI schemas of MBs) and
 *  hold nothing the model reads: their documents are blanked before parsing (offsets kept). */
const CRD_KIND = /^kind:[ \t]*["']?CustomResourceDefinition["']?[ \t]*(#.*)?$/m;
const CRD_API = /^apiVersion:[ \t]*["']?apiextensions\.k8s\.io\//m;

function blankCustomResourceDefinitions(text: string): string {
  if (!text.includes('CustomResourceDefinition')) return text;
  const bounds = chunkBounds(text);
  let out = '';
  let copied = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i];
    const end = bounds[i + 1];
    // The `---` line itself stays, so document boundaries do not move.
    const bodyStart = text.startsWith('---', start) ? Math.min(end, text.indexOf('\n', start) + 1 || end) : start;
    const body = text.slice(bodyStart, end);
    if (!CRD_KIND.test(body) || !CRD_API.test(body)) continue;
    // One comment line of the same length (ending in the body's own line break): the parser
    // skips it at once, and every later offset stays where it was.
    const blank = body.endsWith('\n') ? `#${' '.repeat(Math.max(0, body.length - 2))}\n` : `#${' '.repeat(body.length - 1)}`;
    out += text.slice(copied, bodyStart) + blank.slice(0, body.length);
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'IngressClass', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume',
  'StorageClass', 'CustomResourceDefinition', 'APIService', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'PriorityClass', 'CSIDriver', 'RuntimeClass', 'PodSecurityPolicy',
  'ClusterIssuer', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'GatewayClass',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** The documents `parseFile` would parse from a text, for parsing it elsewhere (a worker
 *  thread); undefined for text it does not parse (binary, nested too deep). */
export function documentsToParse(text: string): YamlDoc[] | undefined {
  if (isBinary(text) || nestingProblem(text)) return undefined;
  return parseYamlDocuments(text);
}

function isBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}

/** Bound on nodes visited per document; deeper or larger documents are reported, not walked. */
const MAX_NODES_PER_DOCUMENT = 200_000;
const MAX_EXPANDED_NODES = 100_000;
const MAX_DEPTH = 200;

/** Parses a file. With `previous` (the same file before an edit), documents in chunks the
 *  edit did not touch are taken over instead of parsed again; `previous` must not be used
 *  afterwards (its documents move into the result). `documents` are the text's documents
 *  when they were parsed already (in a worker thread, by `parseYamlDocuments`). */
export function parseFile(uri: string, text: string, placement: string | Placement, previous?: ParsedFile, documents?: YamlDoc[]): ParsedFile {
  const where: Placement = typeof placement === 'string' ? { defaultNamespace: placement } : placement;
  const src = new SourceText(uri, text);
  const result: ParsedFile = { uri, src, objects: [], diagnostics: [] };
  if (isBinary(text)) {
    result.skipped = 'binary';
    return result;
  }
  const tooDeep = nestingProblem(text);
  // Line starts are found here, not by the parser: its line counter misses line breaks
  // inside the tokens it skips when recovering from a syntax error.
  recordLineStarts(src);
  if (tooDeep) {
    result.diagnostics.push(finding('yaml-too-complex', uri, src.range(tooDeep.offset, tooDeep.offset + 1), tooDeep.message));
    return result;
  }
  const bounds = chunkBounds(text);
  // Documents read leniently (below) are error-free only after the repair: never taken over.
  const reusable = previous?.chunks && !previous.diagnostics.some((d) => d.code === 'yaml-compat') ? previous.chunks : undefined;
  let chunks = (reusable && reparseChangedChunks(previous!.src.text, reusable, text, bounds))
    || assignToChunks(documents ?? parseYamlDocuments(text), bounds);
  const lenient = chunks.some((c) => c.docs.some((d) => d.errors.some(isOpenQuote))) ? joinQuotedContinuations(text) : undefined;
  if (lenient) {
    // go-yaml (kubectl, kustomize) reads a quoted value whose continuation lines are less
    // indented than its key; the `yaml` package does not. Read it as kubectl does, and say so.
    chunks = assignToChunks(parseYamlDocuments(lenient.text), bounds);
    for (const at of lenient.quotes) {
      result.diagnostics.push(finding('yaml-compat', uri, src.range(at, at + 1),
        'kubectl accepts this multi-line quoted value, but YAML 1.2 tools reject it: its continuation lines are not indented past the key. Indent them, or use a block scalar (`|` or `>`).'));
    }
  }
  result.chunks = chunks;
  const docList = chunks.flatMap((c) => c.docs);
  if (text.includes('{{') && looksLikeTemplate(docList)) {
    result.skipped = 'helm-template';
    return result;
  }
  const usesAliases = text.includes('*') && text.includes('&');
  docList.forEach((doc, docIndex) => {
    // After the first syntax error the parser's recovery errors are mostly echoes of it;
    // duplicate keys are independent findings, so each is kept.
    const firstSyntax = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
    for (const err of doc.errors.filter((e) => e === firstSyntax || e.code === 'DUPLICATE_KEY')) {
      const [a, b] = err.pos;
      result.diagnostics.push(finding('yaml-syntax', uri, src.range(a, Math.max(b, a + 1)), err.code === 'DUPLICATE_KEY'
        ? `Duplicate key \`${duplicateKeyAt(text, a)}\` in this map. kubectl rejects the document; other tools silently keep one of the values.`
        : syntaxMessage(err.message)));
    }
    // Anchors are rare in manifests: only documents that use them are walked for aliases.
    const shapeProblem = usesAliases ? indexAliasesAndCheckShape(doc) : undefined;
    if (shapeProblem) {
      result.diagnostics.push(finding('yaml-too-complex', uri, src.range(shapeProblem.offset, shapeProblem.offset + 1), shapeProblem.message));
      return;
    }
    const root = asMap(doc.contents);
    if (!root) return;
    const broken = doc.errors.length > 0;
    const top = toObject(uri, src, root, `${uri}#${docIndex}`, where, broken);
    if (!top) return;
    const items = get(root, 'items');
    if ((top.kind === 'List' || top.kind.endsWith('List')) && isSeq(items)) {
      // Items of a typed list (`PodList`, as `kubectl get -o yaml` writes them) may omit
      // their kind and apiVersion: they are the list's.
      const itemType = top.kind === 'List' ? undefined : { apiVersion: top.apiVersion, kind: top.kind.slice(0, -'List'.length) };
      seqItems(items).forEach((item, i) => {
        const m = asMap(item);
        const o = m && toObject(uri, src, m, `${uri}#${docIndex}.${i}`, where, broken, itemType);
        if (o) result.objects.push(o);
      });
      return;
    }
    result.objects.push(top);
  });
  // A file that names no kind anywhere is not a manifest (editor settings with comments, a
  // compose file): its syntax is not ours to judge.
  if (result.diagnostics.length && !/\bkind\b|\bapiVersion\b/.test(text)) result.diagnostics = result.diagnostics.filter((d) => d.code !== 'yaml-syntax');
  return result;
}

/** The range an object spans (its node's value, as `SourceText.nodeRange`). */
export function objectRange(o: K8sObject): Range {
  return o.src.nodeRange(o);
}

/** Files whose nodes were read again lately, the most recent last. */
const restored = new Map<ParsedFile, Map<string, YAMLMap>>();
const RESTORED_FILES = 16;

/** Drops a parsed file's YAML nodes (most of its memory): each object's \`node\` is read again
 *  from the file's text when asked for (the last few files read again are kept). The file's
 *  next version is then parsed whole. Call after the extracts that checks need are read. */
export function compactObjects(file: ParsedFile, placement: Placement): void {
  file.chunks = undefined;
  for (const o of file.objects) if (o instanceof ParsedObject) o.release(file, placement);
}

function restoredNode(file: ParsedFile, id: string, placement: Placement): YAMLMap {
  let nodes = restored.get(file);
  if (nodes) restored.delete(file);
  else nodes = new Map(parseFile(file.uri, file.src.text, placement).objects.map((o) => [o.id, o.node]));
  restored.set(file, nodes);
  if (restored.size > RESTORED_FILES) restored.delete(restored.keys().next().value!);
  return nodes.get(id) ?? new YAMLMap();
}

/** Most plain scalars in a manifest are words (`apiVersion`, `Deployment`, `app`). YAML 1.1
 *  tries about fifteen patterns (booleans, nulls, numbers, timestamps, merge keys) on each
 *  before calling it a string; all of them need a sign, digit, dot, `~` or `<` first, or
 *  match the words excluded below (the `yaml` package reads `e1` as an exponent without
 *  digits). So a letter first and none of those means a string, tried first: same values,
 *  about a tenth less parse time. */
const PLAIN_WORD = /^(?!(?:[YyNn]|[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF|[Nn]ull|NULL|[eE][-+]?[0-9]+)$)[A-Za-z]/;
const plainWordTag: ScalarTag = { tag: 'tag:yaml.org,2002:str', default: true, test: PLAIN_WORD, resolve: (s: string) => s };

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  // kubectl reads YAML 1.1 (`on`, `yes` are booleans there), so we do too.
  version: '1.1',
  prettyErrors: false,
  uniqueKeys: true,
  customTags: (tags) => [plainWordTag, ...tags],
};

function recordLineStarts(src: SourceText) {
  src.lineCounter.addNewLine(0);
  const text = src.text;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) src.lineCounter.addNewLine(i + 1);
}

/** A `---` at the start of a line starts a document (the parser ends any scalar or flow
 *  collection there; only an unclosed quote reads on past it, with an error). So an
 *  error-free document between two such lines parses the same alone. */
const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;

/** Chunk boundaries: 0, every document-start line, the end of the text. */
export function chunkBounds(text: string): number[] {
  const bounds = [0];
  for (const m of text.matchAll(DOCUMENT_START)) if (m.index! > 0) bounds.push(m.index!);
  bounds.push(text.length);
  return bounds;
}

function assignToChunks(docs: YamlDoc[], bounds: number[], into: Chunk[] = [], from = 0, to = bounds.length - 1): Chunk[] {
  let d = 0;
  for (let i = from; i < to; i++) {
    const chunk: Chunk = { start: bounds[i], end: bounds[i + 1], docs: [] };
    while (d < docs.length && (i === to - 1 || docs[d].range[0] < bounds[i + 1])) chunk.docs.push(docs[d++]);
    into.push(chunk);
  }
  return into;
}

/** Directives (`%YAML`) and document ends (`...`) carry parser state from one document to
 *  the next; files that have them are parsed whole. */
const CROSS_DOCUMENT_SYNTAX = /^(%|\.\.\.)/m;

/** The new file's chunks, taking over unchanged leading and trailing chunks of the old
 *  version and parsing only the text between them; undefined when it must be parsed whole.
 *  Only error-free chunks are taken over: the lexer looks ahead for a closing quote beyond
 *  the `---` line, so a broken document's parse can depend on the text after it. */
function reparseChangedChunks(oldText: string, old: Chunk[], text: string, bounds: number[]): Chunk[] | undefined {
  if (CROSS_DOCUMENT_SYNTAX.test(oldText) || CROSS_DOCUMENT_SYNTAX.test(text)) return undefined;
  const max = Math.min(oldText.length, text.length);
  let prefix = 0;
  while (prefix < max && oldText.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && oldText.charCodeAt(oldText.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const newCount = bounds.length - 1;
  // A chunk is taken over only if its documents are its own and error-free: an unclosed
  // quote can swallow the `---` lines after it, leaving the chunks that follow empty.
  const clean = (c: Chunk) => (c.start === 0 || c.docs[0]?.range[0] === c.start)
    && c.docs.every((d) => d.errors.length === 0 && d.range[2] <= c.end);
  // Leading chunks: same place, same text.
  let head = 0;
  while (head < old.length && head < newCount && old[head].end <= prefix && bounds[head] === old[head].start && bounds[head + 1] === old[head].end && clean(old[head])) head++;
  // Trailing chunks: same text, moved by the change in length.
  const delta = text.length - oldText.length;
  let tail = 0;
  while (tail < old.length - head && tail < newCount - head) {
    const o = old[old.length - 1 - tail];
    const n = newCount - 1 - tail;
    if (o.start < oldText.length - suffix || bounds[n] !== o.start + delta || bounds[n + 1] !== o.end + delta || !clean(o)) break;
    tail++;
  }
  const midStart = bounds[head];
  const parseFrom = (end: number) => (end > midStart ? parseYamlDocuments(text.slice(midStart, end)) : []);
  let mid = parseFrom(bounds[newCount - tail]);
  if (tail > 0 && mid.some((d) => d.errors.length > 0)) {
    // A broken document may read past its chunk: parse on to the end, as a whole parse would.
    tail = 0;
    mid = parseFrom(text.length);
  }
  for (const doc of mid) shiftDocument(doc, midStart);
  const chunks = old.slice(0, head);
  assignToChunks(mid, bounds, chunks, head, newCount - tail);
  for (const o of old.slice(old.length - tail)) {
    for (const doc of o.docs) shiftDocument(doc, delta);
    chunks.push({ start: o.start + delta, end: o.end + delta, docs: o.docs });
  }
  return chunks;
}

/** Moves a parsed document's source offsets (ranges are replaced, never edited in place:
 *  the parser may share one array between a node and an error). */
function shiftDocument(doc: YamlDoc, delta: number) {
  if (delta === 0) return;
  const shift = (node: unknown): void => {
    const n = node as { range?: [number, number, number] } | null;
    if (!n) return;
    if (n.range) n.range = [n.range[0] + delta, n.range[1] + delta, n.range[2] + delta];
    if (isMap(n) || isSeq(n)) {
      for (const item of n.items as unknown[]) {
        if (isPair(item)) {
          shift(item.key);
          shift(item.value);
        } else shift(item);
      }
    }
  };
  doc.range = [doc.range[0] + delta, doc.range[1] + delta, doc.range[2] + delta];
  for (const e of doc.errors) e.pos = [e.pos[0] + delta, e.pos[1] + delta];
  shift(doc.contents);
}

function toObject(
  uri: string,
  src: SourceText,
  node: YAMLMap,
  id: string,
  where: Placement,
  broken: boolean,
  itemType?: { apiVersion: string; kind: string },
): K8sObject | undefined {
  const apiVersion = str(get(node, 'apiVersion')) ?? itemType?.apiVersion;
  const kind = str(get(node, 'kind')) ?? itemType?.kind;
  if (!apiVersion || !kind) return undefined;
  const meta = asMap(get(node, 'metadata'));
  const name = str(get(meta, 'name'));
  const ns = str(get(meta, 'namespace'));
  const clusterScoped = isClusterScoped(kind);
  return new ParsedObject(id, uri, src, node, apiVersion, kind, name,
    clusterScoped ? '' : where.forceNamespace || ns || where.defaultNamespace, !!ns || !!where.forceNamespace,
    broken, isCustomKind(apiVersion, kind), holdsPlaceholders(name, ns, meta));
}

/** A K8sObject whose node can be dropped and read again (a class, so that every object has
 *  one shape whether or not its node is held). */
class ParsedObject implements K8sObject {
  readonly range: [number, number, number];
  readonly nameRange: [number, number, number];
  /** The node, or how to read it again. */
  private held: YAMLMap | { file: ParsedFile; placement: Placement };

  constructor(
    readonly id: string, readonly uri: string, readonly src: SourceText, node: YAMLMap,
    readonly apiVersion: string, readonly kind: string, readonly name: string | undefined,
    readonly namespace: string, readonly namespaceExplicit: boolean, readonly inBrokenDocument: boolean,
    readonly custom: boolean, readonly templated: boolean,
  ) {
    this.held = node;
    this.range = node.range as [number, number, number];
    this.nameRange = ((getIn(node, 'metadata', 'name') ?? get(node, 'kind'))?.range ?? node.range) as [number, number, number];
  }

  get node(): YAMLMap {
    const h = this.held;
    return isMap(h) ? h : restoredNode(h.file, this.id, h.placement);
  }

  release(file: ParsedFile, placement: Placement): void {
    this.held = { file, placement };
  }
}

function holdsPlaceholders(name: string | undefined, ns: string | undefined, meta: YAMLMap | undefined): boolean {
  if ((name && hasPlaceholder(name)) || (ns && hasPlaceholder(ns))) return true;
  const labels = asMap(get(meta, 'labels'));
  if (!labels) return false;
  for (const item of labels.items) {
    const k = isScalar(item.key) ? String(item.key.value) : '';
    const v = isScalar(item.value) ? String(item.value.value) : '';
    if (hasPlaceholder(k) || hasPlaceholder(v)) return true;
  }
  return false;
}

function isOpenQuote(e: YAMLError): boolean {
  return e.code === 'MISSING_CHAR' && /^Missing closing ["']quote/.test(e.message);
}

/** The text with the line breaks inside under-indented multi-line quoted scalars replaced by
 *  spaces (same length, so every offset stays), and where those scalars start; undefined if
 *  no such scalar closes before the next document. */
function joinQuotedContinuations(text: string): { text: string; quotes: number[] } | undefined {
  const chars = text.split('');
  const quotes: number[] = [];
  let scannedTo = 0;
  // A quote opening a value: after `key: `, `- `, or a flow `[`/`,`/`{`.
  const opener = /(?:^|[:\-,[{][ \t]+|[[{,])(['"])/gm;
  for (const m of text.matchAll(opener)) {
    const q = m[1];
    const start = m.index! + m[0].length - 1;
    if (start < scannedTo) continue;
    let i = start + 1;
    let lineBreaks: number[] = [];
    let closed = -1;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') {
        if (/^---(?=[ \t\r\n]|$)/.test(text.slice(i + 1, i + 5))) break;
        lineBreaks.push(i);
      } else if (q === "'" && c === "'") {
        if (text[i + 1] === "'") { i++; continue; }
        closed = i;
        break;
      } else if (q === '"' && c === '\\') i++;
      else if (q === '"' && c === '"') { closed = i; break; }
    }
    if (closed < 0) continue;
    scannedTo = closed + 1;
    if (lineBreaks.length === 0) continue;
    const keyIndent = text.lastIndexOf('\n', start) + 1;
    const indent = /^[ \t]*/.exec(text.slice(keyIndent))![0].length;
    const underIndented = lineBreaks.some((b) => /^[ \t]*/.exec(text.slice(b + 1))![0].length <= indent && text[b + 1] !== '\n');
    if (!underIndented) continue;
    for (const b of lineBreaks) {
      chars[b] = ' ';
      if (chars[b - 1] === '\r') chars[b - 1] = ' ';
    }
    quotes.push(start);
    lineBreaks = [];
  }
  return quotes.length ? { text: chars.join(''), quotes } : undefined;
}

/** Helm/Go templates put `{{ … }}` where YAML expects a value or a line; a manifest that
 *  merely carries `{{` inside a string (Prometheus rules, Grafana dashboards) is still YAML. */
function looksLikeTemplate(docs: YamlDoc[]): boolean {
  for (const doc of docs) {
    if (doc.errors.length > 0) return true;
    let found = false;
    if (doc.contents) visit(doc.contents, {
      Map(_, map) {
        // `key: {{ .Values.x }}` parses as a flow map whose only key is another flow map.
        if (map.flow && map.items.length > 0 && isMap(map.items[0].key)) {
          found = true;
          return visit.BREAK;
        }
        return undefined;
      },
      Scalar(_, s) {
        if (s.type === 'PLAIN' && typeof s.value === 'string' && s.value.includes('{{')) {
          found = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (found) return true;
  }
  return false;
}

/** Nesting deeper than this (flow brackets, or block indentation in columns) is refused
 *  before parsing: the parser and the walkers recurse per level. */
export const MAX_FLOW_DEPTH = 100;
export const MAX_INDENT = 400;

export function nestingProblem(text: string): { offset: number; message: string } | undefined {
  let depth = 0;
  let lineStart = 0;
  let inIndent = true;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = i + 1;
      inIndent = true;
      continue;
    }
    if (inIndent) {
      if (c === 32) {
        if (i - lineStart > MAX_INDENT) return { offset: i, message: `A line is indented more than ${MAX_INDENT} columns; the file is not analysed.` };
        continue;
      }
      inIndent = false;
    }
    // Brackets inside quotes do not nest; comments end at the line break.
    if (quote) {
      if (String.fromCharCode(c) === quote) quote = '';
      continue;
    }
    if (c === 34 || c === 39) quote = String.fromCharCode(c);
    else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32)) { const nl = text.indexOf('\n', i); i = nl < 0 ? text.length : nl - 1; }
    else if (c === 91 || c === 123) {
      if (++depth > MAX_FLOW_DEPTH) return { offset: i, message: `Brackets nest deeper than ${MAX_FLOW_DEPTH} levels; the file is not analysed.` };
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** Records alias targets and rejects documents that are too large or too deep to walk
 *  safely. Aliases are not expanded, so "billion laughs" costs one visit per node. */
function indexAliasesAndCheckShape(doc: YamlDoc): { offset: number; message: string } | undefined {
  let count = 0;
  let problem: { offset: number; message: string } | undefined;
  const anchors = new Map<string, import('yaml').Node>();
  let aliasCount = 0;
  if (doc.contents) visit(doc.contents, (_key, node, path) => {
    count++;
    if (count > MAX_NODES_PER_DOCUMENT) {
      problem = {
        offset: (node as { range?: number[] })?.range?.[0] ?? 0,
        message: `Document has more than ${MAX_NODES_PER_DOCUMENT} YAML nodes; it is not analysed.`,
      };
      return visit.BREAK;
    }
    // The path starts below the document (hence + 1).
    if (path.length + 1 > MAX_DEPTH) {
      problem = {
        offset: (node as { range?: number[] })?.range?.[0] ?? 0,
        message: `Document nests deeper than ${MAX_DEPTH / 2} levels; it is not analysed.`,
      };
      return visit.BREAK;
    }
    const n = node as import('yaml').Node;
    if (isAlias(n)) {
      aliasCount++;
      const target = anchors.get(n.source);
      if (target) registerAlias(n, target);
    } else if (n && (n as { anchor?: string }).anchor) {
      anchors.set((n as { anchor: string }).anchor, n);
    }
    return undefined;
  });
  if (problem) return problem;
  // "Billion laughs": aliases of aliases multiply. Nothing here expands them, but a document
  // that would expand beyond the bound is refused, like kubectl and the API server refuse it.
  const sizes = new Map<unknown, number>();
  const expanded = (node: unknown, depth: number): number => {
    const n = node as import('yaml').Node;
    if (!n || depth > MAX_DEPTH) return 1;
    if (isAlias(n)) {
      const target = anchors.get(n.source);
      return target ? expanded(target, depth + 1) : 1;
    }
    const known = sizes.get(n);
    if (known !== undefined) return known;
    let total = 1;
    if (isMap(n) || isSeq(n)) {
      for (const item of n.items as unknown[]) {
        const it = item as { key?: unknown; value?: unknown };
        total += isMap(n) ? expanded(it.key, depth + 1) + expanded(it.value, depth + 1) : expanded(item, depth + 1);
        if (total > MAX_EXPANDED_NODES) break;
      }
    }
    sizes.set(n, total);
    return total;
  };
  if (aliasCount > 0 && expanded(doc.contents, 0) > MAX_EXPANDED_NODES) {
    return { offset: doc.contents?.range?.[0] ?? 0, message: `Aliases in this document would expand to more than ${MAX_EXPANDED_NODES} nodes (an alias bomb); it is not analysed.` };
  }
  return undefined;
}

function duplicateKeyAt(text: string, offset: number): string {
  const m = /^["']?([^"':\n]{1,80})/.exec(text.slice(offset));
  return m ? m[1].trim() : '?';
}

function syntaxMessage(message: string): string {
  let first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  // Unexpected-token messages quote the whole rest of the stream; a few characters suffice.
  first = first.replace(/token in YAML stream: "(.{0,30})[^]*"$/, (_, head: string) => `token in YAML stream: "${head.replace(/\\n/g, ' ')}…"`);
  return `YAML syntax error: ${first}`;
}

