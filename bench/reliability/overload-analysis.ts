import { summarizeLatencies, type LatencySummary } from '../lib/load-result.js';
import type { ScheduledLoadResult } from '../lib/scheduled-load.js';

/** A stretch of the schedule at one rate. */
export interface Phase {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly requestsPerSecond: number;
}

export interface PhaseOutcome {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly requests: number;
  /** By status (`200`, `503 queue-full`, `504 deadline`, `0` for no answer at all). */
  readonly answers: Readonly<Record<string, number>>;
  /** Latency of the 200s, from each request's due time. */
  readonly latencyMs: LatencySummary;
  /** Latency of the proxy's own answers (503, 504): how fast an overloaded proxy says no. */
  readonly refusalLatencyMs: LatencySummary;
}

/** A slice of the schedule (by due time): the p99 latency of its 200s. */
export interface Window {
  readonly startMs: number;
  readonly p99Ms: number;
  readonly served: number;
}

/** Counts answers and latencies per phase; a request belongs to the phase its due time falls in. */
export function outcomesByPhase(phases: readonly Phase[], dueMs: Float64Array, result: ScheduledLoadResult): PhaseOutcome[] {
  return phases.map((phase) => {
    const answers: Record<string, number> = {};
    const latencies: number[] = [];
    const refusals: number[] = [];
    let requests = 0;
    for (let i = 0; i < dueMs.length; i++) {
      const due = dueMs[i] as number;
      if (due < phase.startMs || due >= phase.endMs) continue;
      requests++;
      const status = result.status[i] as number;
      const reason = result.captured[i];
      const key = status === 200 || status === 0 || reason === undefined ? String(status) : `${status} ${reason}`;
      answers[key] = (answers[key] ?? 0) + 1;
      if (status === 200) latencies.push(result.latencyMs[i] as number);
      else if (status !== 0) refusals.push(result.latencyMs[i] as number);
    }
    return {
      name: phase.name,
      requestsPerSecond: phase.requestsPerSecond,
      requests,
      answers,
      latencyMs: summarizeLatencies(Float64Array.from(latencies)),
      refusalLatencyMs: summarizeLatencies(Float64Array.from(refusals)),
    };
  });
}

/** p99 latency of the 200s per `sliceMs` of due time, from `fromMs` to `toMs`. */
export function windows(dueMs: Float64Array, result: ScheduledLoadResult, fromMs: number, toMs: number, sliceMs: number): Window[] {
  const buckets: number[][] = [];
  for (let i = 0; i < dueMs.length; i++) {
    const due = dueMs[i] as number;
    if (due < fromMs || due >= toMs || result.status[i] !== 200) continue;
    const index = Math.floor((due - fromMs) / sliceMs);
    (buckets[index] ??= []).push(result.latencyMs[i] as number);
  }
  const count = Math.ceil((toMs - fromMs) / sliceMs);
  return Array.from({ length: count }, (_, index) => {
    const latencies = buckets[index] ?? [];
    return { startMs: fromMs + index * sliceMs, p99Ms: summarizeLatencies(Float64Array.from(latencies)).p99, served: latencies.length };
  });
}

/**
 * How long after the load drops the latency is back: the start of the first window (by due time)
 * from which every window's p99 stays within `boundMs`. Undefined if it never is.
 */
export function recoveryMs(after: readonly Window[], dropMs: number, boundMs: number): number | undefined {
  for (let i = 0; i < after.length; i++) {
    if (after.slice(i).every((window) => window.served > 0 && window.p99Ms <= boundMs)) return (after[i] as Window).startMs - dropMs;
  }
  return undefined;
}
