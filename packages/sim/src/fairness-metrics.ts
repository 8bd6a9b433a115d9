import { sharedLaneSlots, PRIORITIES, type Priority } from '@shortline/core';
import { percentile } from './metrics.js';
import type { FunctionSettings, PolicyRun } from './run-policy.js';
import type { Schedule } from './schedule.js';
import { createWaitBound } from './wait-bound.js';

export interface TierMetrics {
  readonly priority: Priority;
  readonly completed: number;
  readonly meanLatencyMs: number;
  readonly p99LatencyMs: number;
  readonly p99WaitMs: number;
  /**
   * p99 of the calls' own durations: every latency is at least its duration, so no order of the
   * queue brings the tier's p99 latency below this.
   */
  readonly p99ServiceMs: number;
  readonly maxWaitMs: number;
  /** The largest wait ÷ its starvation bound (docs/scheduling.md) over the tier's calls; ≤ 1 when it held. */
  readonly maxWaitOverBound: number;
}

export interface DeadlineMetrics {
  /** Counted calls of functions with a deadline, and how many finished within it. */
  readonly withDeadline: number;
  readonly met: number;
  /** met ÷ withDeadline. */
  readonly attainment: number;
  /** Mean latency of the counted calls of the functions without a deadline. */
  readonly othersMeanLatencyMs: number;
}

export interface FairnessMetrics {
  /** One entry per tier that has counted calls, highest first. */
  readonly tiers: readonly TierMetrics[];
  /** Undefined when no function has a deadline. */
  readonly deadlines: DeadlineMetrics | undefined;
}

export interface FairnessSummaryOptions {
  readonly functionSettings: ReadonlyMap<string, FunctionSettings>;
  /** The slots capped calls may hold: max(1, ⌊cappedShare · slots⌋); a tier below the highest counts on its shared lane only. */
  readonly cappedSlots: number;
}

/** Per tier and per deadline, over the invocations from index `from` on (the ones before are the warm-up). */
export function summarizeFairness(schedule: Schedule, run: PolicyRun, from: number, options: FairnessSummaryOptions): FairnessMetrics {
  const { durationMs, functionIndex } = schedule;
  const settings = schedule.functions.map((fn) => options.functionSettings.get(fn.name));
  const tierOf = settings.map((s) => PRIORITIES.indexOf(s?.priority ?? 'normal'));
  const deadlineOf = settings.map((s) => s?.deadlineMs ?? 0);
  // A call of a tier below the highest configured one counts only on the capped share's shared lane.
  const highestTier = Math.min(...tierOf);
  const sharedSlots = sharedLaneSlots(options.cappedSlots);
  const bound = createWaitBound(schedule, run, (i) => ((tierOf[functionIndex[i] as number] as number) > highestTier ? sharedSlots : options.cappedSlots));
  const latencies = PRIORITIES.map((): number[] => []);
  const waits = PRIORITIES.map((): number[] => []);
  const services = PRIORITIES.map((): number[] => []);
  const maxWait = PRIORITIES.map(() => 0);
  const maxOverBound = PRIORITIES.map(() => 0);
  let withDeadline = 0;
  let met = 0;
  let others = 0;
  let othersLatencySum = 0;
  for (let i = from; i < durationMs.length; i++) {
    const fn = functionIndex[i] as number;
    const tier = tierOf[fn] as number;
    const wait = run.waitMs[i] as number;
    const service = durationMs[i] as number;
    const latency = wait + service;
    (latencies[tier] as number[]).push(latency);
    (services[tier] as number[]).push(service);
    (waits[tier] as number[]).push(wait);
    maxWait[tier] = Math.max(maxWait[tier] as number, wait);
    const boundMs = bound.boundMs(i);
    if (wait > 0) maxOverBound[tier] = Math.max(maxOverBound[tier] as number, wait / boundMs);
    const deadline = deadlineOf[fn] as number;
    if (deadline > 0) {
      withDeadline++;
      if (latency <= deadline) met++;
    } else {
      others++;
      othersLatencySum += latency;
    }
  }
  const tiers: TierMetrics[] = [];
  PRIORITIES.forEach((priority, tier) => {
    const sorted = Float64Array.from(latencies[tier] as number[]).sort();
    if (sorted.length === 0) return;
    tiers.push({
      priority,
      completed: sorted.length,
      meanLatencyMs: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
      p99LatencyMs: percentile(sorted, 0.99),
      p99WaitMs: percentile(Float64Array.from(waits[tier] as number[]).sort(), 0.99),
      p99ServiceMs: percentile(Float64Array.from(services[tier] as number[]).sort(), 0.99),
      maxWaitMs: maxWait[tier] as number,
      maxWaitOverBound: maxOverBound[tier] as number,
    });
  });
  const deadlines =
    withDeadline === 0
      ? undefined
      : { withDeadline, met, attainment: met / withDeadline, othersMeanLatencyMs: others === 0 ? NaN : othersLatencySum / others };
  return { tiers, deadlines };
}
