import { RunningMean } from './running-mean.js';

/** Weight of the newest long call in the running means of its work and of the gap since the last. */
const WEIGHT = 1 / 32;
/** A budget leaves this much headroom over the cores the long calls need. */
const HEADROOM = 1.25;

/**
 * How many cores' worth of long work arrives: each long call's work (its prediction, scaled by what a
 * long call that ran alone took against its prediction) over the time between long completions. A
 * long-work budget below it would starve the long calls (they would no longer keep up, and wait
 * without end), so it is the budget's floor. While long calls are held, they end at the budget's
 * pace, so the floor climbs with any budget that is too low.
 */
export class LongWorkDemand {
  readonly #workMs = new RunningMean(WEIGHT);
  readonly #gapMs = new RunningMean(WEIGHT);
  #lastEndMs = NaN;

  record(predictedMs: number, aloneSlowdown: number, endMs: number): void {
    if (aloneSlowdown > 0) this.#workMs.add(predictedMs * aloneSlowdown);
    if (endMs >= this.#lastEndMs) this.#gapMs.add(endMs - this.#lastEndMs);
    if (!(endMs < this.#lastEndMs)) this.#lastEndMs = endMs;
  }

  /** Cores the long calls need, NaN before two were seen. */
  get cores(): number {
    return this.#workMs.value / this.#gapMs.value;
  }

  /** The least long budget that keeps up with them; 1 while unknown. */
  get floor(): number {
    const cores = this.cores;
    return cores > 0 && Number.isFinite(cores) ? Math.max(1, Math.ceil(HEADROOM * cores)) : 1;
  }
}
