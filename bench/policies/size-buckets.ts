import { percentile, type Schedule } from '@shortline/sim';

/** Functions whose mean true duration in the schedule lies in [lowMs, highMs), by decade. */
export interface SizeBucket {
  readonly label: string;
  readonly lowMs: number;
  readonly highMs: number;
  readonly functions: number;
  /** The counted invocations of those functions, ascending. */
  readonly invocations: Uint32Array;
}

const SMALLEST_EDGE_MS = 10;

const edgeLabel = (ms: number): string => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * Groups the counted invocations (index `from` on) by the size of their function: its mean true
 * duration over the whole schedule, in decades from 10 ms (everything shorter in the first bucket).
 * Empty buckets are left out.
 */
export function sizeBuckets(schedule: Schedule, from: number): SizeBucket[] {
  const { functionIndex, durationMs } = schedule;
  const sums = new Float64Array(schedule.functions.length);
  const counts = new Uint32Array(schedule.functions.length);
  for (let i = 0; i < durationMs.length; i++) {
    const fn = functionIndex[i] as number;
    sums[fn] = (sums[fn] as number) + (durationMs[i] as number);
    counts[fn] = (counts[fn] as number) + 1;
  }
  const decadeOf = (fn: number): number => {
    const mean = (sums[fn] as number) / (counts[fn] as number);
    return Math.max(0, Math.floor(Math.log10(mean / SMALLEST_EDGE_MS)) + 1);
  };
  const members = new Map<number, number[]>();
  const functions = new Map<number, Set<number>>();
  for (let i = from; i < durationMs.length; i++) {
    const fn = functionIndex[i] as number;
    const decade = decadeOf(fn);
    let list = members.get(decade);
    if (list === undefined) {
      list = [];
      members.set(decade, list);
      functions.set(decade, new Set());
    }
    list.push(i);
    functions.get(decade)?.add(fn);
  }
  return [...members.keys()]
    .sort((a, b) => a - b)
    .map((decade) => {
      const lowMs = decade === 0 ? 0 : SMALLEST_EDGE_MS * 10 ** (decade - 1);
      const highMs = SMALLEST_EDGE_MS * 10 ** decade;
      return {
        label: decade === 0 ? `< ${edgeLabel(highMs)}` : `${edgeLabel(lowMs)} – ${edgeLabel(highMs)}`,
        lowMs,
        highMs,
        functions: functions.get(decade)?.size ?? 0,
        invocations: Uint32Array.from(members.get(decade) ?? []),
      };
    });
}

/** p99 (nearest rank) of the bucket's invocations' latencies; failed ones (NaN) are left out. */
export function bucketP99(bucket: SizeBucket, latencyMs: Float64Array): number {
  const values = Float64Array.from(bucket.invocations, (i) => latencyMs[i] as number)
    .filter((value) => Number.isFinite(value))
    .sort();
  return percentile(values, 0.99);
}
