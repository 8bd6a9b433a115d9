import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DURATIONS_HEADER =
  'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100';

/** A small trace in the Azure Functions 2019 format: a short, a medium and a long function over 3 minutes. */
export const FIXTURE_FUNCTIONS = [
  { hash: 'short', perMinute: [30, 20, 30], percentiles: [2, 3, 5, 6, 8, 15, 20] },
  { hash: 'medium', perMinute: [10, 10, 10], percentiles: [40, 45, 60, 80, 100, 200, 300] },
  { hash: 'long', perMinute: [2, 3, 2], percentiles: [500, 550, 700, 800, 1000, 1500, 2000] },
] as const;

/** Writes invocations.csv and durations.csv (with `durationsLines` replacing the generated rows if given) to a new folder. */
export async function writeFixtureTrace(durationsLines?: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shortline-bench-trace-'));
  const invocations = [
    'HashOwner,HashApp,HashFunction,Trigger,1,2,3',
    ...FIXTURE_FUNCTIONS.map((fn) => ['owner', 'app', fn.hash, 'http', ...fn.perMinute].join(',')),
  ];
  const durations = durationsLines ?? [
    DURATIONS_HEADER,
    ...FIXTURE_FUNCTIONS.map((fn) => ['owner', 'app', fn.hash, fn.percentiles[3], 100, fn.percentiles[0], fn.percentiles[6], ...fn.percentiles].join(',')),
  ];
  await writeFile(join(dir, 'invocations.csv'), invocations.join('\n') + '\n');
  await writeFile(join(dir, 'durations.csv'), durations.join('\n') + '\n');
  return dir;
}
