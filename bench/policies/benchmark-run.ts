import type { PolicyName } from '@shortline/core';
import type { LagVerdict } from '@shortline/load';
import type { RunMachine } from '../lib/run-header.js';
import type { BenchmarkSchedule } from './benchmark-schedule.js';
import type { LiveSummary } from './live-summary.js';
import type { PoliciesSettings } from './policies-options.js';
import type { SimulatedOutcome } from './simulate-schedule.js';
import type { SizeBucket } from './size-buckets.js';

/** One policy's run: live through the proxy and simulated, on the same schedule. */
export interface PolicyOutcome {
  readonly name: PolicyName;
  /** The parameters the live proxy reported at /debug/queue (the simulator was given the same). */
  readonly parameters: Readonly<Record<string, number>>;
  readonly live: LiveSummary;
  readonly lag: LagVerdict;
  readonly simulated: SimulatedOutcome;
  /** p99 latency per size bucket, in the order of BenchmarkRun.buckets. */
  readonly bucketP99: { readonly liveMs: readonly number[]; readonly simulatedMs: readonly number[] };
  /** Wall time of the live run, from the first due time to the last answer. */
  readonly wallMs: number;
}

/** Everything a report is made of. */
export interface BenchmarkRun {
  readonly settings: PoliciesSettings;
  /** The command line as given, to repeat the run. */
  readonly command: string;
  readonly startedAt: string;
  readonly machine: RunMachine;
  readonly schedule: BenchmarkSchedule;
  readonly warmup: number;
  readonly buckets: readonly SizeBucket[];
  readonly policies: readonly PolicyOutcome[];
}

/** A run is valid when the generator kept to the schedule for every policy. */
export function runProblems(run: BenchmarkRun): string[] {
  return run.policies.flatMap((policy) => policy.lag.problems.map((problem) => `${policy.name}: ${problem}`));
}
