// The shared corpus: real manifests from public projects, grouped in apply units.
import * as fs from 'fs';
import * as path from 'path';

export const CORPUS_ROOT = path.resolve(__dirname, '../../../shared/corpus');

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
