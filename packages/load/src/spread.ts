import { percentile } from '@shortline/sim';

/** Mean and nearest-rank percentiles of a set of durations, in ms. */
export interface Spread {
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The spread of the finite values (NaN figures when there are none). */
export function spreadOf(values: Iterable<number>): Spread {
  const finite = Float64Array.from([...values].filter((value) => Number.isFinite(value))).sort();
  let sum = 0;
  for (const value of finite) sum += value;
  return { meanMs: sum / finite.length, p50Ms: percentile(finite, 0.5), p99Ms: percentile(finite, 0.99), maxMs: percentile(finite, 1) };
}
