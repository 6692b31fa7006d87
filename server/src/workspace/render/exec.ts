// Running a renderer: a clean environment (no HELM_*, no KUBECONFIG, HOME and caches in a
// temporary folder, so no cluster and no registry is contacted), a timeout, a cap on output
// and on memory, and cancellation.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ExecLimits {
  timeoutMs: number;
  /** Address-space cap of the renderer process, in MiB (Linux and macOS; 0: none). */
  memoryMb: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not finish: `timeout`, `cancelled`, `output` (too large), or a spawn error. */
  stopped?: string;
  ms: number;
}

/** Output beyond this is not read (a chart that prints this much is not a unit we analyse). */
const MAX_OUTPUT = 256 * 1024 * 1024;

let scratch: string | undefined;
/** One private folder per process for the renderers' HOME and caches. */
export function scratchDir(): string {
  if (!scratch) {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-render-'));
    process.once('exit', () => fs.rmSync(scratch!, { recursive: true, force: true }));
  }
  return scratch;
}

export function cleanEnv(): NodeJS.ProcessEnv {
  const home = path.join(scratchDir(), 'home');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: path.join(home, 'helm-cache'),
    HELM_CONFIG_HOME: path.join(home, 'helm-config'),
    HELM_DATA_HOME: path.join(home, 'helm-data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    TMPDIR: scratchDir(),
    // The renderers never need these; set so nothing is fetched even if a chart asks.
    HELM_NO_PLUGINS: '1',
    KUSTOMIZE_PLUGIN_HOME: path.join(home, 'no-plugins'),
  };
  if (process.platform === 'win32') {
    for (const k of ['SystemRoot', 'ComSpec', 'PATHEXT', 'TEMP', 'TMP']) if (process.env[k]) env[k] = process.env[k];
    env.USERPROFILE = home;
  }
  return env;
}

export function execRenderer(command: string, args: string[], cwd: string, limits: ExecLimits): Promise<ExecResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const capped = limits.memoryMb > 0 && process.platform !== 'win32';
    // `ulimit -v` caps what the renderer may map; Go programs need about 1 GiB to start.
    const [file, argv] = capped
      ? ['/bin/sh', ['-c', `ulimit -v ${Math.round(limits.memoryMb * 1024)} 2>/dev/null; exec "$0" "$@"`, command, ...args]]
      : [command, args];
    let stdout: Buffer[] = [];
    let size = 0;
    const stderr: Buffer[] = [];
    let stopped: string | undefined;
    // Its own process group, so that stopping it stops what it started too.
    const group = process.platform !== 'win32';
    const child = spawn(file, argv, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: group });
    const stop = (why: string) => {
      if (stopped) return;
      stopped = why;
      try {
        if (group && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => stop('timeout'), limits.timeoutMs);
    const onAbort = () => stop('cancelled');
    limits.signal?.addEventListener('abort', onAbort);
    if (limits.signal?.aborted) stop('cancelled');
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_OUTPUT) {
        stdout = [];
        stop('output');
      } else stdout.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 256) stderr.push(b);
    });
    const finish = (code: number | null, error?: Error) => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), stopped: stopped ?? error?.message, ms: Date.now() - started });
    };
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}
