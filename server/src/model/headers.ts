// Objects' identities read from a file's top lines without parsing it: the kind, API version,
// name and namespace of each document, from plain block YAML only. The server uses them to
// read a workspace with the open files' units and namespaces first, and to know those units
// before the other files are parsed. Where the text is anything the scan cannot read exactly
// (flow style, JSON, anchors, tags, Lists, templates, directives) it says so, and the caller
// waits for the parse.
import { chunkBounds, isClusterScoped, MAX_FLOW_DEPTH, MAX_INDENT, nestingProblem } from './parse';
import { hasPlaceholder, identityOf } from './kinds';

export interface Header {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

/** A document's headers as the parse would give its object, or `undefined` for the whole
 *  text when some document is not one the scan can read exactly. Documents without both
 *  `apiVersion` and `kind` (and CustomResourceDefinitions, which the parse skips) have none. */
export function scanHeaders(text: string): Header[] | undefined {
  // Binary text, and nesting past the parser's bounds (the parse skips such files).
  if (text.includes('\u0000') || (mayNestTooDeep(text) && nestingProblem(text))) return undefined;
  const out: Header[] = [];
  const bounds = chunkBounds(text);
  for (let i = 0; i + 1 < bounds.length; i++) {
    const header = scanDocument(text, bounds[i], bounds[i + 1]);
    if (header === undefined) return undefined;
    // Documents this long may exceed the parser's node bound: only the parse can tell.
    if (header && bounds[i + 1] - bounds[i] > LONG_DOCUMENT && header.kind !== 'CustomResourceDefinition') return undefined;
    if (header && !(header.kind === 'CustomResourceDefinition' && header.apiVersion.startsWith('apiextensions.k8s.io/'))) out.push(header);
  }
  return out;
}

/** `group/Kind/namespace/name` of each named object, as the workspace keys objects. */
export function identitiesOf(headers: Header[], defaultNamespace: string): string[] {
  return headers.filter((h) => h.name).map((h) => identityOf({ ...h, namespace: namespaceOf(h, defaultNamespace) }));
}

/** The namespace a header's object lives in ('' for cluster-scoped kinds). */
export function namespaceOf(h: Header, defaultNamespace: string): string {
  return isClusterScoped(h.kind) ? '' : h.namespace || defaultNamespace;
}

const LONG_DOCUMENT = 1_000_000;
const NEXT_TOP = /\n(?=[^ \t\r\n])/g;
/** Whether the parser's nesting bounds could be passed: only with many brackets, or lines
 *  indented hundreds of columns (most files have neither, and skip the full check). */
function mayNestTooDeep(text: string): boolean {
  if (DEEP_LINE.test(text)) return true;
  let brackets = 0;
  for (let i = text.indexOf('[') ; i >= 0; i = text.indexOf('[', i + 1)) if (++brackets > MAX_FLOW_DEPTH) return true;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) if (++brackets > MAX_FLOW_DEPTH) return true;
  return false;
}

const DEEP_LINE = new RegExp(`\n {${MAX_INDENT}}`);
const TOP_KEY = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*))?$/;
const CHILD_KEY = /^([ \t]+)([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*))?$/;

/** null: a document with no object; undefined: one the scan cannot read. */
function scanDocument(text: string, start: number, end: number): Header | null | undefined {
  let at = start;
  if (text.startsWith('---', at)) {
    const eol = text.indexOf('\n', at);
    const rest = text.slice(at + 3, eol < 0 || eol > end ? end : eol).trim();
    if (rest && !rest.startsWith('#')) return undefined; // content on the `---` line
    at = eol < 0 || eol > end ? end : eol + 1;
  }
  const fields: Record<string, string | undefined> = {};
  const seen = new Set<string>();
  let inMetadata = false;
  let childIndent = '';
  /** After a scalar the scan read: the indentation a following line must not exceed (a
   *  deeper line would continue the scalar over lines). */
  let scalarIndent = -1;
  while (at < end) {
    let eol = text.indexOf('\n', at);
    if (eol < 0 || eol > end) eol = end;
    const c = text.charCodeAt(at);
    // Most lines are indented lines outside metadata: the scan jumps to the next line at the
    // left margin.
    if (c === 32 && !inMetadata && scalarIndent < 0) {
      NEXT_TOP.lastIndex = at;
      const next = NEXT_TOP.exec(text);
      at = next && next.index < end ? next.index + 1 : end;
      continue;
    }
    // Lines deeper than metadata's fields (labels, annotations) are skipped uncut.
    if (c === 32 && childIndent && scalarIndent < 0 && text.charCodeAt(at + childIndent.length) === 32 && text.startsWith(childIndent, at)) {
      at = eol + 1;
      continue;
    }
    const line = text.slice(at, eol).replace(/\r$/, '');
    at = eol + 1;
    const first = line[0];
    if (first === undefined || first === '#') continue;
    const trimmed = line.trimStart();
    if (!trimmed || trimmed.startsWith('#')) continue;
    if (scalarIndent >= 0 && line.length - trimmed.length > scalarIndent) return undefined;
    scalarIndent = -1;
    if (first === ' ' || first === '\t') {
      if (!inMetadata) continue;
      const m = CHILD_KEY.exec(line);
      if (!childIndent) {
        if (!m) return undefined; // metadata is not a plain block mapping
        childIndent = m[1];
      }
      if (!m || m[1] !== childIndent) continue; // deeper lines (labels, annotations)
      if (m[2] === 'name' || m[2] === 'namespace') {
        if (seen.has(`metadata.${m[2]}`)) return undefined;
        seen.add(`metadata.${m[2]}`);
        const v = plainValue(m[3]);
        if (v === undefined) return undefined;
        fields[`metadata.${m[2]}`] = v;
        scalarIndent = childIndent.length;
      }
      continue;
    }
    if (line === '...' || line.startsWith('... ')) continue;
    if (first === '-' && (line.length === 1 || line[1] === ' ')) {
      // A block sequence written at the left margin, the value of the key above it.
      if (inMetadata) return undefined;
      continue;
    }
    const m = TOP_KEY.exec(line);
    if (!m) return undefined; // a flow collection, a sequence, a tag, a directive, JSON
    const key = m[1];
    if (seen.has(key)) return undefined; // a duplicate key: the parse reports it
    seen.add(key);
    inMetadata = key === 'metadata';
    childIndent = '';
    if (inMetadata) {
      if (m[2] !== undefined && m[2] !== '' && !m[2].startsWith('#')) return undefined;
      continue;
    }
    if (key === 'kind' || key === 'apiVersion' || key === 'items') {
      const v = plainValue(m[2]);
      if (v === undefined) return undefined;
      fields[key] = v;
      scalarIndent = 0;
    } else if (m[2] !== undefined && /^[&*!]/.test(m[2])) return undefined; // anchors, aliases and tags
    if (key === '<<') return undefined;
  }
  if ('items' in fields) return undefined; // a List: its items are the objects
  const { apiVersion, kind } = fields;
  if (!apiVersion || !kind) return null;
  const name = fields['metadata.name'] || undefined;
  const namespace = fields['metadata.namespace'] || undefined;
  if ([kind, apiVersion, name, namespace].some((v) => v !== undefined && hasPlaceholder(v))) return undefined;
  return { apiVersion, kind, name, namespace };
}

/** A scalar written plainly or quoted simply, without its trailing comment; '' for none;
 *  undefined for anything else (block scalars, flow collections, anchors, escapes). */
function plainValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return '';
  const v = raw.trim();
  if (!v || v.startsWith('#')) return '';
  const quoted = /^(["'])([^"'\\]*)\1[ \t]*(#.*)?$/.exec(v);
  if (quoted) return quoted[2];
  if (/^[&*!|>{[\]"'%@`,?-]/.test(v) && !/^-[^ \t]/.test(v)) return undefined;
  const plain = v.replace(/[ \t]+#.*$/, '');
  // YAML 1.1 reads these as other types; the parse turns them into strings its own way.
  if (/^(~|null|true|false|yes|no|on|off|y|n)$/i.test(plain) || /[:#]( |$)/.test(plain)) return undefined;
  if (/^[-+]?[\d.][\d_.:]*([eE][-+]?\d+)?$|^[-+]?0[xo]|^[-+]?\.(inf|nan)$|^\d{4}-\d\d?-\d\d?/i.test(plain)) return undefined; // numbers, dates
  return plain;
}
