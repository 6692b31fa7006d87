// A seeded fuzzer: mutates real manifests (samples, the shared corpus, generated ones) and
// runs the analyser, hover and completion at random positions, and the simulator, on each
// result. A case fails if anything throws, takes too long, or gives different results twice.
// `npm run fuzz -- --cases N --seed S` runs long; failing inputs are saved as regression fixtures.
import * as fs from 'fs';
import * as path from 'path';
import { connectionsOf, ClusterModel, complete, hover, simulate, sourceCandidates } from '../../server/src/model';
import { generateWorkspace, rng } from '../bench/generate';
import { corpusUnits } from '../helpers/corpus';

export const REGRESSIONS = path.join(__dirname, 'regressions');
/** Generous: a case is a few files; the real budgets live in the benchmark. */
export const CASE_TIME_LIMIT_MS = 2_000;

type Mutation = (text: string, r: () => number) => string;
const pick = <T>(xs: T[], r: () => number) => xs[Math.floor(r() * xs.length)];

const UNICODE = ['\u0000', '\u00e9', '\u{1F680}', '\u202e', '\ufeff', '\ud800', '\u2028', '\t', '\r', '\\', '"', "'", '&a', '*a', '<<', '{{', '%', '@', '`', '- ', ': ', '---\n', '...\n'];

export const MUTATIONS: Record<string, Mutation> = {
  byteFlip: (t, r) => {
    if (!t) return t;
    const i = Math.floor(r() * t.length);
    return t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ (1 << Math.floor(r() * 7))) + t.slice(i + 1);
  },
  truncate: (t, r) => t.slice(0, Math.floor(r() * (t.length + 1))),
  indentShift: (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    lines[i] = r() < 0.5 ? ` ${lines[i]}` : lines[i].replace(/^ {1,2}/, '');
    return lines.join('\n');
  },
  swapKeys: (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * Math.max(1, lines.length - 1));
    [lines[i], lines[i + 1]] = [lines[i + 1] ?? '', lines[i]];
    return lines.join('\n');
  },
  unicode: (t, r) => {
    const i = Math.floor(r() * (t.length + 1));
    return t.slice(0, i) + pick(UNICODE, r) + t.slice(i);
  },
  deleteLine: (t, r) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 1);
    return lines.join('\n');
  },
  duplicateLine: (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[i] ?? '');
    return lines.join('\n');
  },
  valueSwap: (t, r) => t.replace(/: [\w.-]+/, pick([': null', ': []', ': {}', ': -1', ': 99999999999', ': "x"', ': ~', ': *a', ': !!binary AAAA', ': 1e400'], r)),
};

export interface Seed {
  name: string;
  files: [string, string][];
}

export function seeds(): Seed[] {
  const out: Seed[] = [];
  const samples = path.join(__dirname, '../../samples');
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  out.push({ name: 'samples', files: walk(samples).map((f) => [path.relative(samples, f), fs.readFileSync(f, 'utf8')]) });
  for (const u of corpusUnits()) {
    // Large units are sliced to a few files per case to keep cases small.
    const files = u.files.slice(0, 6).map((f) => [path.relative(u.dir, f), fs.readFileSync(f, 'utf8').slice(0, 60_000)] as [string, string]);
    out.push({ name: u.name, files });
  }
  const g = generateWorkspace(120, 3);
  out.push({ name: 'generated', files: [...g.files].slice(0, 5) });
  return out;
}

export interface CaseResult {
  ok: boolean;
  ms: number;
  error?: string;
  files: [string, string][];
}

function runOnce(files: [string, string][], r: () => number): string {
  const model = new ClusterModel();
  for (const [uri, text] of files) model.update(uri, text);
  const parts: string[] = [JSON.stringify([...model.allDiagnostics()].map(([u, d]) => [u, d.map((x) => `${x.code}@${x.range.start.line}:${x.range.start.character}`)]))];
  for (const [uri, text] of files) {
    const lines = text.split('\n');
    for (let k = 0; k < 4; k++) {
      const line = Math.floor(r() * lines.length);
      const pos = { line, character: Math.floor(r() * ((lines[line]?.length ?? 0) + 2)) };
      parts.push(JSON.stringify(hover(model, uri, pos)?.markdown.length ?? -1), String(complete(model, uri, pos).length));
    }
  }
  const sources = sourceCandidates(model);
  const targets = ['web', 'api.shop', 'http://shop.example.com/api', '10.96.0.12:80', 'x.y.svc.cluster.local.', '172.18.0.2:30080'];
  for (let k = 0; k < 3; k++) {
    const res = simulate(model, pick(sources, r), pick(targets, r), { requests: 20 });
    parts.push(res.ok ? 'ok' : res.error!.code);
  }
  parts.push(String(connectionsOf(model).connections.length));
  return parts.join('|');
}

/** One fuzz case: mutate a seed a few times, run everything twice, compare. */
export function runCase(seed: Seed, caseSeed: number): CaseResult {
  const r = rng(caseSeed);
  const files = seed.files.map(([u, t]) => [u, t] as [string, string]);
  const names = Object.keys(MUTATIONS);
  const rounds = 1 + Math.floor(r() * 3);
  for (let k = 0; k < rounds; k++) {
    const f = Math.floor(r() * files.length);
    files[f] = [files[f][0], MUTATIONS[pick(names, r)](files[f][1], r)];
  }
  const t = performance.now();
  try {
    const a = runOnce(files, rng(caseSeed ^ 0x5bd1e995));
    const b = runOnce(files, rng(caseSeed ^ 0x5bd1e995));
    const ms = performance.now() - t;
    if (a !== b) return { ok: false, ms, error: 'results differ between two runs on the same input', files };
    if (ms > CASE_TIME_LIMIT_MS * 2) return { ok: false, ms, error: `took ${Math.round(ms)} ms`, files };
    return { ok: true, ms, files };
  } catch (e) {
    return { ok: false, ms: performance.now() - t, error: (e as Error).stack ?? String(e), files };
  }
}

export function saveRegression(name: string, result: CaseResult): string {
  const dir = path.join(REGRESSIONS, name.replace(/[^a-z0-9-]+/gi, '_'));
  fs.mkdirSync(dir, { recursive: true });
  result.files.forEach(([uri, text], i) => fs.writeFileSync(path.join(dir, `${i}-${path.basename(uri)}`), text));
  fs.writeFileSync(path.join(dir, 'ERROR.txt'), result.error ?? '');
  return dir;
}

if (require.main === module) {
  const argv = process.argv;
  const cases = Number(argv[argv.indexOf('--cases') + 1]) || 20_000;
  const start = Number(argv[argv.indexOf('--seed') + 1]) || 1;
  const all = seeds();
  let failed = 0;
  for (let i = 0; i < cases; i++) {
    const seed = all[i % all.length];
    const res = runCase(seed, start + i);
    if (!res.ok) {
      failed++;
      console.log(`✘ case ${start + i} (${seed.name}): ${res.error?.split('\n')[0]} → ${saveRegression(`${seed.name}-${start + i}`, res)}`);
    }
    if ((i + 1) % 1000 === 0) console.log(`${i + 1} cases, ${failed} failed`);
  }
  console.log(`${cases - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
