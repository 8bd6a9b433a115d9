import { largestByDuration, runPolicy, summarizeRun, type PolicyResult, type Schedule } from '@shortline/sim';
import type { SchedulingParameters } from '../lib/scheduling-parameters.js';

export interface SimulatedOutcome {
  readonly result: PolicyResult;
  /** Each invocation's wait in the queue, indexed like the schedule. */
  readonly waitMs: Float64Array;
}

export interface SimulateScheduleOptions {
  readonly slots: number;
  readonly prior: 'default' | 'trace-average';
  /** Invocations before this index are warm-up: simulated, not counted. */
  readonly warmup: number;
}

/**
 * One policy on the schedule through the simulator, which drives the same core Scheduler as the
 * proxy on a virtual clock: same slots, policy parameters and prior as the live run. The per-invocation
 * waits are kept for the record file and the size buckets, which is why this composes runPolicy and
 * summarizeRun rather than calling runSimulation (which keeps only the summary).
 */
export function simulateSchedule(schedule: Schedule, parameters: SchedulingParameters, options: SimulateScheduleOptions): SimulatedOutcome {
  const run = runPolicy(schedule, parameters.policy, { slots: options.slots, prior: options.prior, predictor: { priorMs: parameters.priorMs } });
  const largest = largestByDuration(schedule.durationMs, options.warmup);
  const { metrics, sortedLatencyMs } = summarizeRun(schedule, run, options.warmup, largest);
  return { result: { name: run.name, parameters: run.parameters, metrics, sortedLatencyMs }, waitMs: run.waitMs };
}
