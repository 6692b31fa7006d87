// The open file first: how soon a file the editor has open at start-up gets its diagnostics,
// from our server and from yaml-language-server (the engine of Red Hat's YAML extension), on
// the same workspace through the same stdio client. Run alone: tsx test/bench/openFirst.ts 10000
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LspClient, ROOT } from '../helpers/lspClient';
import { type GenerateOptions, generateWorkspace } from './generate';

export interface OpenFileTimes {
  /** `initialized` → the open file's first publishDiagnostics. */
  firstMs: number;
  /** `initialized` → the publish after which its list no longer changed. */
  completeMs: number;
  /** `initialized` → every file's diagnostics published (ours: the status after the index). */
  allMs: number;
  findings: number;
  peakRssMB: number;
}

const YAML_LS = path.join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server');

export function yamlLanguageServerMissing(): string | undefined {
  return fs.existsSync(YAML_LS) ? undefined : 'yaml-language-server is not installed (npm ci installs it as a dev dependency)';
}

/** A file with a cross-file mistake (a Service whose selector matches no pods), from the
 *  middle of the workspace, so that its complete findings need other files. */
export function pickOpenFile(files: Map<string, string>): string {
  const candidates = [...files.keys()].filter((rel) => /app: app-\d+x\n/.test(files.get(rel)!));
  return candidates[Math.floor(candidates.length / 2)] ?? [...files.keys()][Math.floor(files.size / 2)];
}

function peakRss(pid: number | undefined): number {
  try {
    return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

function timesOf(client: LspClient, uri: string, t0: number, allAt: number): OpenFileTimes {
  const mine = client.publishLog.filter((p) => p.uri === uri);
  if (!mine.length) throw new Error(`no diagnostics were published for ${uri}`);
  const final = JSON.stringify(mine[mine.length - 1].diagnostics);
  let complete = mine.length - 1;
  while (complete > 0 && JSON.stringify(mine[complete - 1].diagnostics) === final) complete--;
  return {
    firstMs: Math.round(mine[0].at - t0), completeMs: Math.round(mine[complete].at - t0), allMs: Math.round(allAt - t0),
    findings: mine[mine.length - 1].diagnostics.length, peakRssMB: peakRss(client.pid),
  };
}

/** Our server: the file is opened right after `initialized`, as VS Code does for the editors
 *  it restores. */
export async function ksiOpenFile(dir: string, rel: string): Promise<OpenFileTimes> {
  const client = new LspClient();
  const uri = pathToFileURL(path.join(dir, rel)).href;
  const text = fs.readFileSync(path.join(dir, rel), 'utf8');
  let t0 = 0;
  try {
    await client.start(dir, { timeoutMs: 600_000, initialized: () => { t0 = performance.now(); client.open(uri, text); } });
    return timesOf(client, uri, t0, performance.now());
  } finally {
    await client.stop();
  }
}

/** yaml-language-server with no schema (none may be fetched here, and no npm package ships the
 *  Kubernetes one): it validates the open file's YAML. Its first diagnostics are its only ones. */
export async function yamlLsOpenFile(dir: string, rel: string): Promise<OpenFileTimes> {
  const client = new LspClient([], [YAML_LS, '--stdio']);
  client.settings = { validate: true, hover: true, completion: true, schemaStore: { enable: false }, schemas: {}, format: { enable: false } };
  const uri = pathToFileURL(path.join(dir, rel)).href;
  const text = fs.readFileSync(path.join(dir, rel), 'utf8');
  let t0 = 0;
  try {
    await client.start(dir, { waitForIndex: false, initialized: () => { t0 = performance.now(); client.open(uri, text); } });
    await client.waitFor('yaml-language-server diagnostics', () => client.publishLog.some((p) => p.uri === uri), 600_000);
    return timesOf(client, uri, t0, performance.now());
  } finally {
    await client.stop();
  }
}

export function writeGenerated(n: number, options?: GenerateOptions): { dir: string; files: Map<string, string> } {
  const g = generateWorkspace(n, undefined, options);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ksi-bench-${n}-`));
  for (const [rel, text] of g.files) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { dir, files: g.files };
}

if (require.main === module) {
  (async () => {
    const n = Number(process.argv[2] ?? 10_000);
    const { dir, files } = writeGenerated(n);
    const rel = pickOpenFile(files);
    try {
      process.stdout.write(`${n} objects, open ${rel}\n`);
      process.stdout.write(`ksi ${JSON.stringify(await ksiOpenFile(dir, rel))}\n`);
      if (!yamlLanguageServerMissing()) process.stdout.write(`yaml-language-server ${JSON.stringify(await yamlLsOpenFile(dir, rel))}\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  })().catch((e) => { console.error(e); process.exit(1); });
}
