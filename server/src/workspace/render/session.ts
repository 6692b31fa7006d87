// Rendering in the editor: one render pass at a time, started a moment after the last
// change (debounced) and cancelled by the next one; only units whose input folders changed
// render again (driver.ts compares fingerprints).
import type { WorkspaceModel } from '../../model/workspace';
import { RenderCache, renderWorkspace, RenderRun, RenderSettings } from './driver';
import type { RenderHost } from './render';

export class RenderSession {
  private readonly cache: RenderCache = new Map();
  private controller?: AbortController;
  private timer?: NodeJS.Timeout;
  private running: Promise<RenderRun | undefined> = Promise.resolve(undefined);
  last?: RenderRun;

  constructor(
    private readonly workspace: () => WorkspaceModel,
    private readonly host: RenderHost,
    private readonly settings: () => RenderSettings | false,
    private readonly done: (run: RenderRun) => void,
  ) {}

  /** Whether a change to this file may change a rendered unit. */
  touches(uri: string): boolean {
    if (this.settings() === false) return false;
    return this.workspace().renderTargets().some((t) => t.dirs.some((d) => uri.startsWith(d + '/')));
  }

  schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.timer = setTimeout(() => void this.runNow(), delayMs);
  }

  /** Renders what changed now (after any pass already running). */
  runNow(): Promise<RenderRun | undefined> {
    clearTimeout(this.timer);
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.running = this.running.then(async () => {
      const settings = this.settings();
      if (settings === false || controller.signal.aborted) return undefined;
      const run = await renderWorkspace(this.workspace(), this.host, settings, this.cache, controller.signal);
      if (controller.signal.aborted) return undefined;
      this.last = run;
      this.done(run);
      return run;
    }).catch(() => undefined);
    return this.running;
  }

  /** Rendering turned off (settings, trust): units are read raw again. */
  reset(): void {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.cache.clear();
    this.last = undefined;
    this.workspace().clearRendered();
  }
}
