import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DURATIONS_HEADER =
  'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100';

/** An invocations header with `minutes` minute columns numbered from `first`. */
export function invocationsHeader(minutes: number, first = 1): string {
  return ['HashOwner', 'HashApp', 'HashFunction', 'Trigger', ...Array.from({ length: minutes }, (_, i) => String(first + i))].join(',');
}

export function invocationsRow(fn: string, counts: readonly number[], trigger = 'http'): string {
  return ['owner', 'app', fn, trigger, ...counts].join(',');
}

/** A durations row whose percentiles are p0..p100 in order. */
export function durationsRow(fn: string, average: number, percentiles: readonly number[]): string {
  return ['owner', 'app', fn, average, 100, percentiles[0], percentiles[6], ...percentiles].join(',');
}

/** Writes the given files into a fresh temporary folder and returns its path. */
export async function traceFolder(files: Readonly<Record<string, readonly string[]>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shortline-trace-'));
  for (const [name, lines] of Object.entries(files)) await writeFile(join(dir, name), lines.join('\n') + '\n');
  return dir;
}

/**
 * A folder with two functions over `short.length` minutes, invoked `short[m]` and `long[m]` times in
 * minute m: `short` (median 20 ms) and `long` (median `longMedianMs`, the same spread scaled).
 */
export function shortAndLongTrace(short: readonly number[], long: readonly number[], longMedianMs: number): Promise<string> {
  const scale = longMedianMs / 3000;
  return traceFolder({
    'invocations.csv': [invocationsHeader(short.length), invocationsRow('short', short), invocationsRow('long', long)],
    'durations.csv': [
      DURATIONS_HEADER,
      durationsRow('short', 20, [2, 5, 10, 20, 30, 80, 200]),
      durationsRow('long', longMedianMs, [500, 1000, 2000, 3000, 4000, 8000, 20000].map((ms) => ms * scale)),
    ],
  });
}
