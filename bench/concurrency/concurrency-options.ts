import { nameListArg, numberArg, parseBenchArgs, RUN_OPTIONS, runSettings, type RunSettings } from '../lib/bench-args.js';
import { CASE_NAMES, type CaseName } from './concurrency-cases.js';

export const HELP = `usage: npm run bench:concurrency -- [options]

Learnt concurrency live: for each case, the same open-loop schedule of short (5 ms) and long
(250 ms) calls on two routes is sent to a modelled sample backend directly (Knative's
containerConcurrency 0) and through \`shortline serve\` with \`concurrency: auto\` and aging-srtf,
side by side in rounds whose order rotates; the simulator runs the same schedules. Writes report.md,
report.json and latency charts to bench/results/<time>/ and prints that folder as the last line.

  --cases LIST           comma-separated, from ${CASE_NAMES.join(', ')} (default: all)
  --rounds N             rounds per case, each arm once per round (default 2; --quick: 1)
  --quick                short mode: one round, shorter phases (about 2 minutes in all)
  --seed S               round r uses seed S + r (default 1)
  --max-lag-p99-ms MS    a case is invalid if the generator's p99 send lag exceeds this (default 5)
  --max-lag-ms MS        ... or if any send is later than this (default 50)
  --out DIR              parent folder of the results (default: bench/results in the repository)
  -h, --help             this text

Exit status: 0 done, 1 could not run, 2 bad option, 3 invalid (the generator fell behind).
`;

export interface ConcurrencySettings extends RunSettings {
  readonly cases: readonly CaseName[];
  readonly rounds: number;
  readonly quick: boolean;
}

const OPTIONS = {
  cases: { type: 'string' },
  rounds: { type: 'string' },
  quick: { type: 'boolean' },
  ...RUN_OPTIONS,
} as const;

/** The settings from command-line arguments, or undefined when --help was asked for. Throws BenchUsageError. */
export function parseConcurrencyArgs(args: readonly string[]): ConcurrencySettings | undefined {
  const values = parseBenchArgs(args, OPTIONS);
  if (values === undefined) return undefined;
  const quick = values.quick === true;
  return {
    cases: nameListArg(values, 'cases', 'case', CASE_NAMES, CASE_NAMES),
    rounds: numberArg(values, 'rounds', { integer: true, min: 1 }) ?? (quick ? 1 : 2),
    quick,
    ...runSettings(values),
  };
}
