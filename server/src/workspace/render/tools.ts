// Finding the renderers: a configured path, else the first on PATH. Kustomize is a
// `kustomize` binary when one is configured, else `kubectl kustomize`.
import * as fs from 'fs';
import * as path from 'path';
import { execRenderer } from './exec';

export interface RendererPaths {
  kubectlPath?: string;
  kustomizePath?: string;
  helmPath?: string;
}

export interface Tool {
  command: string;
  /** Arguments before the tool's own (`kustomize` for kubectl). */
  prefix: string[];
  /** For people: `kubectl v1.35.2 (kustomize v5.7.1)`. */
  version: string;
}

export interface Renderers {
  kustomize?: Tool;
  helm?: Tool;
  /** Configured paths that do not work, for a note. */
  problems: string[];
}

function onPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        if (fs.statSync(candidate).isFile()) {
          fs.accessSync(candidate, fs.constants.X_OK);
          return candidate;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

async function versionOf(command: string, args: string[]): Promise<string | undefined> {
  const r = await execRenderer(command, args, process.cwd(), { timeoutMs: 10_000, memoryMb: 0 });
  return r.code === 0 ? r.stdout : undefined;
}

const cache = new Map<string, Promise<Renderers>>();

/** The renderers for these settings (looked up once per setting value). */
export function findRenderers(paths: RendererPaths): Promise<Renderers> {
  const key = JSON.stringify([paths.kubectlPath, paths.kustomizePath, paths.helmPath, process.env.PATH]);
  if (!cache.has(key)) cache.set(key, lookUp(paths));
  return cache.get(key)!;
}

async function lookUp(paths: RendererPaths): Promise<Renderers> {
  const out: Renderers = { problems: [] };
  const configured = (setting: string, value: string | undefined, name: string) => {
    if (!value) return onPath(name);
    if (fs.existsSync(value)) return value;
    out.problems.push(`${setting} is set to ${value}, which does not exist`);
    return undefined;
  };
  const kustomize = configured('kustomizePath', paths.kustomizePath, 'kustomize');
  if (kustomize && paths.kustomizePath) {
    const v = await versionOf(kustomize, ['version']);
    if (v) out.kustomize = { command: kustomize, prefix: ['build'], version: `kustomize ${v.trim().split(/\s+/).pop()}` };
    else out.problems.push(`${kustomize} --version failed`);
  }
  if (!out.kustomize) {
    const kubectl = configured('kubectlPath', paths.kubectlPath, 'kubectl');
    const v = kubectl && (await versionOf(kubectl, ['version', '--client', '-o', 'json']));
    if (kubectl && v) {
      let text = 'kubectl';
      try {
        const info = JSON.parse(v) as { clientVersion?: { gitVersion?: string }; kustomizeVersion?: string };
        text = `kubectl ${info.clientVersion?.gitVersion ?? '?'} (kustomize ${info.kustomizeVersion ?? '?'})`;
      } catch {
        // an old kubectl: the name is enough
      }
      out.kustomize = { command: kubectl, prefix: ['kustomize'], version: text };
    } else if (kubectl) out.problems.push(`${kubectl} version failed`);
    else if (!paths.kustomizePath) {
      const standalone = onPath('kustomize');
      const sv = standalone && (await versionOf(standalone, ['version']));
      if (standalone && sv) out.kustomize = { command: standalone, prefix: ['build'], version: `kustomize ${sv.trim().split(/\s+/).pop()}` };
    }
  }
  const helm = configured('helmPath', paths.helmPath, 'helm');
  const hv = helm && (await versionOf(helm, ['version', '--short']));
  if (helm && hv) out.helm = { command: helm, prefix: ['template'], version: `helm ${hv.trim()}` };
  else if (helm) out.problems.push(`${helm} version failed`);
  return out;
}
