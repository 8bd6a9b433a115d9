import type { LagVerdict } from '@shortline/load';
import type { ConcurrencyState } from '@shortline/core';
import type { AnswerCount, ArmFigures } from './arm-figures.js';
import type { Arm } from './case-plan.js';
import type { CasePhases, ConcurrencyCase } from './concurrency-cases.js';
import type { ControllerLearning } from './controller-learning.js';
import type { LimitSample } from './limit-watch.js';

/** Shortline over direct in one round: each ratio compares two runs of the same calls minutes apart at most. */
export interface RoundRatios {
  readonly round: number;
  readonly seed: number;
  readonly order: readonly Arm[];
  readonly meanRatio: number;
  readonly p99Ratio: number;
  readonly throughputRatio: number;
  /** Shortline's median minus direct's, ms. */
  readonly medianAddedMs: number;
}

/** The simulator on the same schedules: "none" is no limit (direct), "auto" the learnt limit. */
export interface SimulatedCase {
  readonly none: ArmFigures;
  readonly auto: ArmFigures;
  /** What auto had learnt at the end of each round's run. */
  readonly learnt: readonly (ConcurrencyState | undefined)[];
  /** With a capacity change, per round. */
  readonly followedAfterMs: readonly (number | undefined)[];
  /** When auto first had a limit or budget in force, per round (ms of model time). */
  readonly limitedFromMs: readonly (number | undefined)[];
}

export interface CaseOutcome {
  readonly spec: ConcurrencyCase;
  readonly phases: CasePhases;
  readonly ratePerSec: number;
  readonly invocationsPerRound: readonly number[];
  readonly warmupPerRound: readonly number[];
  readonly live: Readonly<Record<Arm, ArmFigures>>;
  readonly answers: Readonly<Record<Arm, AnswerCount>>;
  readonly lag: Readonly<Record<Arm, LagVerdict>>;
  readonly rounds: readonly RoundRatios[];
  /** Shortline's controller, per round. */
  readonly learning: readonly ControllerLearning[];
  /** Its samples, per round (for the JSON and anyone charting the limit). */
  readonly limitSamples: readonly (readonly LimitSample[])[];
  /** With a capacity change: when the backend answered the PUT, per round and arm (schedule clock). */
  readonly changedAtMs: readonly Readonly<Record<Arm, number | undefined>>[];
  readonly simulated: SimulatedCase;
}

/** A case is valid when the generator kept to the schedule for both arms. */
export function caseProblems(outcome: CaseOutcome): string[] {
  return (['direct', 'shortline'] as const).flatMap((arm) => outcome.lag[arm].problems.map((problem) => `${outcome.spec.name} ${arm}: ${problem}`));
}
