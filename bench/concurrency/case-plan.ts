import { createMixSchedule, type Schedule } from '@shortline/sim';
import { roundOrder } from '../overhead/rounds.js';
import { caseRate, type CasePhases, type ConcurrencyCase } from './concurrency-cases.js';
import { createTwoRouteWorkload } from './two-route-workload.js';

/** Who answers the calls: the backend reached directly (Knative's CC=0), or Shortline in front of it. */
export const ARMS = ['direct', 'shortline'] as const;
export type Arm = (typeof ARMS)[number];

/** What one round of a case sends, the same to both arms. */
export interface RoundPlan {
  readonly round: number;
  readonly seed: number;
  readonly schedule: Schedule;
  /** Invocations before this index arrive during the warm-up and are not counted. */
  readonly warmup: number;
  readonly warmupMs: number;
  /** When, after the first due time, the backend's capacity changes; undefined for no change. */
  readonly changeAtMs: number | undefined;
  /** The arms in the order this round runs them: rotated each round. */
  readonly order: readonly Arm[];
}

/**
 * Round `round` of a case: Poisson arrivals at the case's rate over warm-up plus counted phase (seed
 * `seed + round`, so rounds differ and both arms of a round get the same calls), and the arms rotated
 * so that neither always runs first on a machine whose load drifts.
 */
export function planRound(spec: ConcurrencyCase, phases: CasePhases, seed: number, round: number): RoundPlan {
  const rate = caseRate(spec);
  const invocations = Math.max(1, Math.round(rate * (phases.warmupS + phases.measuredS)));
  const schedule = createMixSchedule(createTwoRouteWorkload(spec.workload), { invocations, slots: spec.slots, load: spec.load, seed: seed + round });
  const warmupMs = 1000 * phases.warmupS;
  let warmup = 0;
  while (warmup < invocations && (schedule.arrivalMs[warmup] as number) < warmupMs) warmup++;
  return {
    round,
    seed: seed + round,
    schedule,
    warmup,
    warmupMs,
    changeAtMs: spec.capacityChange === undefined ? undefined : warmupMs + 1000 * spec.capacityChange.afterS,
    order: roundOrder(ARMS, round),
  };
}
