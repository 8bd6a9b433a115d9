import type { ConcurrencyState } from '@shortline/core';
import { summarizeContainerRun, type ContainerMetrics } from './container-metrics.js';
import type { ContainerModelSpec } from './container-model.js';
import { runContainer, type CapacityChange, type ContainerRunOptions, type LimitStep } from './run-container.js';
import { DEFAULT_WARMUP_FRACTION } from './run-simulation.js';
import type { Schedule } from './schedule.js';

/** A backend's concurrency in the scheduler: 0 for no limit (Knative's containerConcurrency 0), N, or learnt. */
export type ConcurrencyChoice = number | 'auto';

/** What runContainer takes, with a list of concurrency settings to run side by side. */
export interface ConcurrencyComparisonOptions extends Omit<ContainerRunOptions, 'concurrency'> {
  readonly concurrency: readonly ConcurrencyChoice[];
  readonly warmupFraction?: number | undefined;
}

export interface ConcurrencyRow {
  readonly concurrency: ConcurrencyChoice;
  /** `none`, the number, or `auto`: the row's name in tables and charts. */
  readonly name: string;
  readonly metrics: ContainerMetrics;
  readonly sortedLatencyMs: Float64Array;
  readonly limits: readonly LimitStep[];
  /** What `auto` learnt by the end. */
  readonly learnt: ConcurrencyState | undefined;
  /**
   * With a capacity change: how long after it the limit (on a shared CPU, the long-work budget) was
   * first at or below the new capacity; undefined when it never was, or for an I/O-bound model.
   */
  readonly followedAfterMs: number | undefined;
}

export interface ConcurrencyComparison {
  readonly invocations: number;
  readonly warmup: number;
  readonly rows: readonly ConcurrencyRow[];
}

export function concurrencyName(choice: ConcurrencyChoice): string {
  return choice === 0 ? 'none' : String(choice);
}

function followedAfterMs(limits: readonly LimitStep[], spec: ContainerModelSpec, change: CapacityChange | undefined): number | undefined {
  if (change === undefined || spec.kind === 'io') return undefined;
  const followed = (step: LimitStep): number => (spec.kind === 'sequential' ? step.limit : step.longBudget);
  // The limit in force at the change counts too: it may already have been low enough.
  let inForce: LimitStep | undefined;
  for (const step of limits) {
    if (step.atMs <= change.atMs) inForce = step;
    else break;
  }
  const candidates = inForce === undefined ? limits : [inForce, ...limits.filter((step) => step.atMs > change.atMs)];
  const first = candidates.find((step) => followed(step) > 0 && followed(step) <= change.capacity);
  return first === undefined ? undefined : Math.max(0, first.atMs - change.atMs);
}

/**
 * Runs the same schedule through the same modelled container once per concurrency setting, side by
 * side, and scores each over the invocations after the warm-up.
 */
export function compareConcurrency(schedule: Schedule, options: ConcurrencyComparisonOptions): ConcurrencyComparison {
  const fraction = options.warmupFraction ?? DEFAULT_WARMUP_FRACTION;
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`warmupFraction must be in [0, 1), got ${fraction}`);
  const n = schedule.arrivalMs.length;
  const warmup = Math.floor(n * fraction);
  const rows = options.concurrency.map((choice): ConcurrencyRow => {
    const run = runContainer(schedule, { ...options, concurrency: choice === 'auto' ? { auto: true } : choice });
    const { metrics, sortedLatencyMs } = summarizeContainerRun(schedule, run, warmup);
    return {
      concurrency: choice,
      name: concurrencyName(choice),
      metrics,
      sortedLatencyMs,
      limits: run.limits,
      learnt: run.concurrency,
      followedAfterMs: followedAfterMs(run.limits, options.container, options.capacityChange),
    };
  });
  return { invocations: n, warmup, rows };
}
