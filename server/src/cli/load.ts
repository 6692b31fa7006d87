// Loading paths from the command line into a workspace of apply units.
import * as fs from 'fs';
import * as path from 'path';
import { Settings, WorkspaceModel } from '../model';
import { decodeManifest, findManifestFiles, makeFilter } from '../workspace/files';
import { loadFiles } from '../workspace/loadFiles';
import { isRemote, KUSTOMIZATION_FILES, readKustomization } from '../model/units/kustomization';
import { renderWorkspace, RenderRun, RenderSettings } from '../workspace/render/driver';

export class UsageError extends Error {}

/** The name standard input is reported under (`ksi check -`). */
export const STDIN_NAME = '<stdin>';

export interface LoadOptions {
  /** Render Kustomize roots and Helm charts with these settings (false: read raw). */
  render?: RenderSettings | false;
  readStdin?: () => Uint8Array;
  /** Told what rendering did (renderers found, units rendered). */
  onRender?: (run: RenderRun) => void;
}

export async function loadWorkspace(paths: string[], settings: Partial<Settings>, options: LoadOptions = {}): Promise<WorkspaceModel> {
  const readStdin = options.readStdin ?? (() => fs.readFileSync(0));
  const list = paths.length ? paths : ['.'];
  // Each PATH is a workspace folder: units are named relative to it, and its .ksi.yaml is read.
  const roots = list.filter((p) => p !== '-').map((p) => {
    const dir = fs.existsSync(p) && fs.statSync(p).isFile() ? path.dirname(p) : p;
    return toUri(path.relative(process.cwd(), dir));
  });
  const workspace = new WorkspaceModel(settings, roots.length ? roots : ['']);
  // Nothing is hovered here: every file keeps only what the checks read from it.
  workspace.keepNodes(() => false);
  const filter = makeFilter(workspace.settings);
  const files: string[] = [];
  for (const p of list) {
    if (p === '-') continue;
    if (!fs.existsSync(p)) throw new UsageError(`cannot read ${p}: no such file or directory`);
    try {
      files.push(...findManifestFiles(p, filter));
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${(e as Error).message}`);
    }
  }
  files.push(...kustomizeReferencesOutside(files, filter));
  if (list.includes('-')) {
    const r = decodeManifest(readStdin());
    if ('text' in r) workspace.update(STDIN_NAME, r.text);
    else workspace.markSkipped(STDIN_NAME, r.skipped);
  }
  await loadFiles(files, workspace.settings.maxFileSize, (f, r, documents) => {
    const uri = toUri(path.relative(process.cwd(), f) || f);
    if ('error' in r) throw new UsageError(`cannot read ${f}: ${r.error.message}`);
    if ('text' in r) workspace.load(uri, r.text, documents);
    else workspace.markSkipped(uri, r.skipped);
  });
  if (options.render) {
    const run = await renderWorkspace(workspace, {
      toPath: (uri) => path.resolve(uri),
      toUri: (p) => toUri(path.relative(process.cwd(), p) || '.'),
      read: (uri) => workspace.textOf(uri),
      unsaved: () => [],
      workspaceRoot: roots[0] ?? '',
    }, options.render);
    options.onRender?.(run);
  }
  return workspace;
}

/** Files that the kustomizations among `files` read from outside the given paths
 *  (`ksi check overlays/prod` with `resources: [../../base]`), followed transitively. */
function kustomizeReferencesOutside(files: string[], filter: (rel: string) => boolean): string[] {
  const known = new Set(files.map((f) => path.resolve(f)));
  const added: string[] = [];
  const queue = files.filter((f) => KUSTOMIZATION_FILES.has(path.basename(f)));
  while (queue.length) {
    const kfile = queue.shift()!;
    let k;
    try {
      k = readKustomization(fs.readFileSync(kfile, 'utf8'));
    } catch {
      continue; // unreadable: the workspace reports it when it reads the file
    }
    for (const entry of [...k.resources, ...k.components]) {
      if (isRemote(entry)) continue;
      const target = path.resolve(path.dirname(kfile), entry);
      if (!fs.existsSync(target)) continue;
      const found = fs.statSync(target).isDirectory() ? findManifestFiles(target, filter) : [target];
      for (const f of found) {
        const abs = path.resolve(f);
        if (known.has(abs)) continue;
        known.add(abs);
        added.push(f);
        if (KUSTOMIZATION_FILES.has(path.basename(f))) queue.push(f);
      }
    }
  }
  return added;
}

/** Relative paths with `/` separators (the model's path rules), `''` for the current folder. */
function toUri(p: string): string {
  return p.split(path.sep).join('/');
}
