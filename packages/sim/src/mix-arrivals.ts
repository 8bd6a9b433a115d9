import type { Random } from './random.js';
import type { Workload } from './workload.js';

/**
 * A Poisson stream of invocations, one at a time: exponential gaps of mean `meanGapMs`, each
 * invocation's function drawn by its share and its duration from that function's distribution. The
 * simulator lays a whole schedule out of it; `shortline load` draws it as it sends, and can stop and
 * continue it later from the clock and the random state.
 */
export class MixArrivals {
  /** The last drawn invocation: when it arrives, its function and its true duration. */
  arrivalMs: number;
  functionIndex = 0;
  durationMs = 0;

  constructor(
    readonly workload: Workload,
    readonly meanGapMs: number,
    readonly random: Random,
    /** The arrival the next gap counts from: 0 for a fresh stream. */
    clockMs = 0,
  ) {
    if (!(meanGapMs > 0 && Number.isFinite(meanGapMs))) throw new RangeError(`mean gap must be a number of ms > 0, got ${meanGapMs}`);
    this.arrivalMs = clockMs;
  }

  /** Draws the next invocation into `arrivalMs`, `functionIndex` and `durationMs`. */
  next(): void {
    this.arrivalMs += this.random.exponential(this.meanGapMs);
    this.functionIndex = this.workload.drawFunction(this.random);
    this.durationMs = this.workload.drawDuration(this.functionIndex, this.random);
  }
}
