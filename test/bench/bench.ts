// `npm run bench`: speed and memory of the engine, the server and the panel, against budgets.
// Usage: tsx test/bench/bench.ts [--smoke] [--json FILE]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { buildTopology, callsReport, ClusterModel, complete, hover, simulate, Topology, WorkspaceModel } from '../../server/src/model';
import { browserMissing, launch, openWebview, serveWebview } from '../helpers/browser';
import { LspClient } from '../helpers/lspClient';
import { generateWorkspace, rng } from './generate';
import { editInOverlay, renderVsTool } from './render';
import { connectionsWorkspace, timeConnections } from './connections';
import { needsRenderers } from '../helpers/renderers';
import { ksiOpenFile, OpenFileTimes, pickOpenFile, writeGenerated, yamlLanguageServerMissing, yamlLsOpenFile } from './openFirst';

const SMOKE = process.argv.includes('--smoke');
const jsonIdx = process.argv.indexOf('--json');
const JSON_OUT = jsonIdx > 0 ? process.argv[jsonIdx + 1] : undefined;

interface Stats { runs: number; median: number; p95: number; p99: number; min: number; max: number }
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (x: number) => Math.round(x * 100) / 100;
  return { runs: s.length, median: r(q(0.5)), p95: r(q(0.95)), p99: r(q(0.99)), min: r(s[0]), max: r(s[s.length - 1]) };
}

const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAtStart: loadAverage(), loadAtEnd: [] as number[] };
const results: Record<string, unknown> = { machine, smoke: SMOKE, started: new Date().toISOString() };
const budgets: { name: string; value: number; budget: number; unit: string; ok: boolean }[] = [];
const budget = (name: string, value: number, limit: number, unit: string) => budgets.push({ name, value, budget: limit, unit, ok: value <= limit });
const log = (s: string) => process.stdout.write(`${s}\n`);

const SIZES = SMOKE ? { small: 200, medium: 400, large: 600, huge: 800 } : { small: 1_000, medium: 10_000, large: 50_000, huge: 100_000 };
const writeWorkspace = writeGenerated;

/** `median (min–max)` of a set of runs. */
const spread = (s: Stats) => (s.runs > 1 ? `${s.median} (${s.min}–${s.max}, ${s.runs} runs)` : `${s.median}`);

function readAll(dir: string, files: Map<string, string>): [string, string][] {
  return [...files.keys()].map((rel) => [rel, fs.readFileSync(path.join(dir, rel), 'utf8')]);
}

/** A full collection when the bench runs with --expose-gc (`npm run bench` does): each timed
 *  run then starts from the same clean heap, not paying for the garbage of the one before. */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

/** Read + parse + model + all diagnostics of a written workspace: the workspace (apply units
 *  over unit models) the server and the CLI run; as in the server, only open documents keep
 *  their YAML nodes (none at start-up). */
function coldOnce(dir: string, files: Map<string, string>) {
  collect();
  const t = performance.now();
  const m = new WorkspaceModel();
  const opened = new Set<string>();
  m.keepNodes((uri) => opened.has(uri));
  for (const [rel, text] of readAll(dir, files)) m.load(rel, text);
  m.allDiagnostics();
  return { ms: performance.now() - t, model: m, opened };
}

function coldAndFloor(n: number, runs: number) {
  const { dir, files } = writeWorkspace(n);
  const cold: number[] = [];
  const floor: number[] = [];
  let model: WorkspaceModel | undefined;
  let open = new Set<string>();
  for (let i = 0; i < runs + 1; i++) {
    model = undefined;
    collect();
    const t = performance.now();
    for (const [, text] of readAll(dir, files)) parseAllDocuments(text, { version: '1.1' });
    const f = performance.now() - t;
    const c = coldOnce(dir, files);
    if (i > 0) { floor.push(f); cold.push(c.ms); } // the first run warms the JIT
    model = c.model;
    open = c.opened;
  }
  const ratio = stats(cold).median / stats(floor).median;
  log(`  ${n} objects (${files.size} files): cold ${stats(cold).median} ms, parse floor ${stats(floor).median} ms, ratio ${ratio.toFixed(2)}`);
  return { dir, files, model: model!, open, cold: stats(cold), floor: stats(floor), ratio: Math.round(ratio * 100) / 100 };
}

/** What the declared calls cost: cold analysis of the workspace against the same workspace
 *  with each address replaced by a word of its length (same files, same env entries), the
 *  two alternated. */
function callsCost(n: number, runs: number) {
  const withCalls = writeWorkspace(n);
  const without = writeWorkspace(n, { calls: false });
  const a: number[] = [];
  const b: number[] = [];
  const direct: number[] = [];
  let calls = 0;
  for (let i = 0; i < runs + 1; i++) {
    const x = coldOnce(withCalls.dir, withCalls.files);
    // The same work done directly on the loaded model: discover every call and play it.
    const t = performance.now();
    calls = callsReport(x.model.mainModel()).calls.length;
    const d = performance.now() - t;
    const y = coldOnce(without.dir, without.files);
    if (i > 0) { a.push(x.ms); b.push(y.ms); direct.push(d); }
  }
  for (const d of [withCalls.dir, without.dir]) fs.rmSync(d, { recursive: true, force: true });
  const extra = Math.round((stats(a).median / stats(b).median - 1) * 100);
  log(`  ${n} objects, ${calls} calls: cold ${stats(a).median} ms, without the calls ${stats(b).median} ms (+${extra}%); discovering and playing them all again ${stats(direct).median} ms`);
  return { objects: n, calls, cold: stats(a), withoutCalls: stats(b), extraPercent: extra, discoverAndPlay: stats(direct) };
}

/** Opens a file as the editor does before working in it (untimed): it is read again, keeping
 *  its nodes. */
function openFile(model: WorkspaceModel, open: Set<string>, uri: string) {
  if (open.has(uri)) return;
  open.add(uri);
  model.update(uri, model.textOf(uri)!);
  model.allDiagnostics();
}

function incremental(model: WorkspaceModel, open: Set<string>, files: Map<string, string>, edits: number, seed: number): Stats {
  const r = rng(seed);
  const uris = [...files.keys()];
  const times: number[] = [];
  const kinds = [
    (t: string) => t.replace(/tier: \w+/, `tier: ${['web', 'api', 'db'][Math.floor(r() * 3)]}`),
    (t: string) => t.replace(/containerPort: 8080/, `containerPort: ${r() < 0.5 ? 8081 : 8080}`),
    (t: string) => t.replace(/(selector:\n {4}app: app-\d+)/, `$1${r() < 0.5 ? 'x' : ''}`),
  ];
  for (let i = 0; i < edits; i++) {
    const uri = uris[Math.floor(r() * uris.length)];
    openFile(model, open, uri);
    const text = kinds[i % kinds.length](model.modelFor(uri).file(uri)!.src.text);
    const t = performance.now();
    model.update(uri, text);
    model.allDiagnostics();
    times.push(performance.now() - t);
  }
  return stats(times);
}

function positions(workspace: WorkspaceModel, open: Set<string>, count: number, seed: number) {
  const r = rng(seed);
  const uris = workspace.mainModel().uris();
  const hov: number[] = [];
  const comp: number[] = [];
  const picks = Array.from({ length: count }, () => uris[Math.floor(r() * uris.length)]);
  // Hovers are on open documents: the files are opened first, as the editor would.
  for (const uri of picks) openFile(workspace, open, uri);
  for (const uri of picks) {
    const model = workspace.modelFor(uri);
    const lines = model.file(uri)!.src.text.split('\n');
    const line = Math.floor(r() * lines.length);
    const pos = { line, character: Math.floor(r() * (lines[line].length + 1)) };
    let t = performance.now();
    hover(model, uri, pos);
    hov.push(performance.now() - t);
    t = performance.now();
    complete(model, uri, pos);
    comp.push(performance.now() - t);
  }
  return { hover: stats(hov), completion: stats(comp) };
}

function simulation(model: ClusterModel) {
  const usable = (v: ReturnType<ClusterModel['view']>, s: import('../../server/src/model/objects').ServiceInfo) => s.type === 'ClusterIP' && !s.headless && v.resolve(s).workloads.length > 1;
  const view = model.views().find((v) => v.workloads.length > 1 && [...v.services.values()].some((s) => usable(v, s)))
    ?? model.views().find((v) => [...v.services.values()].some((s) => s.type === 'ClusterIP' && !s.headless && v.resolve(s).workloads.length))!;
  const w = view.workloads[0];
  const svc = [...view.services.values()].find((s) => usable(view, s)) ?? [...view.services.values()].find((s) => s.type === 'ClusterIP' && !s.headless && view.resolve(s).workloads.length)!;
  const from = `${view.name}/${w.kind.toLowerCase()}/${w.name}`;
  const to = `${svc.name}.${svc.namespace}`;
  const one: number[] = [];
  const thousand: number[] = [];
  simulate(model, from, to, { requests: 1000 }); // warm-up (also builds the simulated values)
  for (let i = 0; i < 30; i++) {
    let t = performance.now();
    simulate(model, from, to, { requests: 1 });
    one.push(performance.now() - t);
    t = performance.now();
    simulate(model, from, to, { requests: 1000 });
    thousand.push(performance.now() - t);
  }
  return { from, to, one: stats(one), thousand: stats(thousand) };
}

async function serverStart(dir: string): Promise<{ ms: number; peakRssMB: number; files: number; objects: number }> {
  const client = new LspClient();
  const t = performance.now();
  try {
    await client.start(dir, { timeoutMs: 600_000 });
    const ms = performance.now() - t;
    const status = fs.readFileSync(`/proc/${client.pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    const last = client.status[client.status.length - 1];
    return { ms, peakRssMB: Math.round(hwm), files: last.files, objects: last.objects };
  } finally {
    await client.stop();
  }
}

/** Server start-up, `runs` times (a new process each): median time and the highest peak RSS. */
async function server(dir: string, runs: number) {
  const starts = [];
  for (let i = 0; i < runs; i++) starts.push(await serverStart(dir));
  const last = starts[starts.length - 1];
  return {
    initialToLastDiagnostic: stats(starts.map((x) => x.ms)),
    peakRssMB: Math.max(...starts.map((x) => x.peakRssMB)),
    files: last.files,
    objects: last.objects,
  };
}

/** A CustomResourceDefinition with a large OpenAPI schema (`fields` properties, ~100 bytes each). */
function crdText(c: number, fields: number): string {
  const props = Array.from({ length: fields }, (_, i) => `                  field${i}:\n                    description: "Field ${i}: an option, with [brackets] and {braces}."\n                    type: string`).join('\n');
  return `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things${c}.monitoring.example.com\nspec:\n  group: monitoring.example.com\n  names: {kind: Thing${c}, plural: things${c}}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n${props}\n`;
}

/** `ksi check DIR` by the built CLI, as a user runs it (a new process each time, so Node's
 *  start-up counts): one warm-up, then `runs` timed runs. */
function timeCheck(dir: string, runs: number): Stats {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [path.join(__dirname, '../../dist/cli.js'), 'check', dir], { encoding: 'utf8' });
    if (i > 0) times.push(performance.now() - t);
  }
  return stats(times);
}

/** `ksi check DIR`'s peak RSS (reported by the process itself as it exits). */
function checkPeakRss(dir: string): number {
  const run = spawnSync(process.execPath, ['--require', path.join(__dirname, 'peakRss.cjs'), path.join(__dirname, '../../dist/cli.js'), 'check', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const kb = /ksi-bench-peak-rss-kb=(\d+)/.exec(run.stderr)?.[1];
  if (!kb) throw new Error(`ksi check ${dir} reported no peak RSS: ${run.stderr.slice(-500)}`);
  return Math.round(Number(kb) / 1024);
}

/** A kube-prometheus-style folder: 125 objects beside 25 CRDs with large OpenAPI schemas
 *  (about 10 MB). */
function crdFolder(runs: number): Stats {
  const { dir } = writeWorkspace(125);
  for (let c = 0; c < 25; c++) fs.writeFileSync(path.join(dir, `crd-${c}.yaml`), crdText(c, 4000));
  const s = timeCheck(dir, runs);
  fs.rmSync(dir, { recursive: true, force: true });
  return s;
}

/** A workspace whose bytes are 30% CustomResourceDefinitions, against the same workspace
 *  without them: what the CRDs cost. */
function crdMix(n: number, runs: number) {
  const { dir, files } = writeWorkspace(n);
  const plainBytes = [...files.values()].reduce((a, t) => a + t.length, 0);
  const mixed = `${dir}-crds`;
  fs.cpSync(dir, mixed, { recursive: true });
  let crdBytes = 0;
  for (let c = 0; crdBytes < plainBytes * 0.3 / 0.7; c++) {
    const text = crdText(c, 2000);
    fs.writeFileSync(path.join(mixed, `crd-${c}.yaml`), text);
    crdBytes += text.length;
  }
  const without = timeCheck(dir, runs);
  const withCrds = timeCheck(mixed, runs);
  for (const d of [dir, mixed]) fs.rmSync(d, { recursive: true, force: true });
  const share = Math.round((crdBytes / (crdBytes + plainBytes)) * 100);
  return { objects: n, crdShare: share, megabytes: Math.round((crdBytes + plainBytes) / 1e5) / 10, without, withCrds, ratio: Math.round((withCrds.median / without.median) * 100) / 100 };
}

/** The open file first: our server, then yaml-language-server (`peer`), each started `runs`
 *  times on the same workspace with the same file opened right after `initialized`. */
async function openFileFirst(n: number, runs: number, peer: boolean) {
  const { dir, files } = writeWorkspace(n);
  const rel = pickOpenFile(files);
  const summary = (xs: OpenFileTimes[]) => (xs.length ? {
    first: stats(xs.map((x) => x.firstMs)), complete: stats(xs.map((x) => x.completeMs)), all: stats(xs.map((x) => x.allMs)),
    peakRssMB: Math.max(...xs.map((x) => x.peakRssMB)), findings: xs[0].findings,
  } : undefined);
  try {
    const ours: OpenFileTimes[] = [];
    for (let i = 0; i < runs; i++) ours.push(await ksiOpenFile(dir, rel));
    const checkPeakRssMB = checkPeakRss(dir);
    const theirs: OpenFileTimes[] = [];
    if (peer && !yamlLanguageServerMissing()) for (let i = 0; i < runs; i++) theirs.push(await yamlLsOpenFile(dir, rel));
    return { objects: n, files: files.size, openFile: rel, ours: summary(ours)!, peer: summary(theirs), checkPeakRssMB };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function sliceTopology(t: Topology, nodes: number): Topology {
  const keep = new Set(t.nodes.filter((n) => n.kind !== 'policy').slice(0, nodes).map((n) => n.id));
  return { nodes: t.nodes.filter((n) => keep.has(n.id)), edges: t.edges.filter((e) => keep.has(e.from) && keep.has(e.to)), namespaces: t.namespaces };
}

async function webview(sizes: number[]) {
  const missing = browserMissing();
  if (missing) return { skipped: missing };
  const g = generateWorkspace(Math.max(...sizes) * 1.3);
  const model = new ClusterModel();
  for (const [rel, text] of g.files) model.update(rel, text);
  const full = buildTopology(model);
  const server = await serveWebview();
  const browser = await launch();
  const out: Record<string, Stats & { nodes: number }> = {};
  try {
    for (const n of sizes) {
      const topo = sliceTopology(full, n);
      const times: number[] = [];
      for (let i = 0; i < (SMOKE ? 1 : 3); i++) {
        const { page } = await openWebview(browser, server.url);
        // The topology is handed to the page first: the clock starts when the page posts it to
        // the panel, not while the test harness ships megabytes of JSON into the browser.
        await page.evaluate((m) => { (window as unknown as { __message: unknown }).__message = m; }, { type: 'topology', topology: topo, activeUri: null });
        await page.evaluate(() => {
          const w = window as unknown as { __t0: number; __message: unknown };
          w.__t0 = performance.now();
          window.postMessage(w.__message, '*');
        });
        await page.waitForFunction(() => document.body.dataset.rendered === '1', undefined, { timeout: 120_000 });
        // Two animation frames: the drawing is on screen.
        const ms = await page.evaluate(() => new Promise<number>((res) => requestAnimationFrame(() => requestAnimationFrame(() => res(performance.now() - (window as unknown as { __t0: number }).__t0)))));
        times.push(ms);
        await page.close();
      }
      out[String(n)] = { ...stats(times), nodes: topo.nodes.filter((x) => x.kind !== 'policy').length };
      log(`  ${n} nodes: ${stats(times).median} ms to first render`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

function markdownTables(open: Awaited<ReturnType<typeof openFileFirst>>[]): string {
  const lines = [
    `Run of ${results.started} on ${machine.cpus} × ${machine.cpu}, Node ${machine.node}; load average ${machine.loadAtStart.join(', ')} at the start, ${machine.loadAtEnd.join(', ')} at the end.`,
    '', '| Measurement | Result | Budget | |', '|---|---|---|---|',
    ...budgets.map((b) => `| ${b.name} | ${b.value} ${b.unit} | ≤ ${b.budget} ${b.unit} | ${b.ok ? '✔' : '✘'} |`),
    '', '| Open file first (ms, median (min–max)) | first | complete | all files | peak RSS | `ksi check` peak RSS | yaml-language-server first | its peak RSS |', '|---|---|---|---|---|---|---|---|',
    ...open.map((r) => `| ${r.objects} objects, ${r.files} files | ${spread(r.ours.first)} | ${spread(r.ours.complete)} | ${spread(r.ours.all)} | ${r.ours.peakRssMB} MB | ${r.checkPeakRssMB} MB | ${r.peer ? spread(r.peer.first) : '—'} | ${r.peer ? `${r.peer.peakRssMB} MB` : '—'} |`),
  ];
  return `${lines.join('\n')}\n`;
}

(async () => {
  log(`Kube Service Insight benchmark${SMOKE ? ' (smoke size)' : ''} on ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${machine.loadAtStart.join(', ')}`);
  log('1–2. cold (read + parse + model + all diagnostics) vs the yaml parse floor');
  // Each workspace is measured while its model is the only one in the heap (a second, larger
  // model alive in the same process would slow the collector for the first).
  const small = coldAndFloor(SIZES.small, SMOKE ? 2 : 5);
  const smallObjects = small.model.objectCount();
  const medium = coldAndFloor(SIZES.medium, SMOKE ? 2 : 3);
  let mediumModel: WorkspaceModel | undefined = medium.model;
  const mediumObjects = mediumModel.objectCount();

  log(`3. incremental: one edited document, every file's diagnostics up to date (${SIZES.medium} objects)`);
  const incMedium = incremental(mediumModel, medium.open, medium.files, SMOKE ? 10 : 100, 7);
  log(`  median ${incMedium.median} ms, p95 ${incMedium.p95} ms`);

  log(`4. hover and completion at random positions (${SIZES.medium} objects)`);
  const pos = positions(mediumModel, medium.open, SMOKE ? 50 : 1000, 9);
  log(`  hover p99 ${pos.hover.p99} ms, completion p99 ${pos.completion.p99} ms`);

  log('5. simulate');
  const sim = simulation(mediumModel.mainModel());
  log(`  ${sim.from} → ${sim.to}: 1 request ${sim.one.median} ms, 1,000 requests ${sim.thousand.median} ms`);

  // Release the 10k model (and the 1k one) before building the 50k one.
  (small as { model?: WorkspaceModel }).model = undefined;
  (medium as { model?: WorkspaceModel }).model = undefined;
  mediumModel = undefined;
  log(`5b. declared calls: discovery + verdicts on top of cold analysis (${SIZES.medium} objects)`);
  const calls = callsCost(SIZES.medium, SMOKE ? 1 : 3);
  log(`1–2. cold vs floor, ${SIZES.large} objects`);
  const large = coldAndFloor(SIZES.large, 2);
  const largeObjects = large.model.objectCount();
  log(`3. incremental (${SIZES.large} objects)`);
  const incLarge = incremental(large.model, large.open, large.files, SMOKE ? 10 : 60, 8);
  log(`  median ${incLarge.median} ms, p95 ${incLarge.p95} ms`);
  (large as { model?: WorkspaceModel }).model = undefined;
  collect();

  results.cold = { [SIZES.small]: small.cold, [SIZES.medium]: medium.cold, [SIZES.large]: large.cold };
  results.floor = { [SIZES.small]: small.floor, [SIZES.medium]: medium.floor, [SIZES.large]: large.floor };
  results.coldOverFloor = { [SIZES.small]: small.ratio, [SIZES.medium]: medium.ratio, [SIZES.large]: large.ratio };
  for (const [x, objects] of [[small, smallObjects], [medium, mediumObjects], [large, largeObjects]] as const) {
    budget(`cold / floor at ${x.files.size} files (${objects} objects)`, x.ratio, 1.5, '×');
  }
  results.incremental = { [SIZES.medium]: incMedium, [SIZES.large]: incLarge };
  budget(`incremental p95 at ${SIZES.medium}`, incMedium.p95, 10, 'ms');
  budget(`incremental p95 at ${SIZES.large}`, incLarge.p95, 30, 'ms');
  results.hover = pos.hover;
  results.completion = pos.completion;
  budget('hover p99', pos.hover.p99, 5, 'ms');
  budget('completion p99', pos.completion.p99, 5, 'ms');
  results.simulate = sim;
  budget('1,000 simulated requests (median)', sim.thousand.median, 50, 'ms');
  results.calls = calls;
  budget(`declared calls (${calls.calls}) at ${SIZES.medium}: cold analysis with them over without`, calls.extraPercent, 20, '%');

  log('6–7. the real server over stdio: initialize → last initial diagnostic, peak RSS');
  const srvMedium = await server(medium.dir, SMOKE ? 1 : 5);
  log(`  ${srvMedium.objects} objects: median ${srvMedium.initialToLastDiagnostic.median} ms (${srvMedium.initialToLastDiagnostic.runs} starts), peak RSS ${srvMedium.peakRssMB} MB`);
  const srvLarge = await server(large.dir, 1);
  log(`  ${srvLarge.objects} objects: ${srvLarge.initialToLastDiagnostic.median} ms, peak RSS ${srvLarge.peakRssMB} MB`);
  results.server = { [SIZES.medium]: srvMedium, [SIZES.large]: srvLarge };
  budget(`server: initialize → last diagnostic at ${SIZES.medium} (median)`, srvMedium.initialToLastDiagnostic.median, 3000, 'ms');
  budget(`server peak RSS at ${SIZES.medium}`, srvMedium.peakRssMB, 300, 'MB');

  log('8. webview: layout (ELK, in the panel\'s worker) + first paint of what the panel opens on');
  const wv = await webview(SMOKE ? [50, 200] : [200, 1000, 5000]);
  results.webview = wv;
  // The panel's first view: up to 400 objects all open, beyond that the namespace with the
  // most problems open and the others as one box each.
  const w1000 = (wv as Record<string, Stats>)['1000'];
  const w5000 = (wv as Record<string, Stats>)['5000'];
  if (w1000) budget('topology of 1,000 nodes: layout + first paint (median)', w1000.median, 1000, 'ms');
  if (w5000) budget('topology of 5,000 nodes: layout + first paint (median)', w5000.median, 4000, 'ms');

  log('9. ksi check on a CRD-heavy folder (125 objects, 25 CRDs of ~400 KB), and on a workspace of 30% CRD bytes');
  const crds = crdFolder(SMOKE ? 1 : 5);
  log(`  CRD folder: ${spread(crds)} ms`);
  results.crdFolder = crds;
  budget('ksi check, 125 objects + 10 MB of CRDs (median)', crds.median, 1500, 'ms');
  const mix = crdMix(SIZES.medium, SMOKE ? 1 : 3);
  log(`  ${mix.objects} objects + CRDs (${mix.crdShare}% of ${mix.megabytes} MB): ${spread(mix.withCrds)} ms, without the CRDs ${spread(mix.without)} ms (${mix.ratio}×)`);
  results.crdMix = mix;
  budget(`ksi check, ${mix.objects} objects with ${mix.crdShare}% CRD bytes vs without`, mix.ratio, 1.1, '×');

  log('10. rendering: a unit rendered and mapped vs the renderer alone; an edit in an overlay to updated diagnostics');
  if (needsRenderers()) {
    log(`  skipped: ${needsRenderers()}`);
    results.render = null;
  } else {
    const units = await renderVsTool(SMOKE ? 1 : 9);
    for (const u of units) log(`  ${u.unit}: ${u.ours} ms vs ${u.tool} ms alone (${u.ratio}×)`);
    const edits = await editInOverlay(SMOKE ? 4 : 40);
    const editStats = stats(edits);
    log(`  edit in overlay → diagnostics: median ${editStats.median} ms, p95 ${editStats.p95} ms`);
    results.render = { units, editInOverlay: editStats };
    for (const u of units) budget(`render ${u.unit} vs the renderer alone`, u.ratio, 1.2, '×');
    budget('edit in an overlay → updated diagnostics (p95)', editStats.p95, 1500, 'ms');
  }

  const [cw, cp] = SMOKE ? [100, 50] : [1000, 500];
  log(`11. ksi connections: ${cw} workloads, ${cp} NetworkPolicies (the whole matrix, as JSON)`);
  const conn = timeConnections(connectionsWorkspace(cw, cp), SMOKE ? 1 : 5);
  const connStats = stats(conn.times);
  log(`  median ${connStats.median} ms for ${conn.connections} allowed connections (${conn.jsonMB} MB of JSON)`);
  results.connections = { workloads: cw, policies: cp, ...connStats, allowed: conn.connections, jsonMB: conn.jsonMB };
  budget(`ksi connections, ${cw} workloads × ${cp} policies (median)`, connStats.median, 5000, 'ms');

  log('12. the open file first: initialized → its first and its complete diagnostics (file opened at start-up), against yaml-language-server with no schema');
  const openRuns = (n: number) => (SMOKE ? 1 : n <= 10_000 ? 5 : n <= 50_000 ? 3 : 2);
  const open: Awaited<ReturnType<typeof openFileFirst>>[] = [];
  for (const n of [SIZES.medium, SIZES.large, SIZES.huge]) {
    const r = await openFileFirst(n, openRuns(n), n <= SIZES.large);
    open.push(r);
    const peer = r.peer ? `; yaml-language-server: first ${spread(r.peer.first)} ms, peak RSS ${r.peer.peakRssMB} MB` : '';
    log(`  ${n} objects: first ${spread(r.ours.first)} ms, complete ${spread(r.ours.complete)} ms, all files ${spread(r.ours.all)} ms, peak RSS ${r.ours.peakRssMB} MB (ksi check: ${r.checkPeakRssMB} MB)${peer}`);
    budget(`open file's first diagnostics at ${n} (median)`, r.ours.first.median, 500, 'ms');
    if (r.peer) budget(`open file's first diagnostics at ${n}, ours / yaml-language-server's`, Math.round((r.ours.first.median / r.peer.first.median) * 100) / 100, 1, '×');
    if (r.peer && n === SIZES.large) budget(`open file's complete diagnostics at ${n} / yaml-language-server's first`, Math.round((r.ours.complete.median / r.peer.first.median) * 100) / 100, 0.5, '×');
  }
  results.openFileFirst = open;
  const [first, last] = [open[0], open[open.length - 1]];
  const growth = Math.round((Math.log(last.ours.all.median / first.ours.all.median) / Math.log(last.objects / first.objects)) * 100) / 100;
  log(`  the whole index grows as n^${growth} from ${first.objects} to ${last.objects} objects`);
  results.indexGrowthExponent = growth;
  budget(`server index time growth exponent, ${first.objects} to ${last.objects} objects`, growth, 1, '');
  const rssBudget: Record<number, number> = { [SIZES.medium]: 300, [SIZES.large]: 450, [SIZES.huge]: 700 };
  for (const r of open) {
    if (r.objects !== SIZES.medium) budget(`server peak RSS at ${r.objects}, file open`, r.ours.peakRssMB, rssBudget[r.objects], 'MB');
    budget(`ksi check peak RSS at ${r.objects}`, r.checkPeakRssMB, rssBudget[r.objects], 'MB');
  }

  for (const x of [small, medium, large]) fs.rmSync(x.dir, { recursive: true, force: true });
  machine.loadAtEnd = loadAverage();
  log(`\nLoad average (1, 5, 15 min): ${machine.loadAtStart.join(', ')} at the start, ${machine.loadAtEnd.join(', ')} at the end`);
  results.budgets = budgets;
  log('\nBudgets:');
  for (const b of budgets) log(`  ${b.ok ? '✔' : '✘'} ${b.name}: ${b.value} ${b.unit} (budget ${b.budget} ${b.unit})`);
  if (JSON_OUT) {
    fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
    fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
    // The table BENCHMARKS.md shows, from this run.
    fs.writeFileSync(JSON_OUT.replace(/\.json$/, '') + '.md', markdownTables(open));
  }
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
