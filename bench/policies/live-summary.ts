import { spreadOf, type Spread } from '@shortline/load';
import { largestByDuration, percentile, SLOWDOWN_FLOOR_MS, type PolicyMetrics, type Schedule } from '@shortline/sim';
import type { ScheduledLoadResult } from '../lib/scheduled-load.js';

/** What happened to each invocation of the schedule through the live proxy, indexed like the schedule. */
export interface LiveRecords {
  readonly lagMs: Float64Array;
  /** From the scheduled send time to the end of the response; NaN when it failed. */
  readonly latencyMs: Float64Array;
  readonly status: Uint16Array;
  /** The proxy's Server-Timing `queue` (time held in the queue); NaN when absent. */
  readonly queueMs: Float64Array;
  /** The proxy's Server-Timing `upstream` (dispatch to the backend's response head); NaN when absent. */
  readonly upstreamMs: Float64Array;
}

export function liveRecords(load: ScheduledLoadResult): LiveRecords {
  return { lagMs: load.lagMs, latencyMs: load.latencyMs, status: load.status, queueMs: load.queueMs, upstreamMs: load.upstreamMs };
}

/**
 * The simulator's metrics, measured: the same definitions (nearest-rank percentiles, 10 ms slowdown
 * floor). `maxWaitMs` is the longest queue wait the proxy reported; `completed` counts invocations
 * answered 2xx and `errors` the rest (answered otherwise, or not at all). There is no prediction
 * error: the predictor lives in the proxy.
 */
export type LiveMetrics = Omit<PolicyMetrics, 'predictionMape' | 'predictionMale'> & {
  readonly errors: number;
};

/** Where live latency goes beyond the function's own duration and its wait in the queue. */
export interface LiveOverheads {
  /** Latency − generator lag − queue wait − upstream time: the hop to the proxy, classification, dispatch, relaying the answer. */
  readonly proxyAddedMs: Spread;
  /** Upstream time − true duration: the hop to the backend and how late the function's timer fires. */
  readonly serviceOverrunMs: Spread;
}

export interface LiveSummary {
  readonly metrics: LiveMetrics;
  readonly overheads: LiveOverheads;
  /** Latencies of the counted, answered invocations, ascending. */
  readonly sortedLatencyMs: Float64Array;
}

const answered = (status: number): boolean => status >= 200 && status < 300;

/** Scores the live run over the invocations from `warmup` on, like the simulator scores its own. */
export function summarizeLive(schedule: Schedule, records: LiveRecords, warmup: number): LiveSummary {
  const { durationMs } = schedule;
  const latencies: number[] = [];
  const slowdowns: number[] = [];
  const proxyAdded: number[] = [];
  const overrun: number[] = [];
  let latencySum = 0;
  let slowdownSum = 0;
  let maxWaitMs = 0;
  let errors = 0;
  for (let i = warmup; i < durationMs.length; i++) {
    if (!answered(records.status[i] as number)) {
      errors++;
      continue;
    }
    const duration = durationMs[i] as number;
    const latency = records.latencyMs[i] as number;
    const slowdown = latency / Math.max(duration, SLOWDOWN_FLOOR_MS);
    latencies.push(latency);
    slowdowns.push(slowdown);
    latencySum += latency;
    slowdownSum += slowdown;
    const queue = records.queueMs[i] as number;
    const upstream = records.upstreamMs[i] as number;
    if (queue > maxWaitMs) maxWaitMs = queue;
    proxyAdded.push(latency - (records.lagMs[i] as number) - queue - upstream);
    overrun.push(upstream - duration);
  }
  let largestSum = 0;
  let largestCount = 0;
  for (const i of largestByDuration(durationMs, warmup)) {
    if (!answered(records.status[i] as number)) continue;
    largestSum += (records.latencyMs[i] as number) / Math.max(durationMs[i] as number, SLOWDOWN_FLOOR_MS);
    largestCount++;
  }
  const sortedLatencyMs = Float64Array.from(latencies).sort();
  const sortedSlowdowns = Float64Array.from(slowdowns).sort();
  return {
    sortedLatencyMs,
    metrics: {
      meanLatencyMs: latencySum / latencies.length,
      p50LatencyMs: percentile(sortedLatencyMs, 0.5),
      p99LatencyMs: percentile(sortedLatencyMs, 0.99),
      maxLatencyMs: percentile(sortedLatencyMs, 1),
      meanSlowdown: slowdownSum / slowdowns.length,
      p99Slowdown: percentile(sortedSlowdowns, 0.99),
      top1pctSlowdown: largestSum / largestCount,
      maxWaitMs,
      completed: latencies.length,
      errors,
    },
    overheads: { proxyAddedMs: spreadOf(proxyAdded), serviceOverrunMs: spreadOf(overrun) },
  };
}
