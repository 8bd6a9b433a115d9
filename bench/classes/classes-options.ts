import { numberArg, parseBenchArgs, RUN_OPTIONS, runSettings, type RunSettings } from '../lib/bench-args.js';

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

export interface ClassesSettings extends RunSettings {
  readonly load: number;
  readonly slots: number;
  readonly invocations: number;
  readonly durationS: number;
  readonly floorMs: number;
}

const OPTIONS = {
  load: { type: 'string' },
  slots: { type: 'string' },
  invocations: { type: 'string' },
  duration: { type: 'string' },
  'min-duration-ms': { type: 'string' },
  ...RUN_OPTIONS,
} as const;

/** The settings from command-line arguments, or undefined when --help was asked for. Throws BenchUsageError. */
export function parseClassesArgs(args: readonly string[]): ClassesSettings | undefined {
  const values = parseBenchArgs(args, OPTIONS);
  if (values === undefined) return undefined;
  return {
    load: numberArg(values, 'load', { integer: false, min: 0, above: true }) ?? 0.8,
    slots: numberArg(values, 'slots', { integer: true, min: 1 }) ?? 2,
    invocations: numberArg(values, 'invocations', { integer: true, min: 10 }) ?? 2000,
    durationS: numberArg(values, 'duration', { integer: false, min: 0, above: true }) ?? 60,
    floorMs: numberArg(values, 'min-duration-ms', { integer: false, min: 0 }) ?? 2,
    ...runSettings(values),
  };
}
