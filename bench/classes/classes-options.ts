import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchUsageError } from '../lib/bench-usage-error.js';
import { numberOption as sharedNumberOption, type NumberRule } from '../lib/number-option.js';
import { repositoryRoot } from '../lib/repository-root.js';

export const HELP = `usage: npm run bench:classes -- [options]

One service with several routes and a size-dependent POST, all in ONE function (a catch-all, the
way the sidecar sees a Knative revision), through a real Shortline (its own process) in front of a
real backend (its own process) that computes each call's duration from the request it receives.
Three runs on the same open-loop schedule: fifo; aging-srtf with the request classes it learns; and
a live oracle, aging-srtf told each call's true duration through the trusted X-Shortline-Expected-Ms
hint. The simulator runs the same schedule beside them. Writes report.md, report.json, latency CDFs
and a per-invocation record file to bench/results/classes-<time>/ and prints that folder last.

workload (the simulator's \`--synthetic service\`):
  --load RHO             offered load on the slots (default 0.8)
  --slots N              the proxy's concurrency for the one backend (containerConcurrency; default 2)
  --invocations N        invocations per run; the first 10% are warm-up, not counted (default 2000)
  --duration S           arrivals span about S seconds per run: the workload's time is scaled to fit
                         (default 60)
  --min-duration-ms MS   scaled durations are raised to at least this (default 2)
  --seed S               same seed, same invocations (default 1)

run:
  --max-lag-p99-ms MS    the run is invalid if the generator's p99 send lag exceeds this (default 5)
  --max-lag-ms MS        ... or if any send is later than this (default 50)
  --out DIR              parent folder of the results (default: bench/results in the repository)
  -h, --help             this text

Exit status: 0 done, 1 could not run (a process failed), 2 bad option, 3 the run is invalid (the
generator fell behind the schedule, or the backend's durations were not the schedule's).
`;

export interface ClassesSettings {
  readonly load: number;
  readonly slots: number;
  readonly invocations: number;
  readonly durationS: number;
  readonly floorMs: number;
  readonly seed: number;
  readonly maxLagP99Ms: number;
  readonly maxLagMs: number;
  readonly outDir: string;
}

const OPTIONS = {
  load: { type: 'string' },
  slots: { type: 'string' },
  invocations: { type: 'string' },
  duration: { type: 'string' },
  'min-duration-ms': { type: 'string' },
  seed: { type: 'string' },
  'max-lag-p99-ms': { type: 'string' },
  'max-lag-ms': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** The settings from command-line arguments, or undefined when --help was asked for. Throws BenchUsageError. */
export function parseClassesArgs(args: readonly string[]): ClassesSettings | undefined {
  let values: Partial<Record<OptionName, string | boolean | undefined>>;
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.help === true) return undefined;
  const number = (name: Exclude<OptionName, 'help'>, rule: NumberRule): number | undefined => {
    const raw = values[name];
    return sharedNumberOption(name, typeof raw === 'string' ? raw : undefined, rule, (message) => new BenchUsageError(message));
  };
  const out = values.out;
  return {
    load: number('load', { integer: false, min: 0, above: true }) ?? 0.8,
    slots: number('slots', { integer: true, min: 1 }) ?? 2,
    invocations: number('invocations', { integer: true, min: 10 }) ?? 2000,
    durationS: number('duration', { integer: false, min: 0, above: true }) ?? 60,
    floorMs: number('min-duration-ms', { integer: false, min: 0 }) ?? 2,
    seed: number('seed', { integer: true, min: 0 }) ?? 1,
    maxLagP99Ms: number('max-lag-p99-ms', { integer: false, min: 0, above: true }) ?? 5,
    maxLagMs: number('max-lag-ms', { integer: false, min: 0, above: true }) ?? 50,
    outDir: typeof out === 'string' ? out : join(repositoryRoot(), 'bench', 'results'),
  };
}
