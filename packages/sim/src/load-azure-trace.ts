import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readDurations } from './read-durations.js';
import { readInvocations } from './read-invocations.js';
import { TraceFileError } from './trace-errors.js';

/** One function of the trace that has both invocation counts and durations. */
export interface TraceFunction {
  readonly hashFunction: string;
  readonly trigger: string;
  readonly perMinute: Uint32Array;
  readonly total: number;
  readonly averageMs: number;
  readonly percentilesMs: Float64Array;
}

export interface AzureTrace {
  readonly invocationsFile: string;
  readonly durationsFile: string;
  readonly firstMinute: string;
  readonly minutes: number;
  /** Joined on HashFunction, in invocations-file order; functions never invoked in the window are left out. */
  readonly functions: readonly TraceFunction[];
  /** Invocations over the whole window, of the functions kept. */
  readonly invocations: number;
  readonly skipped: {
    /** Functions in the invocations file with no row in the durations file. */
    readonly withoutDurations: number;
    /** Their invocations, which the simulation cannot use. */
    readonly invocationsWithoutDurations: number;
    /** Functions with durations but not a single invocation in the window. */
    readonly neverInvoked: number;
    /** Repeated HashFunction rows in either file (the first row wins). */
    readonly duplicateRows: number;
  };
}

export interface LoadAzureTraceOptions {
  /** Which day of a full public trace folder (the dNN in its file names); default the first found. */
  readonly day?: number | undefined;
}

const SAMPLE_FILES = { invocations: 'invocations.csv', durations: 'durations.csv' };
const DAY_FILE = {
  invocations: /^invocations_per_function_md\.anon\.d(\d+)\.csv$/,
  durations: /^function_durations_percentiles\.anon\.d(\d+)\.csv$/,
};

/** Finds the two files in `dir`: invocations.csv and durations.csv, or one day of the full trace. */
async function locateFiles(dir: string, day: number | undefined): Promise<{ invocations: string; durations: string }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new TraceFileError(dir, `cannot list the trace folder: ${(error as Error).message}`, { cause: error });
  }
  if (day === undefined && names.includes(SAMPLE_FILES.invocations) && names.includes(SAMPLE_FILES.durations)) {
    return { invocations: join(dir, SAMPLE_FILES.invocations), durations: join(dir, SAMPLE_FILES.durations) };
  }
  const days = (pattern: RegExp): Map<number, string> =>
    new Map(names.flatMap((name) => {
      const match = pattern.exec(name);
      return match === null ? [] : [[Number(match[1]), name] as const];
    }));
  const invocationDays = days(DAY_FILE.invocations);
  const durationDays = days(DAY_FILE.durations);
  const common = [...invocationDays.keys()].filter((d) => durationDays.has(d)).sort((a, b) => a - b);
  const chosen = day ?? common[0];
  if (chosen === undefined || !common.includes(chosen)) {
    const wanted =
      day === undefined
        ? `${SAMPLE_FILES.invocations} and ${SAMPLE_FILES.durations}, or invocations_per_function_md.anon.dNN.csv and function_durations_percentiles.anon.dNN.csv`
        : `invocations_per_function_md.anon.d${String(day).padStart(2, '0')}.csv and function_durations_percentiles.anon.d${String(day).padStart(2, '0')}.csv`;
    throw new TraceFileError(dir, `no trace files found (expected ${wanted})`);
  }
  return { invocations: join(dir, invocationDays.get(chosen) as string), durations: join(dir, durationDays.get(chosen) as string) };
}

/** Reads an Azure Functions 2019 trace folder and joins its invocations and durations on HashFunction. */
export async function loadAzureTrace(dir: string, options: LoadAzureTraceOptions = {}): Promise<AzureTrace> {
  const files = await locateFiles(dir, options.day);
  const [invocations, durations] = await Promise.all([readInvocations(files.invocations), readDurations(files.durations)]);
  const functions: TraceFunction[] = [];
  let withoutDurations = 0;
  let invocationsWithoutDurations = 0;
  let neverInvoked = 0;
  let total = 0;
  for (const fn of invocations.functions) {
    const measured = durations.functions.get(fn.hashFunction);
    if (measured === undefined) {
      withoutDurations++;
      invocationsWithoutDurations += fn.total;
      continue;
    }
    if (fn.total === 0) {
      neverInvoked++;
      continue;
    }
    total += fn.total;
    functions.push({ ...fn, averageMs: measured.averageMs, percentilesMs: measured.percentilesMs });
  }
  if (functions.length === 0) {
    throw new TraceFileError(dir, `no invoked function of ${files.invocations} has a row in ${files.durations} (joined on HashFunction)`);
  }
  return {
    invocationsFile: files.invocations,
    durationsFile: files.durations,
    firstMinute: invocations.firstMinute,
    minutes: invocations.minutes,
    functions,
    invocations: total,
    skipped: {
      withoutDurations,
      invocationsWithoutDurations,
      neverInvoked,
      duplicateRows: invocations.duplicateRows + durations.duplicateRows,
    },
  };
}
