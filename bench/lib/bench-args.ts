import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BenchUsageError } from './bench-usage-error.js';
import { numberOption, type NumberRule } from './number-option.js';
import { repositoryRoot } from './repository-root.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The options every live benchmark takes beside its own: the seed, the send-lag limits of a valid run, where it writes, and --help. */
export const RUN_OPTIONS = {
  seed: { type: 'string' },
  'max-lag-p99-ms': { type: 'string' },
  'max-lag-ms': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface RunSettings {
  readonly seed: number;
  /** A run whose generator sent later than this at the 99th percentile is invalid. */
  readonly maxLagP99Ms: number;
  /** ...or later than this at all. */
  readonly maxLagMs: number;
  readonly outDir: string;
}

/** The values given on the command line, by option name. */
export type BenchValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** Parses `args` against `options` (strict, no positionals); undefined when --help was asked for. Throws BenchUsageError. */
export function parseBenchArgs(args: readonly string[], options: OptionsConfig): BenchValues | undefined {
  let values: BenchValues;
  try {
    ({ values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  return values.help === true ? undefined : values;
}

export function textArg(values: BenchValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** The number given to `--name`, checked against `rule`; undefined when not given. Throws BenchUsageError. */
export function numberArg(values: BenchValues, name: string, rule: NumberRule): number | undefined {
  return numberOption(name, textArg(values, name), rule, (message) => new BenchUsageError(message));
}

/** The settings of RUN_OPTIONS, with their defaults: seed 1, send lag p99 5 ms and max 50 ms, bench/results. */
export function runSettings(values: BenchValues): RunSettings {
  return {
    seed: numberArg(values, 'seed', { integer: true, min: 0 }) ?? 1,
    maxLagP99Ms: numberArg(values, 'max-lag-p99-ms', { integer: false, min: 0, above: true }) ?? 5,
    maxLagMs: numberArg(values, 'max-lag-ms', { integer: false, min: 0, above: true }) ?? 50,
    outDir: textArg(values, 'out') ?? join(repositoryRoot(), 'bench', 'results'),
  };
}

/**
 * A comma-separated list given to `--name`, each entry one of `known` and at most once (`noun` names
 * an entry in errors); `fallback` when the option is absent. Throws BenchUsageError.
 */
export function nameListArg<N extends string>(values: BenchValues, name: string, noun: string, known: readonly N[], fallback: readonly N[]): N[] {
  const raw = textArg(values, name);
  if (raw === undefined) return [...fallback];
  const names = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (names.length === 0) throw new BenchUsageError(`--${name} is empty`);
  return names.map((entry, index) => {
    if (!(known as readonly string[]).includes(entry)) throw new BenchUsageError(`--${name}: unknown ${noun} "${entry}"; known: ${known.join(', ')}`);
    if (names.indexOf(entry) !== index) throw new BenchUsageError(`--${name} names ${entry} twice`);
    return entry as N;
  });
}
