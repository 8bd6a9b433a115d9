import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { AGING_SRTF_DEFAULTS, createPolicy, isPolicyName, POLICY_NAMES, PolicyParameterError, type PolicySpec } from '@shortline/core';
import { ConfigError, functionOptions, loadConfigFile, policySpec, type ShortlineConfig } from '@shortline/proxy';
import {
  createBurstySchedule,
  createFairnessReport,
  createMixSchedule,
  createRecordsSchedule,
  createReplaySchedule,
  createSimulationReport,
  createSyntheticWorkload,
  createTraceWorkload,
  formatFairnessTables,
  formatResultTable,
  loadAzureTrace,
  ORACLE,
  parseSyntheticSpec,
  readRecords,
  renderLatencyCdfSvg,
  runSimulation,
  SyntheticSpecError,
  TraceFileError,
  TraceFormatError,
  type FunctionSettings,
  ContainerSpecError,
  type PriorSource,
  type Schedule,
  type SimulatedPolicy,
  type SimulationResult,
  type SyntheticSpec,
} from '@shortline/sim';
import type { Command } from '../command.js';
import { CONTAINER_HELP, defaultSlotsFor, parseContainerSettings, writeContainerComparison, type ContainerSettings } from './simulate-container.js';
import type { SimulateIo, TextOutput } from './simulate-io.js';

export type { SimulateIo, TextOutput } from './simulate-io.js';

const ALL_POLICIES = [...POLICY_NAMES, ORACLE];

const HELP = `usage: shortline simulate (--trace DIR | --synthetic KIND[:key=value,...] | --records FILE) [options]

Runs one workload through every scheduling policy of the proxy (the same core code) on a virtual
clock, with one pool of N slots, and compares latency and slowdown against an oracle. With --backend,
it puts one modelled container behind the scheduler instead and compares concurrency settings.

workload:
  --trace DIR            Azure Functions 2019 trace folder: invocations.csv and durations.csv, or
                         invocations_per_function_md.anon.dNN.csv and function_durations_percentiles.anon.dNN.csv
  --day N                with a full-trace folder: which day (default: the first found)
  --mode mix|replay|bursty
                         mix (default): Poisson arrivals, functions drawn by their share;
                         replay: the per-minute counts in order, time-scaled to the load;
                         bursty: Poisson arrivals at twice the mean rate for the first 2.5 minutes of
                         every 10 and at two thirds of it for the rest
  --synthetic SPEC       no trace: exponential[:mean=100] | constant[:mean=100] |
                         lognormal[:median=100,sigma=1.5] | pareto[:min=10,alpha=1.5] |
                         bimodal[:short=20,long=2000,long-share=0.05,sigma=0.25];
                         every kind above also takes functions=10 (equal-probability size bands, one function each);
                         one function whose calls carry request features (route, query, size, CloudEvent type):
                         service[:sigma=0.25] (routes, a report by range, an upload and a thumbnail by size) |
                         upload[:fixed-ms=3,bytes-per-ms=10000,min-bytes=1000,max-bytes=8000000,sigma=0.25] |
                         events[:types=8,short=5,long=2000,sigma=0.25] (POST / told apart by CloudEvent type)
  --records FILE         no trace: the records.csv of a \`shortline load\` run (docs/load-records.md): its
                         successful invocations arrive when they were scheduled and take their
                         Server-Timing upstream time (else their latency); route and body size go along.
                         --load, --mode and --day do not apply; --invocations keeps the first N

simulation:
  --config FILE          a configuration in the schema of shortline serve: each function of the workload
                         named in functions: takes its priority and deadlineMs from it, and the
                         scheduler: section sets the policy parameters (the options below override them)
  --slots N              slots of the single pool (default 16)
  --load RHO             offered load: arrival rate x mean true duration / slots (default 0.9)
  --invocations N        invocations to simulate; the first 10% are warm-up, not counted
                         (default 200000; with --records, all of them)
  --seed S               random seed; the same seed gives the same result (default 1)
  --policies LIST        comma-separated, from ${ALL_POLICIES.join(', ')} (default: all)
  --prior P              first prediction of a function: default (the predictor's default),
                         trace-average (the trace's Average column), or a number of ms
  --aging-factor X       aging-srtf (default ${AGING_SRTF_DEFAULTS.agingFactor})
  --fifo-factor X        aging-srtf: cap a call once it waited X times the recent longest FIFO wait (default ${AGING_SRTF_DEFAULTS.fifoFactor})
  --fifo-memory-ms MS    aging-srtf: a FIFO wait counts e times less in that every MS (default ${AGING_SRTF_DEFAULTS.fifoMemoryMs})
  --max-wait-ms MS       aging-srtf hard wait cap, a backstop (default ${AGING_SRTF_DEFAULTS.maxWaitMs})
  --capped-share S       aging-srtf: most of the slots capped calls take ahead of the others, in (0, 1] (default ${AGING_SRTF_DEFAULTS.cappedShare})
  --aging-rate X         linear-aging: rank lost per ms waited (default 0.1)
  --without-features     drop the calls' request features: each is predicted by its function alone

${CONTAINER_HELP}
output:
  --json                 one JSON object on stdout instead of the table
  --svg FILE             also write a latency CDF chart (log scale) to FILE
  -h, --help             this text
`;

const OPTIONS = {
  trace: { type: 'string' },
  day: { type: 'string' },
  mode: { type: 'string' },
  synthetic: { type: 'string' },
  records: { type: 'string' },
  config: { type: 'string' },
  slots: { type: 'string' },
  load: { type: 'string' },
  invocations: { type: 'string' },
  seed: { type: 'string' },
  policies: { type: 'string' },
  prior: { type: 'string' },
  'aging-factor': { type: 'string' },
  'fifo-factor': { type: 'string' },
  'max-wait-ms': { type: 'string' },
  'fifo-memory-ms': { type: 'string' },
  'capped-share': { type: 'string' },
  'aging-rate': { type: 'string' },
  'without-features': { type: 'boolean' },
  backend: { type: 'string' },
  concurrency: { type: 'string' },
  'capacity-change': { type: 'string' },
  json: { type: 'boolean' },
  svg: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;
type Values = Partial<Record<OptionName, string | boolean>>;

/** Bad command-line input: exit 2 with a message naming the option. */
class UsageError extends Error {
  readonly code = 'SHORTLINE_USAGE';
}

type Source =
  | { readonly kind: 'trace'; readonly dir: string; readonly day: number | undefined; readonly mode: ArrivalMode }
  | { readonly kind: 'synthetic'; readonly text: string; readonly spec: SyntheticSpec; readonly mode: ArrivalMode }
  | { readonly kind: 'records'; readonly file: string };

type ArrivalMode = 'mix' | 'replay' | 'bursty';
const ARRIVAL_MODES: readonly string[] = ['mix', 'replay', 'bursty'] satisfies ArrivalMode[];

interface Settings {
  readonly source: Source;
  readonly slots: number;
  readonly load: number;
  /** Undefined: the default of the source (all the records, else DEFAULT_INVOCATIONS). */
  readonly invocations: number | undefined;
  readonly seed: number;
  readonly policies: readonly SimulatedPolicy[];
  readonly prior: PriorSource;
  readonly priorMs: number | undefined;
  readonly withoutFeatures: boolean;
  readonly json: boolean;
  readonly svg: string | undefined;
  readonly config: string | undefined;
  /** With --backend: one modelled container, compared across concurrency settings. */
  readonly container: ContainerSettings | undefined;
}

function text(values: Values, name: OptionName): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function numberOption(values: Values, name: OptionName, rule: { integer: boolean; min: number; above?: boolean }): number | undefined {
  const raw = text(values, name);
  if (raw === undefined) return undefined;
  const value = raw.trim() === '' ? NaN : Number(raw);
  const inRange = rule.above === true ? value > rule.min : value >= rule.min;
  if (!(Number.isFinite(value) && inRange && (!rule.integer || Number.isSafeInteger(value)))) {
    const kind = rule.integer ? 'an integer' : 'a number';
    throw new UsageError(`--${name} must be ${kind} ${rule.above === true ? '>' : '>='} ${rule.min}, got "${raw}"`);
  }
  return value;
}

const DEFAULT_INVOCATIONS = 200_000;

function parseSource(values: Values): Source {
  const dir = text(values, 'trace');
  const synthetic = text(values, 'synthetic');
  const records = text(values, 'records');
  if ([dir, synthetic, records].filter((given) => given !== undefined).length !== 1) {
    throw new UsageError('give exactly one of --trace DIR, --synthetic KIND or --records FILE');
  }
  if (records !== undefined) {
    const inapplicable = (['load', 'mode', 'day'] as const).filter((name) => values[name] !== undefined);
    if (inapplicable.length > 0) throw new UsageError(`--records: the records say when each invocation arrives; drop --${inapplicable.join(', --')}`);
    return { kind: 'records', file: records };
  }
  const mode = text(values, 'mode') ?? 'mix';
  if (!ARRIVAL_MODES.includes(mode)) throw new UsageError(`--mode must be mix, replay or bursty, got "${mode}"`);
  const day = numberOption(values, 'day', { integer: true, min: 1 });
  if (synthetic !== undefined) {
    if (mode === 'replay') throw new UsageError('--mode replay needs --trace (a synthetic workload has no minutes to replay)');
    if (day !== undefined) throw new UsageError('--day needs --trace');
    try {
      return { kind: 'synthetic', text: synthetic, spec: validSyntheticSpec(synthetic), mode: mode as ArrivalMode };
    } catch (error) {
      if (error instanceof SyntheticSpecError) throw new UsageError(`--synthetic: ${error.message}`);
      throw error;
    }
  }
  return { kind: 'trace', dir: dir as string, day, mode: mode as ArrivalMode };
}

/** Parses and checks a synthetic spec now, so that a typo fails before any work is done. */
function validSyntheticSpec(spec: string): SyntheticSpec {
  const parsed = parseSyntheticSpec(spec);
  createSyntheticWorkload(parsed);
  return parsed;
}

const PARAMETER_OPTIONS: Record<string, OptionName> = {
  agingFactor: 'aging-factor',
  fifoFactor: 'fifo-factor',
  maxWaitMs: 'max-wait-ms',
  fifoMemoryMs: 'fifo-memory-ms',
  cappedShare: 'capped-share',
  agingRate: 'aging-rate',
};

function parsePolicies(values: Values, fallback: string): SimulatedPolicy[] {
  const names = (text(values, 'policies') ?? fallback)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new UsageError('--policies is empty');
  const agingFactor = numberOption(values, 'aging-factor', { integer: false, min: 0, above: true });
  const fifoFactor = numberOption(values, 'fifo-factor', { integer: false, min: 0, above: true });
  const maxWaitMs = numberOption(values, 'max-wait-ms', { integer: false, min: 0, above: true });
  const fifoMemoryMs = numberOption(values, 'fifo-memory-ms', { integer: false, min: 0, above: true });
  const cappedShare = numberOption(values, 'capped-share', { integer: false, min: 0, above: true });
  const agingRate = numberOption(values, 'aging-rate', { integer: false, min: 0 });
  const seen = new Set<string>();
  return names.map((name): SimulatedPolicy => {
    if (seen.has(name)) throw new UsageError(`--policies names ${name} twice`);
    seen.add(name);
    if (name === ORACLE) return { name: ORACLE };
    if (!isPolicyName(name)) throw new UsageError(`--policies: unknown policy "${name}"; known: ${ALL_POLICIES.join(', ')}`);
    let spec: PolicySpec;
    if (name === 'aging-srtf') {
      spec = {
        name,
        ...(agingFactor === undefined ? {} : { agingFactor }),
        ...(fifoFactor === undefined ? {} : { fifoFactor }),
        ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
        ...(fifoMemoryMs === undefined ? {} : { fifoMemoryMs }),
        ...(cappedShare === undefined ? {} : { cappedShare }),
      };
    } else if (name === 'linear-aging') spec = { name, ...(agingRate === undefined ? {} : { agingRate }) };
    else spec = { name };
    try {
      createPolicy(spec);
    } catch (error) {
      if (error instanceof PolicyParameterError) throw new UsageError(`--${PARAMETER_OPTIONS[error.parameter] ?? 'policies'}: ${error.message}`);
      throw error;
    }
    return spec;
  });
}

function parsePrior(values: Values, source: Source): { prior: PriorSource; priorMs: number | undefined } {
  const raw = text(values, 'prior') ?? 'default';
  if (raw === 'default') return { prior: 'default', priorMs: undefined };
  if (raw === 'trace-average') {
    if (source.kind !== 'trace') throw new UsageError('--prior trace-average needs --trace');
    return { prior: 'trace-average', priorMs: undefined };
  }
  const priorMs = numberOption({ prior: raw }, 'prior', { integer: false, min: 0 });
  return { prior: 'default', priorMs };
}

function parseContainer(values: Values): ContainerSettings | undefined {
  try {
    return parseContainerSettings(text(values, 'backend'), text(values, 'concurrency'), text(values, 'capacity-change'));
  } catch (error) {
    if (error instanceof ContainerSpecError) throw new UsageError(error.message);
    throw error;
  }
}

function parseSettings(values: Values): Settings {
  const source = parseSource(values);
  const container = parseContainer(values);
  const policies = parsePolicies(values, container === undefined ? ALL_POLICIES.join(',') : 'aging-srtf');
  if (container !== undefined && (policies.length !== 1 || policies[0]?.name === ORACLE)) {
    throw new UsageError('with --backend, --policies names one policy of the proxy (the oracle needs no container)');
  }
  return {
    source,
    slots: numberOption(values, 'slots', { integer: true, min: 1 }) ?? (container === undefined ? 16 : defaultSlotsFor(container.spec)),
    load: numberOption(values, 'load', { integer: false, min: 0, above: true }) ?? 0.9,
    invocations: numberOption(values, 'invocations', { integer: true, min: 1 }),
    seed: numberOption(values, 'seed', { integer: true, min: 0 }) ?? 1,
    policies,
    ...parsePrior(values, source),
    withoutFeatures: values['without-features'] === true,
    json: values.json === true,
    svg: text(values, 'svg'),
    config: text(values, 'config'),
    container,
  };
}

interface Prepared {
  readonly schedule: Schedule;
  readonly policies: readonly SimulatedPolicy[];
  readonly functionSettings: ReadonlyMap<string, FunctionSettings> | undefined;
  readonly label: string;
  readonly source: Record<string, unknown>;
  /** The offered load: as asked, or with --records as realised by the records. */
  readonly load: number;
}

/** The first `invocations` of a schedule (all of it when it has fewer). */
function firstOf(schedule: Schedule, invocations: number): Schedule {
  if (invocations >= schedule.arrivalMs.length) return schedule;
  const durationMs = schedule.durationMs.subarray(0, invocations);
  let sum = 0;
  for (const duration of durationMs) sum += duration;
  return {
    functions: schedule.functions,
    arrivalMs: schedule.arrivalMs.subarray(0, invocations),
    functionIndex: schedule.functionIndex.subarray(0, invocations),
    durationMs,
    meanDurationMs: sum / invocations,
    features: schedule.features?.slice(0, invocations),
  };
}

async function prepareRecords(file: string, settings: Settings, config: ShortlineConfig | undefined): Promise<Prepared> {
  const table = await readRecords(file);
  const loaded = createRecordsSchedule(table);
  const schedule = firstOf(loaded.schedule, settings.invocations ?? Infinity);
  const { arrivalMs } = schedule;
  const spanMs = (arrivalMs[arrivalMs.length - 1] as number) - (arrivalMs[0] as number);
  return {
    schedule,
    ...applyConfig(settings, config, schedule),
    label: `${basename(file)} (records)`,
    source: { records: file, rows: loaded.records, skipped: loaded.skipped, functions: schedule.functions.length },
    load: (schedule.meanDurationMs * arrivalMs.length) / (spanMs * settings.slots),
  };
}

/**
 * The policies with the configuration's scheduler parameters under the command line's, and the
 * configuration's priority and deadline for each function of the workload it names.
 */
function applyConfig(
  settings: Settings,
  config: ShortlineConfig | undefined,
  schedule: Schedule,
): Pick<Prepared, 'policies' | 'functionSettings'> {
  if (config === undefined) return { policies: settings.policies, functionSettings: undefined };
  const policies = settings.policies.map((policy) =>
    policy.name === ORACLE ? policy : ({ ...policySpec({ ...config.scheduler, policy: policy.name }), ...policy } as PolicySpec),
  );
  const names = new Set(schedule.functions.map((fn) => fn.name));
  const functionSettings = new Map<string, FunctionSettings>();
  config.functions.forEach((fn, index) => {
    if (!names.has(fn.name)) throw new UsageError(`--config ${settings.config}: functions[${index}].name ${JSON.stringify(fn.name)} is no function of the workload`);
    const { priority, deadlineMs } = functionOptions(fn);
    functionSettings.set(fn.name, { priority, deadlineMs });
  });
  return { policies, functionSettings };
}

async function prepare(settings: Settings): Promise<Prepared> {
  const { source } = settings;
  const config = settings.config === undefined ? undefined : await loadConfigFile(settings.config);
  if (source.kind === 'records') return prepareRecords(source.file, settings, config);
  const scheduleOptions = { invocations: settings.invocations ?? DEFAULT_INVOCATIONS, slots: settings.slots, load: settings.load, seed: settings.seed };
  if (source.kind === 'synthetic') {
    const workload = createSyntheticWorkload(source.spec);
    const schedule = source.mode === 'bursty' ? createBurstySchedule(workload, scheduleOptions) : createMixSchedule(workload, scheduleOptions);
    return {
      schedule,
      ...applyConfig(settings, config, schedule),
      label: `synthetic ${source.text}${source.mode === 'bursty' ? ' (bursty)' : ''}`,
      source: { synthetic: workload.kind, parameters: workload.parameters },
      load: settings.load,
    };
  }
  const trace = await loadAzureTrace(source.dir, { day: source.day });
  const workload = createTraceWorkload(trace);
  const schedule =
    source.mode === 'replay'
      ? createReplaySchedule(workload, scheduleOptions)
      : source.mode === 'bursty'
        ? createBurstySchedule(workload, scheduleOptions)
        : createMixSchedule(workload, scheduleOptions);
  return {
    schedule,
    ...applyConfig(settings, config, schedule),
    label: `${basename(source.dir)} (${source.mode})`,
    source: {
      trace: source.dir,
      invocationsFile: trace.invocationsFile,
      durationsFile: trace.durationsFile,
      minutes: trace.minutes,
      functions: trace.functions.length,
      traceInvocations: trace.invocations,
      skipped: trace.skipped,
    },
    load: settings.load,
  };
}

function describeInputs(settings: Settings, prepared: Prepared, result: SimulationResult): Record<string, unknown> {
  const { schedule } = prepared;
  const spanMs = schedule.arrivalMs[schedule.arrivalMs.length - 1] as number;
  return {
    source: prepared.source,
    mode: settings.source.kind === 'records' ? 'records' : settings.source.mode,
    slots: settings.slots,
    load: Number(prepared.load.toPrecision(6)),
    invocations: result.invocations,
    warmup: result.warmup,
    counted: result.invocations - result.warmup,
    seed: settings.seed,
    prior: settings.priorMs === undefined ? settings.prior : settings.priorMs,
    requestFeatures: prepared.schedule.features !== undefined && !settings.withoutFeatures,
    meanDurationMs: Number(schedule.meanDurationMs.toPrecision(6)),
    arrivalRatePerSec: Number(((1000 * result.invocations) / spanMs).toPrecision(6)),
    policies: Object.fromEntries(result.policies.map((p) => [p.name, p.parameters])),
  };
}

function progressBar(stderr: TextOutput): ((done: number, total: number) => void) | undefined {
  if (stderr.isTTY !== true) return undefined;
  const width = 40;
  return (done, total) => {
    const filled = Math.round((width * done) / total);
    stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor((100 * done) / total)}%`);
  };
}

function featuresNote(settings: Settings, prepared: Prepared): string {
  if (prepared.schedule.features === undefined) return '';
  return settings.withoutFeatures ? ', request features dropped' : ', request features learnt';
}

function tableHeader(settings: Settings, prepared: Prepared, result: SimulationResult): string {
  const count = (n: number): string => n.toLocaleString('en-US');
  const { schedule } = prepared;
  const asked = settings.invocations ?? (settings.source.kind === 'records' ? result.invocations : DEFAULT_INVOCATIONS);
  const short = result.invocations < asked ? ` (the whole trace; ${count(asked)} asked)` : '';
  return [
    `${prepared.label}: ${count(schedule.functions.length)} functions, ${count(result.invocations)} invocations${short}, first ${count(result.warmup)} not counted`,
    `${settings.slots} slots, load ${Number(prepared.load.toPrecision(3))}, mean true duration ${schedule.meanDurationMs.toFixed(1)} ms, seed ${settings.seed}, prior ${settings.priorMs ?? settings.prior}${featuresNote(settings, prepared)}`,
  ].join('\n');
}

async function run(io: SimulateIo, args: readonly string[]): Promise<number> {
  let settings: Settings;
  try {
    const { values } = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false });
    if (values.help === true) {
      io.stdout.write(HELP);
      return 0;
    }
    settings = parseSettings(values);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      io.stderr.write(`shortline simulate: ${(error as Error).message}\nRun shortline simulate --help for the options.\n`);
      return 2;
    }
    throw error;
  }

  const started = performance.now();
  let prepared: Prepared;
  try {
    prepared = await prepare(settings);
  } catch (error) {
    if (error instanceof TraceFileError || error instanceof TraceFormatError || error instanceof ConfigError) {
      io.stderr.write(`shortline simulate: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`shortline simulate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (settings.container !== undefined) {
    return writeContainerComparison(
      io,
      {
        settings: settings.container,
        schedule: prepared.schedule,
        label: prepared.label,
        policy: settings.policies[0] as PolicySpec,
        prior: settings.prior,
        priorMs: settings.priorMs,
        slots: settings.slots,
        load: settings.load,
        seed: settings.seed,
        json: settings.json,
        svg: settings.svg,
      },
      started,
    );
  }
  const onProgress = progressBar(io.stderr);
  const schedule = settings.withoutFeatures ? { ...prepared.schedule, features: undefined } : prepared.schedule;
  const result = runSimulation(schedule, {
    slots: settings.slots,
    policies: prepared.policies,
    functionSettings: prepared.functionSettings,
    prior: settings.prior,
    predictor: settings.priorMs === undefined ? undefined : { priorMs: settings.priorMs },
    onProgress,
  });
  if (onProgress !== undefined) io.stderr.write('\r\x1b[K');

  if (settings.svg !== undefined) {
    const title = `Latency CDF: ${prepared.label}, ${settings.slots} slots, load ${Number(prepared.load.toPrecision(3))}`;
    try {
      await writeFile(settings.svg, renderLatencyCdfSvg(result.policies, { title }));
    } catch (error) {
      io.stderr.write(`shortline simulate: cannot write --svg ${settings.svg}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  if (settings.json) {
    const report = createSimulationReport(result, describeInputs(settings, prepared, result));
    const fairness = prepared.functionSettings === undefined ? {} : { fairness: createFairnessReport(result) };
    io.stdout.write(JSON.stringify({ ...report, ...fairness }) + '\n');
  } else {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const fairness = formatFairnessTables(result.policies);
    const tables = fairness === '' ? formatResultTable(result.policies) : `${formatResultTable(result.policies)}\n\n${fairness}`;
    io.stdout.write(`${tableHeader(settings, prepared, result)}\n\n${tables}\n\nsimulated in ${seconds} s\n`);
  }
  return 0;
}

/** The command with its output streams injected (tests pass string sinks). */
export function createSimulateCommand(io: SimulateIo): Command {
  return {
    summary: 'replay a trace or synthetic workload through every policy on a virtual clock',
    run: (args) => run(io, args),
  };
}

export const simulate: Command = createSimulateCommand({ stdout: process.stdout, stderr: process.stderr });
