/** What one load run measured. Latencies are milliseconds. */
export interface LoadResult {
  readonly generator: 'wrk' | 'undici-closed-loop' | 'undici-open-loop';
  /** Requests completed in the measured window (after warm-up). */
  readonly requests: number;
  /** Answers that were not 2xx, and requests that failed outright. */
  readonly errors: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: LatencySummary;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles of a set of latencies (sorted in place). */
export function summarizeLatencies(latencies: Float64Array): LatencySummary {
  if (latencies.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN };
  latencies.sort();
  const at = (quantile: number): number => latencies[Math.min(latencies.length - 1, Math.ceil(quantile * latencies.length) - 1)] as number;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies[latencies.length - 1] as number };
}

/** A growable record of latencies without an allocation per sample. */
export class LatencyRecorder {
  #values = new Float64Array(1 << 16);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  record(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  summary(): LatencySummary {
    return summarizeLatencies(this.#values.subarray(0, this.#count));
  }
}
