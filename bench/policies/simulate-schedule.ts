import { largestByDuration, runPolicy, summarizeRun, type PolicyResult, type Schedule, type SimulatedPolicy } from '@shortline/sim';

export interface SimulatedOutcome {
  readonly result: PolicyResult;
  /** Each invocation's wait in the queue, indexed like the schedule. */
  readonly waitMs: Float64Array;
}

/** What the simulator is given for one policy: the policy (or the simulator's oracle) and the predictor's prior. */
export interface SimulatedParameters {
  readonly policy: SimulatedPolicy;
  readonly priorMs: number;
}

export interface SimulateScheduleOptions {
  readonly slots: number;
  readonly prior: 'default' | 'trace-average';
  /** Invocations before this index are warm-up: simulated, not counted. */
  readonly warmup: number;
  /** Each invocation's trusted duration hint (NaN: none), as the live run sends it. */
  readonly hintMs?: Float64Array | undefined;
}

/**
 * One policy on the schedule through the simulator, which drives the same core Scheduler as the
 * proxy on a virtual clock: same slots, policy parameters and prior as the live run. The per-invocation
 * waits are kept for the record file and the size buckets, which is why this composes runPolicy and
 * summarizeRun rather than calling runSimulation (which keeps only the summary).
 */
export function simulateSchedule(schedule: Schedule, parameters: SimulatedParameters, options: SimulateScheduleOptions): SimulatedOutcome {
  const run = runPolicy(schedule, parameters.policy, { slots: options.slots, prior: options.prior, predictor: { priorMs: parameters.priorMs }, hintMs: options.hintMs });
  const largest = largestByDuration(schedule.durationMs, options.warmup);
  const { metrics, sortedLatencyMs } = summarizeRun(schedule, run, options.warmup, largest);
  return { result: { name: run.name, parameters: run.parameters, metrics, sortedLatencyMs }, waitMs: run.waitMs };
}
