import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { POLICY_NAMES, type PolicyName } from '@shortline/core';
import { createSyntheticWorkload, parseSyntheticSpec, SyntheticSpecError, type SyntheticSpec } from '@shortline/sim';
import { nameListArg, numberArg, parseBenchArgs, RUN_OPTIONS, runSettings, textArg, type BenchValues, type RunSettings } from '../lib/bench-args.js';
import { BenchUsageError } from '../lib/bench-usage-error.js';
import { repositoryRoot } from '../lib/repository-root.js';

export const HELP = `usage: npm run bench:policies -- [options]

Sends one schedule of invocations, for each policy, through a real Shortline (its own process) in
front of real sample function servers (their own processes), and simulates the same schedule;
writes report.md, report.json, charts and a per-invocation record file to bench/results/<time>/ and
prints that folder as the last line.

workload (the same sources as \`shortline simulate\`):
  --trace DIR            Azure Functions 2019 trace folder (default: ../shared/traces/azure2019-100
                         next to the repository)
  --mode mix|replay      mix (default): Poisson arrivals by share; replay: the per-minute counts in order
  --synthetic SPEC       instead of a trace, e.g. bimodal:short=20,long=2000 (see shortline simulate --help)
  --load RHO             offered load on the slots (default 0.8)
  --invocations N        invocations per policy; the first 10% are warm-up, not counted (default 2000)
  --duration S           arrivals span about S seconds per policy: the workload's time is scaled to fit
                         (default 60)
  --min-duration-ms MS   scaled durations are raised to at least this (default 2)
  --seed S               same seed, same invocations (default 1)

proxy and functions:
  --policies LIST        comma-separated, from ${POLICY_NAMES.join(', ')} (default fifo,aging-srtf)
  --slots N              slots of the one pool (default 4 with sleep, the number of CPUs with spin)
  --handler sleep|spin   sleep: one backend that waits (I/O-bound), concurrency N;
                         spin: N backends that keep a CPU busy (CPU-bound), concurrency 1 each
  --prior default|trace-average
                         a function's first prediction: the predictor's prior (scaled), or the
                         trace's Average column (scaled); the same in the proxy and the simulator

run:
  --quick                short mode for \`npm run bench\`: --duration 12 --invocations 1000 unless given
  --max-lag-p99-ms MS    the run is invalid if the generator's p99 send lag exceeds this (default 5)
  --max-lag-ms MS        ... or if any send is later than this (default 50)
  --out DIR              parent folder of the results (default: bench/results in the repository)
  -h, --help             this text

Exit status: 0 done, 1 could not run (bad trace, a process failed), 2 bad option, 3 the run is
invalid because the generator could not keep to the schedule.
`;

export type WorkloadSource =
  | { readonly kind: 'trace'; readonly dir: string; readonly mode: 'mix' | 'replay' }
  | { readonly kind: 'synthetic'; readonly text: string; readonly spec: SyntheticSpec };

export type FunctionHandler = 'sleep' | 'spin';

export interface PoliciesSettings extends RunSettings {
  readonly source: WorkloadSource;
  readonly load: number;
  readonly invocations: number;
  readonly durationS: number;
  readonly floorMs: number;
  readonly policies: readonly PolicyName[];
  readonly slots: number;
  readonly handler: FunctionHandler;
  readonly prior: 'default' | 'trace-average';
  readonly quick: boolean;
}

/** The defaults are found from the repository, wherever the command runs. */
const defaultTrace = (): string => join(repositoryRoot(), '..', 'shared', 'traces', 'azure2019-100');
export const DEFAULT_POLICIES: readonly PolicyName[] = ['fifo', 'aging-srtf'];

const OPTIONS = {
  trace: { type: 'string' },
  mode: { type: 'string' },
  synthetic: { type: 'string' },
  load: { type: 'string' },
  invocations: { type: 'string' },
  duration: { type: 'string' },
  'min-duration-ms': { type: 'string' },
  policies: { type: 'string' },
  slots: { type: 'string' },
  handler: { type: 'string' },
  prior: { type: 'string' },
  quick: { type: 'boolean' },
  ...RUN_OPTIONS,
} as const;

function parseSource(values: BenchValues): WorkloadSource {
  const synthetic = textArg(values, 'synthetic');
  const dir = textArg(values, 'trace');
  if (synthetic !== undefined && dir !== undefined) throw new BenchUsageError('give --trace DIR or --synthetic SPEC, not both');
  const mode = textArg(values, 'mode') ?? 'mix';
  if (mode !== 'mix' && mode !== 'replay') throw new BenchUsageError(`--mode must be mix or replay, got "${mode}"`);
  if (synthetic === undefined) return { kind: 'trace', dir: dir ?? defaultTrace(), mode };
  if (mode === 'replay') throw new BenchUsageError('--mode replay needs a trace (a synthetic workload has no minutes to replay)');
  try {
    const spec = parseSyntheticSpec(synthetic);
    createSyntheticWorkload(spec);
    return { kind: 'synthetic', text: synthetic, spec };
  } catch (error) {
    if (error instanceof SyntheticSpecError) throw new BenchUsageError(`--synthetic: ${error.message}`);
    throw error;
  }
}

/** The settings from command-line arguments, or undefined when --help was asked for. Throws BenchUsageError. */
export function parsePoliciesArgs(args: readonly string[]): PoliciesSettings | undefined {
  const values = parseBenchArgs(args, OPTIONS);
  if (values === undefined) return undefined;
  const source = parseSource(values);
  const handlerText = textArg(values, 'handler') ?? 'sleep';
  if (handlerText !== 'sleep' && handlerText !== 'spin') throw new BenchUsageError(`--handler must be sleep or spin, got "${handlerText}"`);
  const prior = textArg(values, 'prior') ?? 'default';
  if (prior !== 'default' && prior !== 'trace-average') throw new BenchUsageError(`--prior must be default or trace-average, got "${prior}"`);
  if (prior === 'trace-average' && source.kind !== 'trace') throw new BenchUsageError('--prior trace-average needs a trace');
  const quick = values.quick === true;
  return {
    source,
    load: numberArg(values, 'load', { integer: false, min: 0, above: true }) ?? 0.8,
    invocations: numberArg(values, 'invocations', { integer: true, min: 10 }) ?? (quick ? 1000 : 2000),
    durationS: numberArg(values, 'duration', { integer: false, min: 0, above: true }) ?? (quick ? 12 : 60),
    floorMs: numberArg(values, 'min-duration-ms', { integer: false, min: 0 }) ?? 2,
    policies: nameListArg(values, 'policies', 'policy', POLICY_NAMES, DEFAULT_POLICIES),
    slots: numberArg(values, 'slots', { integer: true, min: 1 }) ?? (handlerText === 'spin' ? availableParallelism() : 4),
    handler: handlerText,
    prior,
    quick,
    ...runSettings(values),
  };
}
