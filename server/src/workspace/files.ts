// Finding and reading manifest files on disk (Node fs; not part of the pure model).
import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import type { Settings } from '../model/types';

const ALWAYS_EXCLUDED_DIRS = new Set(['node_modules', '.git']);
const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$|(^|\/)Kustomization$/i;
/** Editor and dev-container settings are JSON with comments, never manifests. */
const EDITOR_CONFIG = /(^|\/)(\.vscode|\.devcontainer|\.idea)\//;

export type ReadResult = { text: string } | { skipped: string };

export interface FileFilter {
  (relativePath: string): boolean;
}

export function makeFilter(settings: Pick<Settings, 'include' | 'exclude'>): FileFilter {
  const include = settings.include.length ? picomatch(settings.include, { dot: true }) : () => true;
  const exclude = settings.exclude.length ? picomatch(settings.exclude, { dot: true }) : () => false;
  return (rel) => {
    // A kustomization named `Kustomization` (no extension) decides units, whatever `include` says.
    if (/(^|\/)Kustomization$/.test(rel)) return !exclude(rel);
    return MANIFEST_EXTENSIONS.test(rel) && !EDITOR_CONFIG.test(rel) && include(rel) && !exclude(rel);
  };
}

/** Every manifest file below `root` (or `root` itself when it is a file), sorted. */
export function findManifestFiles(root: string, filter: FileFilter): string[] {
  const out: string[] = [];
  const stat = fs.statSync(root);
  if (stat.isFile()) return [root];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to analyse there
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!ALWAYS_EXCLUDED_DIRS.has(e.name)) walk(path.join(dir, e.name));
      } else if (e.isFile()) {
        const full = path.join(dir, e.name);
        const rel = path.relative(root, full).split(path.sep).join('/');
        if (filter(rel)) out.push(full);
      }
    }
  };
  walk(root);
  return out.sort();
}

/** Reads a manifest, refusing files that are too large or not UTF-8 text. */
export function readManifest(file: string, maxFileSize: number): ReadResult {
  const size = fs.statSync(file).size;
  if (size > maxFileSize) {
    return { skipped: `File is ${(size / 1048576).toFixed(1)} MB, above the ${(maxFileSize / 1048576).toFixed(1)} MB limit (setting maxFileSize); it is not analysed.` };
  }
  return decodeManifest(fs.readFileSync(file));
}

export function decodeManifest(bytes: Uint8Array): ReadResult {
  if (bytes.subarray(0, 8000).includes(0)) return { skipped: 'File is binary; it is not analysed.' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return { skipped: 'File is not UTF-8 text; it is not analysed.' };
  }
}
