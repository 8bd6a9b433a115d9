import type { PolicySpec } from '@shortline/core';
import { compareConcurrency, type ConcurrencyRow } from '@shortline/sim';
import { figuresOf } from './arm-figures.js';
import type { CaseOutcome } from './case-outcome.js';
import type { RoundPlan } from './case-plan.js';
import type { ConcurrencyCase } from './concurrency-cases.js';

export interface SimulateCaseOptions {
  readonly policy: PolicySpec;
  readonly priorMs: number;
}

function pooled(rows: readonly ConcurrencyRow[]): ReturnType<typeof figuresOf> {
  const latencies: number[] = [];
  let spanMs = 0;
  for (const row of rows) {
    for (const latency of row.sortedLatencyMs) latencies.push(latency);
    if (row.metrics.throughputPerSec > 0) spanMs += (1000 * row.metrics.completed) / row.metrics.throughputPerSec;
  }
  return figuresOf(Float64Array.from(latencies).sort(), spanMs);
}

/**
 * The simulator on each round's schedule: the same calls, warm-up and capacity change, the real core
 * Scheduler with the same policy and prior in front of the same container model, no limit against
 * `auto`. Model time, deterministic: it shows what the live run would give without a machine's noise.
 */
export function simulateCase(spec: ConcurrencyCase, plans: readonly RoundPlan[], options: SimulateCaseOptions): CaseOutcome['simulated'] {
  const none: ConcurrencyRow[] = [];
  const auto: ConcurrencyRow[] = [];
  for (const plan of plans) {
    const n = plan.schedule.arrivalMs.length;
    const change = spec.capacityChange;
    const comparison = compareConcurrency(plan.schedule, {
      container: spec.model,
      concurrency: [0, 'auto'],
      policy: options.policy,
      prior: 'default',
      predictor: { priorMs: options.priorMs },
      capacityChange: change === undefined || plan.changeAtMs === undefined ? undefined : { atMs: plan.changeAtMs, capacity: change.capacity },
      // Exactly the live warm-up: floor(n × (w + ½) / n) = w.
      warmupFraction: (plan.warmup + 0.5) / n,
    });
    const [unlimited, learnt] = comparison.rows as [ConcurrencyRow, ConcurrencyRow];
    none.push(unlimited);
    auto.push(learnt);
  }
  return {
    none: pooled(none),
    auto: pooled(auto),
    learnt: auto.map((row) => row.learnt),
    followedAfterMs: auto.map((row) => row.followedAfterMs),
    limitedFromMs: auto.map((row) => row.limits.find((step) => step.limit > 0 || step.longBudget > 0)?.atMs),
  };
}
