import type { PolicyRun } from './run-policy.js';
import type { Schedule } from './schedule.js';

/** Slowdown = latency / max(duration, this): a 2 ms call that waits 3 ms has not really slowed down 2.5×. */
export const SLOWDOWN_FLOOR_MS = 10;

/** Share of invocations, by true duration, whose slowdown `top1pctSlowdown` averages. */
export const LARGEST_SHARE = 0.01;

export interface PolicyMetrics {
  readonly meanLatencyMs: number;
  readonly p50LatencyMs: number;
  readonly p99LatencyMs: number;
  readonly maxLatencyMs: number;
  readonly meanSlowdown: number;
  readonly p99Slowdown: number;
  /** Mean slowdown of the largest 1% of invocations by true duration: what SRTF-like policies risk. */
  readonly top1pctSlowdown: number;
  readonly maxWaitMs: number;
  readonly completed: number;
  /** Mean of |predicted − true| / max(true, 1 ms), as a fraction (0.25 = 25%). */
  readonly predictionMape: number;
  /** Mean of |ln predicted − ln true|, both at least 1 ms: 0.1 is about 10% off either way. */
  readonly predictionMale: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/**
 * The indices from `from` on of the largest `LARGEST_SHARE` of durations (at least one); among equal
 * durations at the threshold the earlier invocations are taken, so the set is deterministic.
 */
export function largestByDuration(durationMs: Float64Array, from: number): Uint32Array {
  const counted = durationMs.length - from;
  const k = Math.max(1, Math.ceil(counted * LARGEST_SHARE));
  if (counted <= 0) return new Uint32Array(0);
  const sorted = durationMs.slice(from).sort();
  const threshold = sorted[counted - k] as number;
  let aboveThreshold = 0;
  for (let i = counted - 1; i >= 0 && (sorted[i] as number) > threshold; i--) aboveThreshold++;
  let equalWanted = k - aboveThreshold;
  const chosen = new Uint32Array(k);
  let filled = 0;
  for (let i = from; i < durationMs.length; i++) {
    const duration = durationMs[i] as number;
    if (duration > threshold || (duration === threshold && equalWanted-- > 0)) chosen[filled++] = i;
  }
  return chosen;
}

export interface RunSummary {
  readonly metrics: PolicyMetrics;
  /** The counted invocations' latencies, ascending: the CDF behind the chart. */
  readonly sortedLatencyMs: Float64Array;
}

/** Scores a run over the invocations from index `from` on (the ones before are the warm-up). */
export function summarizeRun(schedule: Schedule, run: PolicyRun, from: number, largest: Uint32Array): RunSummary {
  const { durationMs } = schedule;
  const { waitMs, predictedMs } = run;
  const counted = Math.max(0, durationMs.length - from);
  const latencies = new Float64Array(counted);
  const slowdowns = new Float64Array(counted);
  let latencySum = 0;
  let slowdownSum = 0;
  let errorSum = 0;
  let logErrorSum = 0;
  let maxWaitMs = 0;
  for (let i = from; i < durationMs.length; i++) {
    const duration = durationMs[i] as number;
    const wait = waitMs[i] as number;
    const latency = wait + duration;
    const slowdown = latency / Math.max(duration, SLOWDOWN_FLOOR_MS);
    latencies[i - from] = latency;
    slowdowns[i - from] = slowdown;
    latencySum += latency;
    slowdownSum += slowdown;
    const predicted = predictedMs[i] as number;
    errorSum += Math.abs(predicted - duration) / Math.max(duration, 1);
    logErrorSum += Math.abs(Math.log(Math.max(predicted, 1) / Math.max(duration, 1)));
    if (wait > maxWaitMs) maxWaitMs = wait;
  }
  let largestSlowdownSum = 0;
  for (const i of largest) {
    const duration = durationMs[i] as number;
    largestSlowdownSum += ((waitMs[i] as number) + duration) / Math.max(duration, SLOWDOWN_FLOOR_MS);
  }
  latencies.sort();
  slowdowns.sort();
  return {
    sortedLatencyMs: latencies,
    metrics: {
      meanLatencyMs: latencySum / counted,
      p50LatencyMs: percentile(latencies, 0.5),
      p99LatencyMs: percentile(latencies, 0.99),
      maxLatencyMs: percentile(latencies, 1),
      meanSlowdown: slowdownSum / counted,
      p99Slowdown: percentile(slowdowns, 0.99),
      top1pctSlowdown: largestSlowdownSum / largest.length,
      maxWaitMs,
      completed: counted,
      predictionMape: errorSum / counted,
      predictionMale: logErrorSum / counted,
    },
  };
}
