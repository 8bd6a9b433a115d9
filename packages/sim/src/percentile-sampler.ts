/** The cumulative probabilities of the Azure trace's seven percentile columns (p0 ... p100). */
export const PERCENTILE_POINTS: readonly number[] = [0, 0.01, 0.25, 0.5, 0.75, 0.99, 1];

/** Every synthesised trace duration is at least this long (the trace records whole milliseconds). */
export const MIN_TRACE_DURATION_MS = 1;

const POINTS = PERCENTILE_POINTS.length;

/**
 * Durations of many functions, each drawn from its seven percentile points: the quantile function is
 * interpolated linearly in log(duration) between neighbouring points, so a draw is
 * exp(lerp(log p_i, log p_i+1)) at the uniform's position between them. Values are floored at
 * MIN_TRACE_DURATION_MS first (many functions report 0 ms at p0).
 */
export class PercentileSampler {
  readonly #logs: Float64Array;
  readonly #means: Float64Array;

  constructor(percentilesMs: readonly Float64Array[]) {
    this.#logs = new Float64Array(percentilesMs.length * POINTS);
    this.#means = new Float64Array(percentilesMs.length);
    percentilesMs.forEach((values, fn) => {
      let mean = 0;
      for (let i = 0; i < POINTS; i++) {
        const value = Math.max(MIN_TRACE_DURATION_MS, values[i] as number);
        this.#logs[fn * POINTS + i] = Math.log(value);
        if (i === 0) continue;
        const below = Math.max(MIN_TRACE_DURATION_MS, values[i - 1] as number);
        const width = (PERCENTILE_POINTS[i] as number) - (PERCENTILE_POINTS[i - 1] as number);
        // The mean of exp(x) with x uniform between log(below) and log(value), times its probability.
        mean += width * (value === below ? value : (value - below) / Math.log(value / below));
      }
      this.#means[fn] = mean;
    });
  }

  /** The exact mean of function `fn`'s interpolated distribution. */
  mean(fn: number): number {
    return this.#means[fn] as number;
  }

  /** The duration at cumulative probability `u` in [0, 1] for function `fn`. */
  quantile(fn: number, u: number): number {
    const segment = u < 0.25 ? (u < 0.01 ? 0 : 1) : u < 0.75 ? (u < 0.5 ? 2 : 3) : u < 0.99 ? 4 : 5;
    const low = PERCENTILE_POINTS[segment] as number;
    const position = (u - low) / ((PERCENTILE_POINTS[segment + 1] as number) - low);
    const base = fn * POINTS + segment;
    const logLow = this.#logs[base] as number;
    return Math.exp(logLow + position * ((this.#logs[base + 1] as number) - logLow));
  }
}
