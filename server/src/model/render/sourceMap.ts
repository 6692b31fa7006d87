// What a renderer produced for one apply unit, and where each part of it was written: the
// model analyses the rendered text; findings on it are moved to the source lines here.
import type { Range, RelatedLocation } from '../types';

/** A place in a source file that wrote part of the rendered output. */
export interface SourceSpot {
  uri: string;
  range: Range;
  /** What changed the value on its way to the output (a patch, `namePrefix`, a values.yaml
   *  line), shown as related information. */
  via?: RelatedLocation[];
  /** Kustomize: the base node a transformer changed (where navigation goes). */
  base?: { uri: string; range: Range };
}

/** One rendered node (a key or a value): its offsets in the rendered text and its source. */
interface Entry {
  start: number;
  end: number;
  spot: SourceSpot;
}

/** Rendered offsets → source spots. Entries nest like the YAML nodes they come from; a
 *  lookup takes the innermost entry that holds the offset. */
export class SourceMap {
  private entries: Entry[] = [];
  private sorted = true;

  add(start: number, end: number, spot: SourceSpot): void {
    this.entries.push({ start, end, spot });
    this.sorted = false;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The innermost spot holding `offset`. */
  lookup(offset: number): SourceSpot | undefined {
    if (!this.sorted) {
      this.entries.sort((a, b) => a.start - b.start || b.end - a.end);
      this.sorted = true;
    }
    // Binary search for the last entry starting at or before the offset, then walk back.
    let lo = 0;
    let hi = this.entries.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].start <= offset) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Nested entries: the containing entry that starts last is the innermost.
    for (let i = last; i >= 0; i--) if (this.entries[i].end >= offset) return this.entries[i].spot;
    return undefined;
  }

  /** The rendered node a source position wrote (the narrowest source range holding it):
   *  its start offset and its spot. */
  renderedAt(uri: string, pos: { line: number; character: number }): { offset: number; end: number; spot: SourceSpot } | undefined {
    const before = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
    const size = (r: Range) => (r.end.line - r.start.line) * 100_000 + (r.end.character - r.start.character);
    // A source range is where a node was written, or what a transformer changed (via): a
    // base name that \`namePrefix\` renamed still hovers as the rendered name.
    let best: Entry | undefined;
    let bestSize = Infinity;
    for (const e of this.entries) {
      for (const r of [e.spot.uri === uri ? e.spot.range : undefined, ...(e.spot.via ?? []).filter((v) => v.uri === uri).map((v) => v.range)]) {
        if (!r || !before(r.start, pos) || !before(pos, r.end)) continue;
        const rank = size(r) * 1e7 + (e.end - e.start);
        if (rank < bestSize) {
          best = e;
          bestSize = rank;
        }
      }
    }
    return best && { offset: best.start, end: best.end, spot: best.spot };
  }

  /** Every source file that wrote part of the output. */
  sources(): Set<string> {
    const out = new Set<string>();
    for (const e of this.entries) {
      out.add(e.spot.uri);
      for (const v of e.spot.via ?? []) out.add(v.uri);
    }
    return out;
  }
}

export interface RenderNote {
  uri: string;
  range: Range;
  message: string;
  /** A render failure (the unit is then read raw or not at all) rather than a remark. */
  failed?: boolean;
  /** Caused by something absent (a dependency not downloaded), not by a mistake. */
  incomplete?: boolean;
}

/** The result of rendering one unit, as plain data (the host runs the renderer). */
export interface RenderedUnit {
  unitId: string;
  /** The renderer, for people: `kubectl v1.35.2 (kustomize v5.7.1)`, `helm v4.1.4`. */
  tool: string;
  /** The manifests the cluster would get, exactly as the renderer printed them. */
  text: string;
  map: SourceMap;
  notes: RenderNote[];
  /** How the unit was rendered, for people (`release web, namespace prod, values.yaml`). */
  summary: string;
  /** Helm: rendered object lines placed on the template line that printed them (a marker
   *  of their own, or of the \`include\`/\`toYaml\` that printed them); the rest take their
   *  enclosing key's. */
  exactLines?: { exact: number; total: number };
}

/** A unit whose rendering failed: its notes say why and where. */
export interface RenderFailure {
  unitId: string;
  tool: string;
  notes: RenderNote[];
}

export type RenderResult = RenderedUnit | RenderFailure;

export function isRendered(r: RenderResult): r is RenderedUnit {
  return 'text' in r;
}
