import { AGING_SRTF_DEFAULTS, type AgingSrtfParameters, type PredictorOptions } from '@shortline/core';
import {
  DEFAULT_WARMUP_FRACTION,
  largestByDuration,
  runPolicy,
  summarizeFairness,
  summarizeRun,
  type FairnessMetrics,
  type FunctionSettings,
  type PolicyMetrics,
  type PolicyRun,
  type Schedule,
  type SimulatedPolicy,
} from '@shortline/sim';
import type { SeedPlans } from './function-plan.js';
import { SLOTS } from './shapes.js';

/** A tier plan measured on plain aging-srtf (no tiers) and with the tiers configured. */
export interface TierFigures {
  readonly untiered: FairnessMetrics;
  readonly tiered: FairnessMetrics;
}

/** The two tier plans of function-plan.ts. */
export type TierPlanName = keyof SeedPlans['tiers'];

/** What one seed of one shape gives: the figures the "done when" compares, side by side. */
export interface SeedFigures {
  readonly seed: number;
  readonly fifo: PolicyMetrics;
  readonly oracle: PolicyMetrics;
  readonly agingSrtf: PolicyMetrics;
  readonly tierPlans: Readonly<Record<TierPlanName, TierFigures>>;
  /** The deadline plan measured on fifo and plain aging-srtf (no deadlines), and with the deadlines configured. */
  readonly fifoDeadlines: FairnessMetrics;
  readonly untargeted: FairnessMetrics;
  readonly targeted: FairnessMetrics;
}


/**
 * Six runs of one schedule through the core scheduler: fifo, the oracle, aging-srtf (its defaults
 * unless `agingSrtf` says otherwise; the predictor's unless `predictor` does), and aging-srtf with
 * each of the seed's tier plans and with its deadline plan. The plans are measured on the runs
 * without them too, so each comparison is between the same calls.
 */
export function runShapeSeed(
  schedule: Schedule,
  seed: number,
  plans: SeedPlans,
  agingSrtf: AgingSrtfParameters = {},
  predictor?: PredictorOptions,
): SeedFigures {
  const AGING_SRTF: SimulatedPolicy = { name: 'aging-srtf', ...agingSrtf };
  const CAPPED_SLOTS = Math.max(1, Math.floor((agingSrtf.cappedShare ?? AGING_SRTF_DEFAULTS.cappedShare) * SLOTS));
  const warmup = Math.floor(schedule.arrivalMs.length * DEFAULT_WARMUP_FRACTION);
  const largest = largestByDuration(schedule.durationMs, warmup);
  const run = (policy: SimulatedPolicy, functionSettings?: ReadonlyMap<string, FunctionSettings>): PolicyRun =>
    runPolicy(schedule, policy, { slots: SLOTS, functionSettings, predictor });
  const metrics = (policyRun: PolicyRun): PolicyMetrics => summarizeRun(schedule, policyRun, warmup, largest).metrics;
  const measure = (policyRun: PolicyRun, settings: ReadonlyMap<string, FunctionSettings>): FairnessMetrics =>
    summarizeFairness(schedule, policyRun, warmup, { functionSettings: settings, cappedSlots: CAPPED_SLOTS });
  const deadlines = plans.deadlines.settings;
  const fifo = run({ name: 'fifo' });
  const plain = run(AGING_SRTF);
  const tierFigures = (tiers: ReadonlyMap<string, FunctionSettings>): TierFigures => ({
    untiered: measure(plain, tiers),
    tiered: measure(run(AGING_SRTF, tiers), tiers),
  });
  return {
    seed,
    fifo: metrics(fifo),
    oracle: metrics(run({ name: 'oracle' })),
    agingSrtf: metrics(plain),
    tierPlans: { mostWork: tierFigures(plans.tiers.mostWork.settings), random: tierFigures(plans.tiers.random.settings) },
    fifoDeadlines: measure(fifo, deadlines),
    untargeted: measure(plain, deadlines),
    targeted: measure(run(AGING_SRTF, deadlines), deadlines),
  };
}
