import { RunningMean } from './running-mean.js';

/** Weight of the newest call in the running means of durations: a few hundred calls of each class count. */
const WEIGHT = 1 / 128;
/**
 * Weight of the newest long call in the running moments of its slowdown: a few thousand, because in a
 * heavy-tailed class most of the variance comes from calls rarer than one in a hundred.
 */
const SPREAD_WEIGHT = 1 / 2048;
/** Long calls must take at least this many times as long as short ones: the prediction tells them apart. */
const SEPARATION = 4;
/**
 * Long calls' durations, relative to their predictions, must vary less than this (coefficient of
 * variation). Holding long calls and starting them in order beats sharing the CPU among them only when
 * they are alike: for an M/G/1 queue, first come first served waits (1 + CV²) / 2 times as long as
 * processor sharing. What it reads in the simulator (2 cores, load 0.8): a 250 ms class 0.2–0.3, with
 * 25% spread of its own 0.35–0.6; the top band of a lognormal σ=1.5 mix 1.2–1.9, where a budget cost
 * +9% mean and +36% p99 before this gate (bench/RESULTS.md).
 */
const MAX_SPREAD = 0.8;
/** Long calls seen before the spread is trusted: fewer than this miss the rare calls a heavy tail is made of. */
const LONG_CALLS = 300;


/**
 * Whether a long-work budget can pay on a shared CPU: the long calls (as the predictions classify
 * them) really are much longer than the short ones, and alike among themselves. With one function,
 * predictions drift but say nothing about a single call, and holding "long" calls would hold random
 * ones.
 */
export class LongWorkSpread {
  readonly #shortMs = new RunningMean(WEIGHT);
  readonly #longMs = new RunningMean(WEIGHT);
  readonly #longSlowdown = new RunningMean(SPREAD_WEIGHT);
  readonly #longSlowdownSquared = new RunningMean(SPREAD_WEIGHT);

  record(long: boolean, observedMs: number, slowdown: number): void {
    if (!long) {
      this.#shortMs.add(observedMs);
      return;
    }
    this.#longMs.add(observedMs);
    this.#longSlowdown.add(slowdown);
    this.#longSlowdownSquared.add(slowdown * slowdown);
  }

  /** The long calls' coefficient of variation relative to their predictions; Infinity before any. */
  get spread(): number {
    const mean = this.#longSlowdown.value;
    if (!(mean > 0)) return Infinity;
    return Math.sqrt(Math.max(0, this.#longSlowdownSquared.value - mean * mean)) / mean;
  }

  /** How many times longer long calls take than short ones; 0 before both were seen. */
  get separation(): number {
    const ratio = this.#longMs.value / this.#shortMs.value;
    return ratio > 0 && Number.isFinite(ratio) ? ratio : 0;
  }

  get pays(): boolean {
    return this.#longSlowdown.count >= LONG_CALLS && this.separation >= SEPARATION && this.spread < MAX_SPREAD;
  }
}
