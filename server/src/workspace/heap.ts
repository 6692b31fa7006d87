// How the process's heap grows. V8 lets a heap grow up to 4× what survived its last full
// collection; over a large workspace that is hundreds of megabytes of garbage held before the
// next one. A long-running server (and a CLI over a big repository) is better served by growing
// in small steps: the bench shows a lower peak and no slower index (BENCHMARKS.md).
import * as v8 from 'v8';

export const HEAP_GROWING_PERCENT = Number(process.env.KSI_HEAP_GROWING_PERCENT ?? 30);

export function growHeapInSmallSteps(): void {
  if (HEAP_GROWING_PERCENT > 0) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
