import type { RequestModelStats } from '@shortline/core';
import type { LagVerdict } from '@shortline/load';
import type { PolicyResult } from '@shortline/sim';
import type { LiveRecords, LiveSummary } from '../policies/live-summary.js';
import type { SimulatedOutcome } from '../policies/simulate-schedule.js';
import type { ClassesSettings } from './classes-options.js';
import type { ClassesRunPlan } from './classes-runs.js';
import type { RouteGroup } from './route-groups.js';
import type { ServiceSchedule } from './service-schedule.js';

/** One run of the schedule: live through the proxy and simulated. */
export interface ClassesRunOutcome {
  readonly plan: ClassesRunPlan;
  /** The policy parameters the live proxy reported at /debug/queue (the simulator was given the same). */
  readonly parameters: Readonly<Record<string, number>>;
  readonly live: LiveSummary;
  readonly records: LiveRecords;
  readonly lag: LagVerdict;
  readonly simulated: SimulatedOutcome;
  /** Answered calls whose duration, as the backend computed it, is not the schedule's. */
  readonly durationMismatches: number;
  /** What the proxy's predictor learnt for the service's function, read from /debug/queue at the end of the run. */
  readonly learnt: RequestModelStats | undefined;
  /** From the first due time to the last answer. */
  readonly wallMs: number;
}

/** Everything a report is made of. */
export interface ClassesBenchmarkRun {
  readonly settings: ClassesSettings;
  /** The command line as given, to repeat the run. */
  readonly command: string;
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly loadAverageBefore: number; readonly loadAverageAfter: number };
  readonly schedule: ServiceSchedule;
  readonly warmup: number;
  readonly routes: readonly RouteGroup[];
  readonly runs: readonly ClassesRunOutcome[];
  /** The simulator's own oracle on the schedule (sept told every true duration): the lower bound. */
  readonly simulatedOracle: PolicyResult;
}

/** A run is valid when the generator kept to the schedule and the backend gave every call its scheduled duration. */
export function classesRunProblems(run: ClassesBenchmarkRun): string[] {
  return run.runs.flatMap((outcome) => [
    ...outcome.lag.problems.map((problem) => `${outcome.plan.name}: ${problem}`),
    ...(outcome.durationMismatches === 0 ? [] : [`${outcome.plan.name}: ${outcome.durationMismatches} calls took another duration than the schedule's`]),
  ]);
}
