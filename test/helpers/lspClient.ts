// A minimal LSP client over stdio for tests: spawns the bundled server, answers its
// requests (configuration, progress, registration) and records its notifications.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  createProtocolConnection, Diagnostic, InitializeRequest, ProtocolConnection, PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

export const ROOT = path.join(__dirname, '../..');

export function copySamples(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksi-ws-'));
  fs.cpSync(path.join(ROOT, 'samples'), dir, { recursive: true });
  return dir;
}

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly publishCounts = new Map<string, number>();
  readonly progress: unknown[] = [];
  readonly status: { files: number; objects: number; errors: number; warnings: number; indexing: boolean; suppressed?: number }[] = [];
  readonly logs: string[] = [];
  /** When each publishDiagnostics arrived (performance.now()), in order, and whether the
   *  server's work-done progress had ended by then (the index is read). */
  readonly publishLog: { uri: string; at: number; diagnostics: Diagnostic[]; afterProgress: boolean }[] = [];
  settings: Record<string, unknown> = {};
  private child: ChildProcess;
  get pid(): number | undefined {
    return this.child.pid;
  }
  readonly conn: ProtocolConnection;
  private listeners: (() => void)[] = [];

  /** @param command another server to drive (a script run by node, and its arguments). */
  constructor(execArgv: string[] = [], command: string[] = [path.join(ROOT, 'dist/server.js'), '--stdio']) {
    this.child = spawn(process.execPath, [...execArgv, ...command], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => this.logs.push(String(d)));
    this.conn = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      const ended = this.progress.some((x) => (x as { value?: { kind?: string } }).value?.kind === 'end');
      this.publishLog.push({ uri: p.uri, at: performance.now(), diagnostics: p.diagnostics, afterProgress: ended });
      this.publishCounts.set(p.uri, (this.publishCounts.get(p.uri) ?? 0) + 1);
      this.changed();
    });
    this.conn.onNotification('$/progress', (p: unknown) => { this.progress.push(p); this.changed(); });
    this.conn.onNotification('kubeServiceInsight/status', (p: LspClient['status'][number]) => { this.status.push(p); this.changed(); });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push(p.message); });
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.listen();
  }

  private changed() {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves when `check` holds (checked after every notification), or fails after `ms`. */
  waitFor<T>(what: string, check: () => T | undefined | false, ms = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const v = check();
        if (v) {
          this.listeners = this.listeners.filter((l) => l !== attempt);
          clearTimeout(timer);
          resolve(v);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== attempt);
        reject(new Error(`timed out waiting for ${what}\nlogs:\n${this.logs.join('\n')}`));
      }, ms);
      if (!attempt()) this.listeners.push(attempt);
    });
  }

  /** `minimal`: a client like Helix — settings in initializationOptions, no configuration
   *  pulls, no progress, no dynamic registration, only a rootUri.
   *  `initialized`: called right after the initialized notification is sent (documents a
   *  client opens at start-up); `waitForIndex: false` returns without waiting for the index. */
  async start(workspace: string, opts: { minimal?: boolean; initializationOptions?: unknown; timeoutMs?: number; initialized?: () => void; waitForIndex?: boolean } = {}) {
    await this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: opts.minimal ? null : [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
      initializationOptions: opts.initializationOptions,
      capabilities: opts.minimal ? {} : {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: { hover: { contentFormat: ['markdown'] }, publishDiagnostics: { relatedInformation: true } },
      },
    });
    this.conn.sendNotification('initialized', {});
    opts.initialized?.();
    if (opts.waitForIndex === false) return;
    await this.waitFor('initial index', () => this.status.find((s) => !s.indexing && s.files > 0), opts.timeoutMs ?? 10_000);
  }

  open(uri: string, text: string) {
    this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  change(uri: string, version: number, text: string) {
    this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop() {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    // Let the server exit by itself before the streams go away.
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => { this.child.kill(); resolve(); }, 2000);
      this.child.once('exit', () => { clearTimeout(t); resolve(); });
    });
    this.conn.dispose();
  }
}

/** Position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function posOf(text: string, needle: string, nth = 0, delta = 0) {
  let idx = -1;
  for (let i = 0; i <= nth; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`${needle} not found`);
  }
  const before = text.slice(0, idx + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
