import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchUsageError } from '../lib/bench-usage-error.js';
import { numberOption as parseNumber, type NumberRule } from '../lib/number-option.js';
import { repositoryRoot } from '../lib/repository-root.js';
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

export interface ConcurrencySettings {
  readonly cases: readonly CaseName[];
  readonly rounds: number;
  readonly quick: boolean;
  readonly seed: number;
  readonly maxLagP99Ms: number;
  readonly maxLagMs: number;
  readonly outDir: string;
}

const OPTIONS = {
  cases: { type: 'string' },
  rounds: { type: 'string' },
  quick: { type: 'boolean' },
  seed: { type: 'string' },
  'max-lag-p99-ms': { type: 'string' },
  'max-lag-ms': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: string | boolean | undefined };

function numberOption(values: Values, name: keyof typeof OPTIONS, rule: NumberRule): number | undefined {
  const raw = values[name];
  return parseNumber(name, typeof raw === 'string' ? raw : undefined, rule, (message) => new BenchUsageError(message));
}

function parseCases(raw: string | undefined): CaseName[] {
  if (raw === undefined) return [...CASE_NAMES];
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new BenchUsageError('--cases is empty');
  return names.map((name, index) => {
    if (!(CASE_NAMES as readonly string[]).includes(name)) throw new BenchUsageError(`--cases: unknown case "${name}"; known: ${CASE_NAMES.join(', ')}`);
    if (names.indexOf(name) !== index) throw new BenchUsageError(`--cases names ${name} twice`);
    return name as CaseName;
  });
}

/** The settings from command-line arguments, or undefined when --help was asked for. Throws BenchUsageError. */
export function parseConcurrencyArgs(args: readonly string[]): ConcurrencySettings | undefined {
  let values: Values;
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.help === true) return undefined;
  const quick = values.quick === true;
  return {
    cases: parseCases(typeof values.cases === 'string' ? values.cases : undefined),
    rounds: numberOption(values, 'rounds', { integer: true, min: 1 }) ?? (quick ? 1 : 2),
    quick,
    seed: numberOption(values, 'seed', { integer: true, min: 0 }) ?? 1,
    maxLagP99Ms: numberOption(values, 'max-lag-p99-ms', { integer: false, min: 0, above: true }) ?? 5,
    maxLagMs: numberOption(values, 'max-lag-ms', { integer: false, min: 0, above: true }) ?? 50,
    outDir: typeof values.out === 'string' ? values.out : join(repositoryRoot(), 'bench', 'results'),
  };
}
