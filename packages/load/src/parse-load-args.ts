import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SAMPLE_USAGE_HEADER } from '@shortline/samples';
import { TRACE_FORMATS, type ArrivalRate, type LoadSettings, type SweepWorkloadSettings, type TraceFormat, type TraceWorkloadSettings } from './load-settings.js';
import { createRequestBuilder, INVOCATION_PLACEHOLDERS } from './request-builder.js';
import type { GridParameter } from './sweep-plan.js';

export const LOAD_HELP = `usage: shortline load --trace DIR|FILE --target URL [options]
       shortline load --sweep --functions LIST --target URL [options]
       shortline load --resume DIR

Sends a schedule of invocations to any HTTP endpoint, open loop (each one at its scheduled time,
whatever became of the ones before it; latency timed from the scheduled time), and writes one
record per invocation: records.csv, summary.json, latency-cdf.svg in --out (docs/load-records.md).

target:
  --target URL           URL template; placeholders {function}, {ms} (the invocation's duration,
                         scaled, in ms) and {id}; e.g. 'http://127.0.0.1:8080/{function}?ms={ms}'.
                         {{ and }} are literal braces; any other placeholder is refused
  --header 'NAME: VALUE' a request header, the same placeholders in VALUE (repeatable)
  --method M             default GET, or POST when a body is sent
  --body-bytes N         send a body of N bytes with every request (recorded as body_bytes)

schedule (from a trace):
  --trace DIR|FILE       Azure Functions 2019 folder (what \`shortline simulate\` reads), an Azure
                         Functions 2021 invocation file (app,func,end_timestamp,duration), or the
                         records.csv of an earlier run
  --format F             ${TRACE_FORMATS.join(' | ')} (default: a folder is azure2019, a file is
                         told by its header)
  --mode mix|replay      mix (default): Poisson arrivals, functions drawn by their share, durations
                         from each function's own; replay: the trace's own arrivals in order
  --rps R                mix: R invocations per second on average
  --load RHO --slots N   mix, instead of --rps: the rate that offers load RHO to N slots
  --time-scale T         durations are multiplied by T; in replay, the gaps too (0.01: a trace
                         minute lasts 0.6 s) (default 1)
  --duration S           the schedule ends after S seconds (mix default 60; replay: the whole trace)
  --invocations N        ... or after N invocations, whichever comes first
  --seed N               same seed, same schedule (default 1)

dataset mode (closed loop, for each function over a grid):
  --sweep                instead of a trace: each function x each grid point x each concurrency
                         level gets --repeat calls, CONCURRENCY of them in flight at once; asks the
                         project's sample servers for the CPU time and peak memory of each call
  --functions LIST       comma-separated function names, for {function}
  --grid NAME=V1,V2,...  a parameter and its values, for {NAME} (repeatable); ms sets {ms} and
                         duration_ms, bytes the body size
  --concurrency LIST     comma-separated levels (default 1)
  --repeat N             calls per cell (default 10)

run:
  --connections N        at most N requests in flight; a due invocation that finds them all taken
                         waits, and its send lag shows it (default 256)
  --timeout-ms MS        no answer head, or a body that stalls, for MS: a timeout (default 30000)
  --grace-ms MS          on SIGINT or SIGTERM: sending stops, what is in flight gets MS to finish,
                         the rest is recorded as aborted, checkpoint.json is written (default 5000)
  --max-lag-p99-ms MS    the run is marked invalid if the p99 send lag exceeds MS (default 5)
  --max-lag-ms MS        ... or if any send is later than MS (default 50)
  --out DIR              where the records go (default ./shortline-load-<start time>)
  --resume DIR           continue a stopped run where it stopped, appending to its records
  -h, --help             this text

Exit status: 0 done, 1 could not run (bad trace, unusable folder), 2 bad option or template,
3 done but invalid (the send lag passed its limit), 130 / 143 stopped by SIGINT / SIGTERM
(resume with --resume DIR).
`;

/** Bad command-line input, a bad template included: exit 2 with a message naming the option. */
export class LoadUsageError extends Error {
  readonly code = 'SHORTLINE_LOAD_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'LoadUsageError';
  }
}

export type LoadCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly settings: LoadSettings }
  | { readonly kind: 'resume'; readonly dir: string };

const OPTIONS = {
  target: { type: 'string' },
  header: { type: 'string', multiple: true },
  method: { type: 'string' },
  'body-bytes': { type: 'string' },
  trace: { type: 'string' },
  format: { type: 'string' },
  mode: { type: 'string' },
  rps: { type: 'string' },
  load: { type: 'string' },
  slots: { type: 'string' },
  'time-scale': { type: 'string' },
  duration: { type: 'string' },
  invocations: { type: 'string' },
  seed: { type: 'string' },
  sweep: { type: 'boolean' },
  functions: { type: 'string' },
  grid: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  repeat: { type: 'string' },
  connections: { type: 'string' },
  'timeout-ms': { type: 'string' },
  'grace-ms': { type: 'string' },
  'max-lag-p99-ms': { type: 'string' },
  'max-lag-ms': { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** The parsed values with typed accessors, each failure naming its option. */
class Options {
  constructor(readonly values: Partial<Record<OptionName, string | boolean | string[]>>) {}

  given(name: OptionName): boolean {
    return this.values[name] !== undefined;
  }

  text(name: OptionName): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  list(name: OptionName): string[] {
    const value = this.values[name];
    return Array.isArray(value) ? value : [];
  }

  /** A number option: an integer or not, at least (or above) `min`. */
  number(name: OptionName, integer: boolean, min: number, above = false): number | undefined {
    const raw = this.text(name);
    return raw === undefined ? undefined : parseNumber(`--${name}`, raw, integer, min, above);
  }

  refuse(names: readonly OptionName[], why: string): void {
    const given = names.filter((name) => this.given(name));
    if (given.length > 0) throw new LoadUsageError(`${given.map((name) => `--${name}`).join(', ')}: ${why}`);
  }
}

function parseNumber(what: string, raw: string, integer: boolean, min: number, above: boolean): number {
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!(Number.isFinite(value) && (above ? value > min : value >= min) && (!integer || Number.isSafeInteger(value)))) {
    throw new LoadUsageError(`${what} must be ${integer ? 'an integer' : 'a number'} ${above ? '>' : '>='} ${min}, got "${raw}"`);
  }
  return value;
}

function commaList(what: string, raw: string): string[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new LoadUsageError(`${what} has an empty item: "${raw}"`);
  return items;
}

const TRACE_OPTIONS = ['trace', 'format', 'mode', 'rps', 'load', 'slots', 'time-scale', 'duration', 'invocations', 'seed'] as const;
const SWEEP_OPTIONS = ['functions', 'grid', 'concurrency', 'repeat'] as const;
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function parseRate(options: Options, mode: 'mix' | 'replay'): ArrivalRate | undefined {
  if (mode === 'replay') {
    options.refuse(['rps', 'load', 'slots'], 'replay keeps the trace\'s own arrivals; use --time-scale to speed them up');
    return undefined;
  }
  const rps = options.number('rps', false, 0, true);
  const load = options.number('load', false, 0, true);
  const slots = options.number('slots', true, 1);
  if (rps !== undefined) {
    options.refuse(['load', 'slots'], 'give --rps R or --load RHO --slots N, not both');
    return { rps };
  }
  if (load === undefined || slots === undefined) throw new LoadUsageError('mix needs a rate: --rps R, or --load RHO with --slots N');
  return { load, slots };
}

function parseTrace(options: Options, cwd: string): TraceWorkloadSettings {
  options.refuse(SWEEP_OPTIONS, 'these are for --sweep');
  const trace = options.text('trace');
  if (trace === undefined) throw new LoadUsageError('give --trace DIR|FILE (or --sweep, or --resume DIR)');
  const format = options.text('format');
  if (format !== undefined && !(TRACE_FORMATS as readonly string[]).includes(format)) {
    throw new LoadUsageError(`--format must be one of ${TRACE_FORMATS.join(', ')}, got "${format}"`);
  }
  const mode = options.text('mode') ?? 'mix';
  if (mode !== 'mix' && mode !== 'replay') throw new LoadUsageError(`--mode must be mix or replay, got "${mode}"`);
  const durationS = options.number('duration', false, 0, true);
  const invocations = options.number('invocations', true, 1);
  return {
    kind: 'trace',
    path: resolve(cwd, trace),
    format: format as TraceFormat | undefined,
    mode,
    rate: parseRate(options, mode),
    timeScale: options.number('time-scale', false, 0, true) ?? 1,
    // A mix never runs out by itself.
    durationS: durationS ?? (mode === 'mix' && invocations === undefined ? 60 : undefined),
    invocations,
    seed: options.number('seed', true, 0) ?? 1,
  };
}

function parseGrid(texts: readonly string[]): GridParameter[] {
  const seen = new Set<string>();
  return texts.map((text) => {
    const equals = text.indexOf('=');
    const name = equals < 0 ? '' : text.slice(0, equals).trim();
    if (!PARAMETER_NAME.test(name)) throw new LoadUsageError(`--grid must be NAME=V1,V2,... with a name of letters, digits, _ and -, got "${text}"`);
    if ((INVOCATION_PLACEHOLDERS as readonly string[]).includes(name) && name !== 'ms') throw new LoadUsageError(`--grid ${name}: {${name}} is the invocation's own`);
    if (seen.has(name)) throw new LoadUsageError(`--grid names ${name} twice`);
    seen.add(name);
    const values = commaList(`--grid ${name}`, text.slice(equals + 1));
    if (name === 'ms') values.forEach((value) => parseNumber('--grid ms', value, false, 0, false));
    if (name === 'bytes') values.forEach((value) => parseNumber('--grid bytes', value, true, 0, false));
    return { name, values };
  });
}

function parseSweep(options: Options): SweepWorkloadSettings {
  options.refuse(TRACE_OPTIONS, 'a sweep takes --functions and --grid, not a trace');
  const functions = options.text('functions');
  if (functions === undefined) throw new LoadUsageError('--sweep needs --functions LIST');
  const concurrency = commaList('--concurrency', options.text('concurrency') ?? '1').map((level) => parseNumber('--concurrency', level, true, 1, false));
  return {
    kind: 'sweep',
    functions: commaList('--functions', functions),
    grid: parseGrid(options.list('grid')),
    concurrency,
    repeat: options.number('repeat', true, 1) ?? 10,
  };
}

/**
 * The command from its arguments; relative paths are taken from `cwd`. Every template is compiled
 * here, so that a bad one is refused before anything is sent. Throws LoadUsageError (or the
 * TemplateError of a bad template).
 */
export function parseLoadArgs(args: readonly string[], cwd: string): LoadCommand {
  let options: Options;
  try {
    options = new Options(parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }).values);
  } catch (error) {
    throw new LoadUsageError((error as Error).message);
  }
  if (options.given('help')) return { kind: 'help' };
  const resumeDir = options.text('resume');
  if (resumeDir !== undefined) {
    const others = (Object.keys(options.values) as OptionName[]).filter((name) => name !== 'resume');
    if (others.length > 0) throw new LoadUsageError(`--resume DIR takes every setting from DIR/checkpoint.json; drop --${others.join(', --')}`);
    return { kind: 'resume', dir: resolve(cwd, resumeDir) };
  }
  const workload = options.given('sweep') ? parseSweep(options) : parseTrace(options, cwd);
  const target = options.text('target');
  if (target === undefined) throw new LoadUsageError('give --target URL (a template, e.g. http://127.0.0.1:8080/{function}?ms={ms})');
  const headers = options.list('header');
  const method = options.text('method');
  const parameters = workload.kind === 'sweep' ? workload.grid.map((parameter) => parameter.name).filter((name) => name !== 'ms') : [];
  createRequestBuilder({ target, headers, method, parameters });
  const out = options.text('out');
  const askUsage = workload.kind === 'sweep' && !headers.some((header) => header.toLowerCase().startsWith(`${SAMPLE_USAGE_HEADER}:`));
  return {
    kind: 'run',
    settings: {
      workload,
      target,
      headers: askUsage ? [...headers, `${SAMPLE_USAGE_HEADER}: 1`] : headers,
      method,
      bodyBytes: options.number('body-bytes', true, 0) ?? NaN,
      connections: options.number('connections', true, 1) ?? 256,
      timeoutMs: options.number('timeout-ms', false, 0, true) ?? 30_000,
      graceMs: options.number('grace-ms', false, 0) ?? 5000,
      lagLimits: { maxLagP99Ms: options.number('max-lag-p99-ms', false, 0, true) ?? 5, maxLagMs: options.number('max-lag-ms', false, 0, true) ?? 50 },
      out: out === undefined ? undefined : resolve(cwd, out),
    },
  };
}
