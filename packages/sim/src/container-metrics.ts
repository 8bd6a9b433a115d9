import { percentile } from './metrics.js';
import type { ContainerRun } from './run-container.js';
import type { Schedule } from './schedule.js';

/** How one concurrency setting served the schedule, over the invocations after the warm-up. */
export interface ContainerMetrics {
  readonly meanLatencyMs: number;
  readonly p50LatencyMs: number;
  readonly p99LatencyMs: number;
  readonly maxLatencyMs: number;
  /** Counted invocations per second, from the first one's arrival to the last one's end. */
  readonly throughputPerSec: number;
  readonly completed: number;
}

export interface ContainerSummary {
  readonly metrics: ContainerMetrics;
  /** The counted invocations' latencies, ascending: the CDF behind the chart. */
  readonly sortedLatencyMs: Float64Array;
}

/** Scores a container run over the invocations from index `from` on. */
export function summarizeContainerRun(schedule: Schedule, run: ContainerRun, from: number): ContainerSummary {
  const n = schedule.arrivalMs.length;
  const latencies = run.latencyMs.slice(from).sort();
  let sum = 0;
  let lastEndMs = 0;
  for (let i = from; i < n; i++) {
    sum += run.latencyMs[i] as number;
    if ((run.finishedAtMs[i] as number) > lastEndMs) lastEndMs = run.finishedAtMs[i] as number;
  }
  const counted = latencies.length;
  const spanMs = lastEndMs - (schedule.arrivalMs[from] as number);
  return {
    sortedLatencyMs: latencies,
    metrics: {
      meanLatencyMs: sum / counted,
      p50LatencyMs: percentile(latencies, 0.5),
      p99LatencyMs: percentile(latencies, 0.99),
      maxLatencyMs: percentile(latencies, 1),
      throughputPerSec: spanMs > 0 ? (1000 * counted) / spanMs : 0,
      completed: counted,
    },
  };
}
