import type { RequestFeatures } from '@shortline/core';
import type { Random } from './random.js';
import type { Workload } from './workload.js';

/**
 * A Poisson stream of invocations, one at a time: exponential gaps of mean `meanGapMs`, each
 * invocation's function drawn by its share and its duration from that function's distribution (or,
 * for a workload of requests, the request with its features and the duration they imply). The
 * simulator lays a whole schedule out of it; `shortline load` draws it as it sends, and can stop and
 * continue it later from the clock and the random state.
 */
export class MixArrivals {
  /** The last drawn invocation: when it arrives, its function and its true duration. */
  arrivalMs: number;
  functionIndex = 0;
  durationMs = 0;
  /** Its request's features, for a workload whose calls carry them. */
  features: RequestFeatures | undefined = undefined;

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

  /** Draws the next invocation into `arrivalMs`, `functionIndex`, `durationMs` (and `features`). */
  next(): void {
    const workload = this.workload;
    this.arrivalMs += this.random.exponential(this.meanGapMs);
    this.functionIndex = workload.drawFunction(this.random);
    if (workload.drawRequest === undefined) {
      this.durationMs = workload.drawDuration(this.functionIndex, this.random);
      return;
    }
    const request = workload.drawRequest(this.functionIndex, this.random);
    this.features = request.features;
    this.durationMs = request.durationMs;
  }
}
