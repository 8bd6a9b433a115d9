import type { RunMachine } from '../lib/run-header.js';
import type { CaseOutcome } from './case-outcome.js';
import type { CaseName } from './concurrency-cases.js';
import type { ConcurrencySettings } from './concurrency-options.js';

/** Everything a report is made of. */
export interface ConcurrencyRun {
  readonly settings: ConcurrencySettings;
  /** The command line as given, to repeat the run. */
  readonly command: string;
  readonly startedAt: string;
  readonly machine: RunMachine;
  readonly policy: string;
  readonly cases: readonly CaseOutcome[];
}

/** The files of a report folder. */
export const CONCURRENCY_FILES = {
  markdown: 'report.md',
  json: 'report.json',
  cdf: (name: CaseName): string => `latency-cdf-${name}.svg`,
  config: (name: CaseName): string => `shortline-${name}.yaml`,
} as const;
