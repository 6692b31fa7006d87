// Rendering benchmarks: a unit rendered and mapped by Kube Service Insight against the
// renderer alone, and an edit in an overlay patch to updated diagnostics in the real server.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { WorkspaceModel } from '../../server/src/model';
import { API_VERSIONS, renderUnit } from '../../server/src/workspace/render/render';
import { findRenderers } from '../../server/src/workspace/render/tools';
import { LspClient } from '../helpers/lspClient';
import { HELM, KUBECTL } from '../helpers/renderers';
import { RENDER_CORPUS_ROOT } from '../helpers/corpus';
import { findManifestFiles, makeFilter } from '../../server/src/workspace/files';

const ROOT = path.join(__dirname, '../..');

export interface RenderUnitTiming { unit: string; ours: number; tool: number; ratio: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Our render (the tool, the wrapper or marked copy, reading the output, the source map)
 *  against the tool's own command, `runs` times each, medians. */
export async function renderVsTool(runs: number): Promise<RenderUnitTiming[]> {
  const units: { dir: string; kind: 'kustomize' | 'helm' }[] = [
    { dir: path.join(ROOT, 'test/render/fixtures/kustomize-patches/overlays/prod'), kind: 'kustomize' as const },
    { dir: path.join(RENDER_CORPUS_ROOT, 'online-boutique/kustomize'), kind: 'kustomize' as const },
    { dir: path.join(RENDER_CORPUS_ROOT, 'argo-cd/manifests/ha/cluster-install'), kind: 'kustomize' as const },
    { dir: path.join(RENDER_CORPUS_ROOT, 'online-boutique/helm-chart'), kind: 'helm' as const },
    { dir: path.join(RENDER_CORPUS_ROOT, 'ingress-nginx/charts/ingress-nginx'), kind: 'helm' as const },
  ].filter((u) => fs.existsSync(u.dir));
  const tools = await findRenderers({ kubectlPath: KUBECTL, helmPath: HELM });
  const out: RenderUnitTiming[] = [];
  for (const u of units) {
    // The workspace that holds the unit, read as the CLI reads it.
    const top = u.dir.startsWith(RENDER_CORPUS_ROOT) ? path.join(RENDER_CORPUS_ROOT, path.relative(RENDER_CORPUS_ROOT, u.dir).split(path.sep)[0]) : path.join(ROOT, 'test/render/fixtures');
    const ws = new WorkspaceModel({}, [pathToFileURL(top).href]);
    for (const f of findManifestFiles(top, makeFilter(ws.settings))) ws.update(pathToFileURL(f).href, fs.readFileSync(f, 'utf8'));
    const target = ws.renderTargets().find((t) => t.root === pathToFileURL(u.dir).href);
    if (!target) continue;
    const host = { toPath: (x: string) => new URL(x).pathname, toUri: (p: string) => pathToFileURL(p).href, read: (x: string) => ws.textOf(x), unsaved: () => [], workspaceRoot: pathToFileURL(top).href };
    const args = u.kind === 'kustomize' ? ['kustomize', u.dir] : ['template', target.helm!.release, u.dir, '--namespace', 'default', '--skip-tests', '--skip-schema-validation', ...API_VERSIONS.flatMap((a) => ['--api-versions', a])];
    const ours: number[] = [];
    const tool: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      let t = performance.now();
      execFileSync(u.kind === 'kustomize' ? KUBECTL : HELM, args, { maxBuffer: 1 << 28, env: { PATH: process.env.PATH, HOME: os.tmpdir() } });
      const toolMs = performance.now() - t;
      t = performance.now();
      const r = await renderUnit(target, tools, host, { timeoutMs: 60_000, memoryMb: 2048 });
      const oursMs = performance.now() - t;
      if (!r || !('text' in r)) throw new Error(`${u.dir} did not render: ${JSON.stringify(r?.notes)}`);
      if (i > 0) { // the first run warms the file cache
        tool.push(toolMs);
        ours.push(oursMs);
      }
    }
    const name = path.relative(u.dir.startsWith(RENDER_CORPUS_ROOT) ? RENDER_CORPUS_ROOT : ROOT, u.dir);
    out.push({ unit: name, ours: Math.round(median(ours)), tool: Math.round(median(tool)), ratio: Math.round((median(ours) / median(tool)) * 100) / 100 });
  }
  return out;
}

/** An unsaved edit of an overlay patch (targetPort flipped between a wrong and a right port)
 *  until the patch's diagnostics change, in the real server with the real kubectl. */
export async function editInOverlay(edits: number): Promise<number[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-bench-render-'));
  fs.cpSync(path.join(ROOT, 'test/render/fixtures/kustomize-patches'), dir, { recursive: true });
  const client = new LspClient();
  client.settings = { kubectlPath: KUBECTL, helmPath: HELM };
  const times: number[] = [];
  try {
    await client.start(dir, { initializationOptions: { trusted: true }, timeoutMs: 60_000 });
    const uri = pathToFileURL(path.join(dir, 'overlays/staging/service-port.yaml')).href;
    const text = fs.readFileSync(path.join(dir, 'overlays/staging/service-port.yaml'), 'utf8');
    const wrong = () => client.diagnostics.get(uri)?.some((d) => d.code === 'target-port-not-exposed');
    await client.waitFor('the first render', () => wrong(), 30_000);
    client.open(uri, text);
    for (let i = 0; i < edits; i++) {
      const fix = i % 2 === 0;
      const t = performance.now();
      client.change(uri, i + 2, fix ? text.replace('8081', '8080') : text);
      await client.waitFor('updated diagnostics', () => (fix ? !wrong() : wrong()), 30_000);
      times.push(Math.round(performance.now() - t));
    }
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return times;
}
