// Rendering a workspace's Kustomize roots and Helm charts (CLI and server): each unit whose
// input folders changed since its last render is rendered again, two at a time, and its
// result handed to the workspace model.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { RenderTarget, WorkspaceModel } from '../../model/workspace';
import { renderUnit, RenderHost } from './render';
import { findRenderers, RendererPaths, Renderers } from './tools';

export interface RenderSettings extends RendererPaths {
  timeoutMs: number;
  memoryMb: number;
}

export const DEFAULT_RENDER: RenderSettings = { timeoutMs: 10_000, memoryMb: 2048 };

export interface RenderRun {
  tools: Renderers;
  rendered: string[];
  failed: string[];
  /** Units left unrendered because no renderer for them was found. */
  unavailable: string[];
  /** Milliseconds per rendered unit. */
  times: Map<string, number>;
}

/** Input fingerprints of the last render, by unit id. */
export type RenderCache = Map<string, string>;

function fingerprint(target: RenderTarget, host: RenderHost): string {
  const hash = crypto.createHash('sha1');
  hash.update(JSON.stringify({ ...target, dirs: undefined }));
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 32) walk(p, depth + 1);
      else {
        try {
          const st = fs.statSync(p);
          hash.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
        } catch {
          // vanished while listing
        }
      }
    }
  };
  for (const d of target.dirs) walk(host.toPath(d), 0);
  for (const uri of host.unsaved()) if (target.dirs.some((d) => uri.startsWith(d + '/'))) hash.update(`${uri}\0${host.read(uri) ?? ''}\n`);
  return hash.digest('hex');
}

export async function renderWorkspace(workspace: WorkspaceModel, host: RenderHost, settings: RenderSettings, cache: RenderCache = new Map(), signal?: AbortSignal): Promise<RenderRun> {
  const tools = await findRenderers(settings);
  const run: RenderRun = { tools, rendered: [], failed: [], unavailable: [], times: new Map() };
  const targets = workspace.renderTargets();
  const todo: { target: RenderTarget; print: string }[] = [];
  for (const target of targets) {
    const tool = target.kind === 'kustomize' ? tools.kustomize : tools.helm;
    if (!tool) {
      run.unavailable.push(target.unitId);
      continue;
    }
    const print = fingerprint(target, host);
    if (cache.get(target.unitId) === print && workspace.renderOf(target.unitId)) continue;
    todo.push({ target, print });
  }
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !signal?.aborted) {
      const { target, print } = todo[next++];
      const started = Date.now();
      const result = await renderUnit(target, tools, host, { timeoutMs: settings.timeoutMs, memoryMb: settings.memoryMb, signal });
      if (!result || signal?.aborted) continue;
      run.times.set(target.unitId, Date.now() - started);
      cache.set(target.unitId, print);
      workspace.setRendered(result);
      ('text' in result ? run.rendered : run.failed).push(target.unitId);
    }
  };
  await Promise.all([worker(), worker()]);
  return run;
}
