import { summarizeFairness, type FairnessMetrics } from './fairness-metrics.js';
import { largestByDuration, summarizeRun, type PolicyMetrics } from './metrics.js';
import { runPolicy, type RunPolicyOptions, type SimulatedPolicy, type SimulatedPolicyName } from './run-policy.js';
import type { Schedule } from './schedule.js';

/** The first 10% of invocations fill the queues and teach the predictor; they are not counted. */
export const DEFAULT_WARMUP_FRACTION = 0.1;

export interface SimulationOptions extends Omit<RunPolicyOptions, 'onProgress'> {
  readonly policies: readonly SimulatedPolicy[];
  readonly warmupFraction?: number | undefined;
  /** Called now and then with invocations simulated so far over all policies, and the total. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface PolicyResult {
  readonly name: SimulatedPolicyName;
  readonly parameters: Readonly<Record<string, number>>;
  readonly metrics: PolicyMetrics;
  /** Latencies of the counted invocations, ascending. */
  readonly sortedLatencyMs: Float64Array;
  /** Per tier and per deadline; only when the options give function settings. */
  readonly fairness?: FairnessMetrics | undefined;
}

export interface SimulationResult {
  readonly invocations: number;
  /** Invocations simulated but not counted. */
  readonly warmup: number;
  readonly policies: readonly PolicyResult[];
}

/** Runs every policy on the same schedule and scores each over the invocations after the warm-up. */
export function runSimulation(schedule: Schedule, options: SimulationOptions): SimulationResult {
  const fraction = options.warmupFraction ?? DEFAULT_WARMUP_FRACTION;
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`warmupFraction must be in [0, 1), got ${fraction}`);
  const n = schedule.arrivalMs.length;
  const warmup = Math.floor(n * fraction);
  const largest = largestByDuration(schedule.durationMs, warmup);
  const total = n * options.policies.length;
  const policies = options.policies.map((policy, index): PolicyResult => {
    const run = runPolicy(schedule, policy, {
      ...options,
      onProgress: options.onProgress && ((arrived: number) => options.onProgress?.(index * n + arrived, total)),
    });
    const { metrics, sortedLatencyMs } = summarizeRun(schedule, run, warmup, largest);
    const settings = options.functionSettings;
    const cappedSlots = Math.max(1, Math.floor((run.parameters['cappedShare'] ?? 1) * options.slots));
    const fairness = settings === undefined ? undefined : summarizeFairness(schedule, run, warmup, { functionSettings: settings, cappedSlots });
    return { name: run.name, parameters: run.parameters, metrics, sortedLatencyMs, fairness };
  });
  return { invocations: n, warmup, policies };
}
