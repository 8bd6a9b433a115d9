import type { Random } from './random.js';
import type { TraceWorkload } from './trace-workload.js';

/** Where one replayed minute is written: parallel arrays of at least `taken` free places. */
export interface ReplayMinuteOutput {
  /** Arrival, in trace minutes (minute + fraction), ascending. */
  readonly arrivalMinutes: Float64Array;
  readonly functionIndex: Uint32Array;
  readonly durationMs: Float64Array;
}

/** Invocations the trace counts in `minute` over all its functions. */
export function minuteCount(workload: TraceWorkload, minute: number): number {
  let count = 0;
  for (const fn of workload.trace.functions) count += fn.perMinute[minute] as number;
  return count;
}

/**
 * One minute of a trace replayed: its `count` invocations in a random order of functions, of which
 * the first `taken` land at independent uniform times spread over the first taken/count of the
 * minute (all of it when every one is taken), sorted, each with a drawn duration. The random numbers
 * are consumed in a fixed order, so a minute redrawn from the same random state is the same minute.
 * `labels` is scratch space of at least `count` places.
 */
export function drawReplayMinute(workload: TraceWorkload, minute: number, taken: number, random: Random, labels: Uint32Array, out: ReplayMinuteOutput): void {
  const count = minuteCount(workload, minute);
  let at = 0;
  workload.trace.functions.forEach((fn, index) => {
    labels.fill(index, at, at + (fn.perMinute[minute] as number));
    at += fn.perMinute[minute] as number;
  });
  for (let i = count - 1; i > 0; i--) {
    const j = random.below(i + 1);
    const swap = labels[i] as number;
    labels[i] = labels[j] as number;
    labels[j] = swap;
  }
  const times = out.arrivalMinutes.subarray(0, taken);
  const width = taken / count;
  for (let i = 0; i < taken; i++) times[i] = minute + width * random.next();
  times.sort();
  for (let i = 0; i < taken; i++) {
    const fn = labels[i] as number;
    out.functionIndex[i] = fn;
    out.durationMs[i] = workload.drawDuration(fn, random);
  }
}
