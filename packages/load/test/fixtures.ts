import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shortAndLongTrace } from '../../sim/test/trace-fixtures.js';

/** An Azure 2019 folder: two functions over three minutes, 20 ms and 200 ms at the median. */
export function azure2019Fixture(): Promise<string> {
  return shortAndLongTrace([30, 20, 40], [3, 0, 2], 200);
}

/** One Azure 2021 row: a call of `func` that ended at `end` s after `duration` s. */
export interface Azure2021Call {
  readonly func: string;
  readonly end: number;
  readonly duration: number;
}

/** Writes an Azure 2021 invocation file (the dataset's header, rows as given) and returns its path. */
export async function azure2021Fixture(calls: readonly Azure2021Call[], extraLines: readonly string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shortline-azure2021-'));
  const file = join(dir, 'invocations.txt');
  const rows = calls.map((call) => `app-${call.func},${call.func},${call.end},${call.duration}`);
  await writeFile(file, ['app,func,end_timestamp,duration', ...rows, ...extraLines].join('\n') + '\n');
  return file;
}

/** `count` calls of two functions, a new one every 10 ms, durations of a few ms that differ per call. */
export function steadyCalls(count: number): Azure2021Call[] {
  return Array.from({ length: count }, (_, i) => {
    const duration = (i % 2 === 0 ? 1 + (i % 5) : 3 + (i % 7)) / 1000;
    return { func: i % 3 === 0 ? 'beta' : 'alpha', end: 100 + i / 100 + duration, duration };
  });
}
