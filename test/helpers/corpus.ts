// The shared corpus: real manifests from public projects, grouped in apply units.
import * as fs from 'fs';
import * as path from 'path';

export const SHARED_ROOT = path.resolve(__dirname, '../../../shared');
export const CORPUS_ROOT = path.join(SHARED_ROOT, 'corpus');
export const RENDER_CORPUS_ROOT = path.join(SHARED_ROOT, 'corpus-render');

/** The `skip` option of a test that needs ../shared: skipped with one line outside CI, run
 *  (and failing) in CI, where ../shared must be present. */
export function needsShared(dir: string = CORPUS_ROOT): false | string {
  return !fs.existsSync(dir) && !process.env.CI && `needs ${path.relative(path.resolve(__dirname, '../..'), dir)} beside the repo (present in CI)`;
}

export interface Unit {
  /** `<source>/<unit>` as in SOURCES.md. */
  name: string;
  dir: string;
  perFile: boolean;
  defaultNamespace: string;
  files: string[];
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.(ya?ml|json)$/.test(e.name) ? [p] : [];
  }).sort();
}

/** Units with their mode and default namespace, read from SOURCES.md. */
export function corpusUnits(): Unit[] {
  if (!fs.existsSync(CORPUS_ROOT)) return [];
  const sources = fs.readFileSync(path.join(CORPUS_ROOT, 'SOURCES.md'), 'utf8');
  const units: Unit[] = [];
  for (const m of sources.matchAll(/^- \*\*`([^`]+)`\*\*.*?mode: ([\w-]+); default namespace: `([^`]+)`/gm)) {
    const dir = path.join(CORPUS_ROOT, m[1]);
    if (!fs.existsSync(dir)) continue;
    units.push({ name: m[1], dir, perFile: m[2] === 'per-file', defaultNamespace: m[3], files: walk(dir) });
  }
  return units;
}
