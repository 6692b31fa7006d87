// Rendering one apply unit with the real tool, then mapping the output back to the source
// lines (model/render). The workspace is never written: a wrapper kustomization, a copy of
// a tree with unsaved edits or remote resources, and the marked chart copy all live in a
// temporary folder.
import * as fs from 'fs';
import * as path from 'path';
import type { RenderTarget } from '../../model/workspace';
import { readKustomizeOutput, wrapperKustomization } from '../../model/render/kustomizeOutput';
import { mapKustomize } from '../../model/render/kustomizeMap';
import { helmErrorNotes, includedByPath, mapHelm, markTemplate, unmark } from '../../model/render/helmMap';
import { RenderNote, RenderResult } from '../../model/render/sourceMap';
import { isRemote } from '../../model/units/kustomization';
import { execRenderer, ExecLimits, scratchDir } from './exec';
import type { Renderers } from './tools';

export interface RenderHost {
  toPath(uri: string): string;
  toUri(fsPath: string): string;
  /** A file's text as the workspace has it (unsaved edits included), else undefined. */
  read(uri: string): string | undefined;
  /** Files whose editor text differs from the disk (they are copied with that text). */
  unsaved(): string[];
  workspaceRoot: string;
}

/** APIs beyond the built-in ones that charts gate on `.Capabilities` and this project reads. */
export const API_VERSIONS = [
  'gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1/Gateway', 'gateway.networking.k8s.io/v1/GatewayClass',
  'gateway.networking.k8s.io/v1/HTTPRoute', 'gateway.networking.k8s.io/v1/GRPCRoute',
  'gateway.networking.k8s.io/v1beta1', 'gateway.networking.k8s.io/v1beta1/ReferenceGrant',
];

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export async function renderUnit(target: RenderTarget, tools: Renderers, host: RenderHost, limits: ExecLimits): Promise<RenderResult | undefined> {
  if (target.kind === 'kustomize') return tools.kustomize ? renderKustomize(target, tools, host, limits) : undefined;
  return tools.helm ? renderHelm(target, tools, host, limits) : undefined;
}

/** Copies folders (below their common parent) into a fresh temporary folder, with unsaved
 *  editor text written over the disk's. Returns the copy of `base`. */
function copyTrees(dirs: string[], base: string, host: RenderHost, transform?: (file: string, text: string) => string): string {
  const to = fs.mkdtempSync(path.join(scratchDir(), 'tree-'));
  const tops = dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(o + path.sep)));
  for (const dir of tops) {
    const dest = path.join(to, path.relative(base, dir));
    fs.cpSync(dir, dest, { recursive: true, dereference: true, filter: (src) => !/[\\/](\.git|node_modules)$/.test(src) });
  }
  for (const uri of host.unsaved()) {
    const file = host.toPath(uri);
    const rel = path.relative(base, file);
    const text = host.read(uri);
    if (rel.startsWith('..') || text === undefined || !tops.some((d) => file.startsWith(d + path.sep))) continue;
    fs.writeFileSync(path.join(to, rel), text);
  }
  if (transform) {
    const visit = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) visit(p);
        else if (e.isFile()) {
          const before = fs.readFileSync(p, 'utf8');
          const after = transform(p, before);
          if (after !== before) fs.writeFileSync(p, after);
        }
      }
    };
    visit(to);
  }
  return to;
}

function commonParent(dirs: string[]): string {
  let common = dirs[0];
  for (const d of dirs) while (!(d === common || d.startsWith(common + path.sep))) common = path.dirname(common);
  return common;
}

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

/** A kustomization without its remote entries (which kustomize would fetch). */
function withoutRemote(text: string): string {
  return text.split('\n').filter((line) => {
    const m = /^\s*-\s*["']?([^"'#\s]+)["']?\s*(#.*)?$/.exec(line);
    return !(m && isRemote(m[1]));
  }).join('\n');
}

async function renderKustomize(target: RenderTarget, tools: Renderers, host: RenderHost, limits: ExecLimits): Promise<RenderResult> {
  const tool = tools.kustomize!;
  const dirs = target.dirs.map((d) => host.toPath(d));
  const rootPath = host.toPath(target.root);
  const notes: RenderNote[] = [];
  const unsaved = host.unsaved().filter((u) => target.dirs.some((d) => u.startsWith(d + '/')));
  // Remote resources are never fetched: the tree is rendered from a copy without them.
  const copy = unsaved.length > 0 || target.remote.length > 0;
  const base = commonParent(dirs);
  const treeRoot = copy ? copyTrees(dirs, base, host, (file, text) => (KUSTOMIZATION.test(path.basename(file)) ? withoutRemote(text) : text)) : base;
  const renderedRoot = path.join(treeRoot, path.relative(base, rootPath));
  const wrapper = fs.mkdtempSync(path.join(scratchDir(), 'wrap-'));
  try {
    const rel = path.relative(wrapper, renderedRoot).split(path.sep).join('/');
    fs.writeFileSync(path.join(wrapper, 'kustomization.yaml'), wrapperKustomization(rel));
    const r = await execRenderer(tool.command, [...tool.prefix, wrapper], wrapper, limits);
    const realOf = (p: string) => path.join(base, path.relative(treeRoot, p));
    const resolve = (fromWrapper: string) => host.toUri(realOf(path.resolve(wrapper, fromWrapper)));
    if (r.stopped || r.code !== 0) {
      // Paths in the message are the wrapper's and the copy's: say them as the workspace does.
      if (r.stopped) {
        // A limit that stopped it says nothing about the manifests: a note, not a warning.
        return { unitId: target.unitId, tool: tool.version, notes: [{ uri: target.rootFile, range: ZERO, failed: true, incomplete: true, message: `${tool.version.split(' ')[0]} kustomize was not finished on \`${target.name}\`: ${stoppedMessage(r.stopped, limits)}` }] };
      }
      const at = (p: string) => (copy ? realOf(p) : p);
      const note = kustomizeError(r.stderr, target, host, at);
      return { unitId: target.unitId, tool: tool.version, notes: [{ ...note, failed: true, message: `${tool.version.split(' ')[0]} kustomize failed on \`${target.name}\`: ${note.message}` }] };
    }
    const output = readKustomizeOutput(r.stdout);
    const map = mapKustomize(output, { resolve, read: (uri) => host.read(uri) ?? readDisk(host.toPath(uri)), rootUri: target.rootFile, workspaceRoot: host.workspaceRoot });
    if (target.remote.length) notes.push({ ...remoteEntry(target, host), message: `Remote resources of \`${target.name}\` are not fetched (no network is contacted), so their objects are missing here: ${target.remote.join(', ')}.` });
    return { unitId: target.unitId, tool: tool.version, text: output.text, map, notes, summary: `rendered by ${tool.version}` };
  } finally {
    fs.rmSync(wrapper, { recursive: true, force: true });
    if (copy) fs.rmSync(treeRoot, { recursive: true, force: true });
  }
}

/** Where the first remote resource is named (a kustomization of the unit). */
function remoteEntry(target: RenderTarget, host: RenderHost): Pick<RenderNote, 'uri' | 'range'> {
  for (const dir of target.dirs) {
    for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
      const uri = `${dir}/${name}`;
      const text = host.read(uri) ?? readDisk(host.toPath(uri));
      const lines = text?.split('\n') ?? [];
      const line = lines.findIndex((l) => target.remote.some((r) => l.includes(r)));
      if (line >= 0) {
        const entry = target.remote.find((r) => lines[line].includes(r))!;
        const character = lines[line].indexOf(entry);
        return { uri, range: { start: { line, character }, end: { line, character: character + entry.length } } };
      }
    }
  }
  return { uri: target.rootFile, range: ZERO };
}

/** kubectl's message for a failed build, as `kubectl kustomize ROOT` would say it (without
 *  the wrapper's layer), at the line it names: a YAML error's line, or the entry of a
 *  kustomization that names a missing resource. */
function kustomizeError(stderr: string, target: RenderTarget, host: RenderHost, real: (p: string) => string): Pick<RenderNote, 'uri' | 'range' | 'message'> {
  let message = stderr.trim().replace(/^error:\s*/i, '');
  // The wrapper's own layer: "accumulating resources from '../x': '/abs/x' must resolve to a file': …".
  message = message.replace(/^accumulating resources: accumulation err='accumulating resources from '[^']*': '[^']*' must resolve to a file': (?:couldn't make target for path '[^']*': |recursed accumulation of path '[^']*': )?/, '');
  const read = (uri: string) => host.read(uri) ?? readDisk(host.toPath(uri));
  const kustomizationIn = (dir: string) => ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((n) => `${dir}/${n}`).find((u) => read(u) !== undefined);
  const lineRange = (uri: string, line: number) => {
    const text = read(uri)?.split('\n')[line] ?? '';
    const indent = text.length - text.trimStart().length;
    return { start: { line, character: indent }, end: { line, character: text.trimEnd().length } };
  };
  // A YAML error in a resource file: "MalformedYAMLError: yaml: line 4: … in File: a.yaml".
  const inFile = /yaml: line (\d+):.*? in File: (\S+)/.exec(message);
  if (inFile) {
    for (const dir of target.dirs) {
      const uri = `${dir}/${inFile[2]}`;
      if (read(uri) !== undefined) return { uri, range: lineRange(uri, Math.max(0, Number(inFile[1]) - 1)), message };
    }
  }
  // A YAML error in a kustomization: "couldn't make target for path '/abs': invalid Kustomization: yaml: line 3: …".
  const badKustomization = /path '([^']+)': invalid Kustomization: yaml: line (\d+)/.exec(stderr);
  if (badKustomization) {
    const uri = kustomizationIn(host.toUri(real(badKustomization[1])));
    if (uri) return { uri, range: lineRange(uri, Math.max(0, Number(badKustomization[2]) - 1)), message };
  } else if (/invalid Kustomization: yaml: line (\d+)/.test(message)) {
    const line = Number(/invalid Kustomization: yaml: line (\d+)/.exec(message)![1]);
    return { uri: target.rootFile, range: lineRange(target.rootFile, Math.max(0, line - 1)), message };
  }
  // A resource that cannot be read: the entry that names it (the innermost one named).
  const named = [...message.matchAll(/accumulating resources from '([^']+)'/g)].map((m) => m[1]).reverse();
  for (const entry of named) {
    for (const dir of target.dirs) {
      const uri = kustomizationIn(dir);
      const lines = uri ? read(uri)!.split('\n') : [];
      const line = lines.findIndex((l) => new RegExp(`^\\s*-\\s*["']?${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*(#.*)?$`).test(l));
      if (uri && line >= 0) {
        const character = lines[line].indexOf(entry);
        return { uri, range: { start: { line, character }, end: { line, character: character + entry.length } }, message };
      }
    }
  }
  return { uri: target.rootFile, range: ZERO, message };
}

function stoppedMessage(why: string, limits: ExecLimits): string {
  if (why === 'timeout') return `it took longer than ${limits.timeoutMs / 1000} s (kubeServiceInsight.renderTimeout) and was stopped`;
  if (why === 'output') return 'its output was larger than 256 MB and was not read';
  if (why === 'cancelled') return 'cancelled';
  return why;
}

function readDisk(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Template files that get markers: what helm renders as manifests (not helpers, not NOTES). */
function isMarkable(file: string): boolean {
  const name = path.basename(file);
  return /[\\/]templates[\\/]/.test(file) && /\.(ya?ml|tpl)$/.test(name) && !name.startsWith('_');
}

/** The chart as helm should read it, in a temporary folder: its templates (and those of the
 *  subcharts in charts/) written with markers, everything else a link to the original
 *  (cheaper than a copy: charts carry tests, docs and CI files). Unsaved editor text is
 *  written in place of the file on disk. */
function markedChart(chartPath: string, host: RenderHost, templates: Map<string, string>, transform: (file: string, text: string) => string): string {
  const to = fs.mkdtempSync(path.join(scratchDir(), 'chart-'));
  const unsaved = new Map<string, string>();
  for (const uri of host.unsaved()) {
    const text = host.read(uri);
    if (text !== undefined) unsaved.set(host.toPath(uri), text);
  }
  const hasUnsavedBelow = (dir: string) => [...unsaved.keys()].some((f) => f.startsWith(dir + path.sep));
  const mirror = (from: string, dest: string, depth: number) => {
    fs.mkdirSync(dest, { recursive: true });
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
      const src = path.join(from, e.name);
      const out = path.join(dest, e.name);
      const dir = e.isDirectory() || (e.isSymbolicLink() && fs.statSync(src, { throwIfNoEntry: false })?.isDirectory());
      // Folders that hold templates (or unsaved files) are walked; the rest is linked.
      const walkInto = dir && depth < 16 && (e.name === 'templates' || e.name === 'charts' || path.basename(from) === 'charts' || /[\\/]templates([\\/]|$)/.test(from) || hasUnsavedBelow(src));
      if (walkInto) mirror(src, out, depth + 1);
      else if (!dir && (unsaved.has(src) || /[\\/]templates[\\/]/.test(src))) {
        const text = unsaved.get(src) ?? templates.get(src) ?? readDisk(src);
        if (text === undefined) continue;
        fs.writeFileSync(out, transform(src, text));
      } else {
        try {
          fs.symlinkSync(fs.realpathSync(src), out);
        } catch {
          // a dangling link: helm would not read it either
        }
      }
    }
  };
  mirror(chartPath, path.join(to, path.basename(chartPath)), 0);
  return to;
}

/** A template's path below its chart's templates/ folder (as `.Template.BasePath` joins it). */
function templatePath(file: string): string {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('templates');
  return parts.slice(at + 1).join('/');
}

/** The chart's template files (its own and its subcharts'), read once per render. */
function templateTexts(chartPath: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (/[\\/]templates[\\/]/.test(p)) {
        const text = readDisk(p);
        if (text !== undefined) out.set(p, text);
      }
    }
  };
  visit(chartPath);
  return out;
}

async function renderHelm(target: RenderTarget, tools: Renderers, host: RenderHost, limits: ExecLimits): Promise<RenderResult> {
  const tool = tools.helm!;
  const h = target.helm!;
  const chartPath = host.toPath(target.root);
  const unsaved = host.unsaved().some((u) => u.startsWith(target.root + '/'));
  const args = (chart: string) => [
    ...tool.prefix, h.release, chart, '--namespace', h.namespace, '--skip-tests', '--skip-schema-validation',
    ...API_VERSIONS.flatMap((a) => ['--api-versions', a]),
    ...h.values.flatMap((v) => ['--values', host.toPath(v)]),
  ];
  const parent = path.dirname(chartPath);
  // Template files that other templates include by path keep no markers (their checksums).
  const templates = templateTexts(chartPath);
  const byPath = includedByPath([...templates.values()]);
  const marked = markedChart(chartPath, host, templates, (file, text) => (isMarkable(file) && !byPath.has(templatePath(file)) ? markTemplate(text) : text));
  const inCopy = (root: string) => path.join(root, path.basename(chartPath));
  let clean: string | undefined;
  try {
    // One run, from the marked copy; without its markers the output is the chart's own.
    const withMarkers = await execRenderer(tool.command, args(inCopy(marked)), parent, limits);
    const unmarked = withMarkers.code === 0 && !withMarkers.stopped ? unmark(withMarkers.stdout) : undefined;
    let output: string | undefined = unmarked?.clean;
    if (output === undefined && !withMarkers.stopped) {
      // A marker the template did not take (or a real error): render the chart as it is.
      clean = unsaved ? copyTrees([chartPath], parent, host) : undefined;
      const plain = await execRenderer(tool.command, args(clean ? inCopy(clean) : chartPath), parent, limits);
      if (plain.stopped || plain.code !== 0) {
        const notes = plain.stopped
          ? [{ uri: target.rootFile, range: ZERO, failed: true, incomplete: true, message: `helm template was not finished on \`${target.name}\`: ${stoppedMessage(plain.stopped, limits)}` }]
          : helmErrorNotes(plain.stderr.split(clean ? inCopy(clean) : chartPath).join(path.basename(chartPath)), target.root, target.rootFile, (uri) => host.read(uri) ?? readDisk(host.toPath(uri)));
        return { unitId: target.unitId, tool: tool.version, notes };
      }
      output = plain.stdout;
    } else if (output === undefined) {
      return { unitId: target.unitId, tool: tool.version, notes: [{ uri: target.rootFile, range: ZERO, failed: true, incomplete: true, message: `helm template was not finished on \`${target.name}\`: ${stoppedMessage(withMarkers.stopped!, limits)}` }] };
    }
    const markedOutput = unmarked?.marked;
    const values = [...(fs.existsSync(path.join(chartPath, 'values.yaml')) ? [`${target.root}/values.yaml`] : []), ...h.values];
    const { map, exactLines, lines } = mapHelm(output, markedOutput, {
      chartUri: target.root, read: (uri) => host.read(uri) ?? readDisk(host.toPath(uri)), valuesFiles: values, workspaceRoot: host.workspaceRoot,
    });
    const named = (u: string) => path.relative(chartPath, host.toPath(u));
    return {
      unitId: target.unitId, tool: tool.version, text: output, map, notes: [], exactLines: { exact: exactLines, total: lines },
      summary: `rendered by ${tool.version}: release ${h.release}, namespace ${h.namespace}, values ${values.map(named).join(', ') || '(none)'}`,
    };
  } finally {
    fs.rmSync(marked, { recursive: true, force: true });
    if (clean) fs.rmSync(clean, { recursive: true, force: true });
  }
}
