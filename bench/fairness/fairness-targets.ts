import type { TierMetrics } from '@shortline/sim';
import type { SeedFigures, TierPlanName } from './shape-seed-run.js';
import type { Shape } from './shapes.js';

/** One "done when" line: a figure per seed, and the bound it must keep. */
export interface Target {
  readonly name: string;
  /** How the figure is formed, for the report. */
  readonly figure: string;
  /** at most (≤) or at least (≥) `bound`. */
  readonly direction: 'at-most' | 'at-least';
  readonly bound: number;
  value(seed: SeedFigures): number;
}

/** A tier's figures; NaN for each when the plan leaves the tier empty (the random plan can). */
const tier = (metrics: { tiers: readonly TierMetrics[] }, priority: TierMetrics['priority']): Omit<TierMetrics, 'priority'> =>
  metrics.tiers.find((t) => t.priority === priority) ?? {
    completed: 0,
    meanLatencyMs: NaN,
    p99LatencyMs: NaN,
    p99WaitMs: NaN,
    p99ServiceMs: NaN,
    maxWaitMs: NaN,
    maxWaitOverBound: NaN,
  };
const attainment = (metrics: SeedFigures['targeted']): number => metrics.deadlines?.attainment ?? NaN;
const othersMean = (metrics: SeedFigures['targeted']): number => metrics.deadlines?.othersMeanLatencyMs ?? NaN;

/** The tier targets for one tier plan; `suffix` names the plan in the report. */
function tierTargets(plan: TierPlanName, suffix: string): Target[] {
  const figures = (s: SeedFigures): SeedFigures['tierPlans'][TierPlanName] => s.tierPlans[plan];
  return [
    {
      name: `high tier p99${suffix}`,
      figure: 'p99 of the high-tier functions without tiers ÷ with them',
      direction: 'at-least',
      bound: 2,
      value: (s) => tier(figures(s).untiered, 'high').p99LatencyMs / tier(figures(s).tiered, 'high').p99LatencyMs,
    },
    {
      name: `high tier p99 wait${suffix}`,
      figure: 'p99 wait of the high-tier functions without tiers ÷ with them (not a target: the wait part of the line above)',
      direction: 'at-least',
      bound: 2,
      value: (s) => tier(figures(s).untiered, 'high').p99WaitMs / tier(figures(s).tiered, 'high').p99WaitMs,
    },
    {
      name: `high tier p99 ceiling${suffix}`,
      figure:
        'p99 of the high-tier functions without tiers ÷ the p99 of their own durations (not a target: the most any order of the queue can reach on the first line; below 2 that line cannot be met)',
      direction: 'at-least',
      bound: 2,
      value: (s) => tier(figures(s).untiered, 'high').p99LatencyMs / tier(figures(s).tiered, 'high').p99ServiceMs,
    },
    {
      name: `low tier bound${suffix}`,
      figure: 'largest low-tier wait ÷ its bound (docs/scheduling.md)',
      direction: 'at-most',
      bound: 1,
      value: (s) => tier(figures(s).tiered, 'low').maxWaitOverBound,
    },
  ];
}

/** The targets for one shape (its longest-wait bound differs by shape). */
export function targetsFor(shape: Shape): Target[] {
  return [
    {
      name: 'longest wait',
      figure: 'aging-srtf max wait ÷ fifo max wait',
      direction: 'at-most',
      bound: shape.maxWaitTarget,
      value: (s) => s.agingSrtf.maxWaitMs / s.fifo.maxWaitMs,
    },
    {
      name: 'largest-1% slowdown',
      figure: 'aging-srtf ÷ fifo',
      direction: 'at-most',
      bound: 1.2,
      value: (s) => s.agingSrtf.top1pctSlowdown / s.fifo.top1pctSlowdown,
    },
    {
      name: 'mean latency',
      figure: 'aging-srtf ÷ oracle',
      direction: 'at-most',
      bound: 1.5,
      value: (s) => s.agingSrtf.meanLatencyMs / s.oracle.meanLatencyMs,
    },
    {
      name: 'mean slowdown',
      figure: 'fifo ÷ aging-srtf',
      direction: 'at-least',
      bound: 10,
      value: (s) => s.fifo.meanSlowdown / s.agingSrtf.meanSlowdown,
    },
    ...tierTargets('mostWork', ''),
    ...tierTargets('random', ', random plan'),
    {
      name: 'deadlines vs aging-srtf',
      figure: 'attainment with deadlines − without (points)',
      direction: 'at-least',
      bound: 0,
      value: (s) => 100 * (attainment(s.targeted) - attainment(s.untargeted)),
    },
    {
      name: 'deadlines vs fifo',
      figure: 'attainment with deadlines − fifo (points)',
      direction: 'at-least',
      bound: 0,
      value: (s) => 100 * (attainment(s.targeted) - attainment(s.fifoDeadlines)),
    },
    {
      name: 'the other half',
      figure: 'mean latency of functions without a deadline, with ÷ without deadlines',
      direction: 'at-most',
      bound: 1.1,
      value: (s) => othersMean(s.targeted) / othersMean(s.untargeted),
    },
  ];
}

export interface TargetOutcome {
  readonly target: Target;
  /** The median seed's figure (of an even count, the worse of the two middle ones) and the worst. */
  readonly median: number;
  readonly worst: number;
  readonly met: boolean;
}

export function evaluate(target: Target, seeds: readonly SeedFigures[]): TargetOutcome {
  // An empty tier (NaN) sorts last and is never met.
  const values = seeds.map((s) => target.value(s)).sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const atMost = target.direction === 'at-most';
  const median = values[atMost ? Math.floor(values.length / 2) : Math.ceil(values.length / 2) - 1] as number;
  const worst = (atMost ? values[values.length - 1] : values[0]) as number;
  return { target, median, worst, met: atMost ? median <= target.bound : median >= target.bound };
}
