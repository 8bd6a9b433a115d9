// `shortline load` as the real process: stopped by SIGINT mid-run, then continued with --resume.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTraceSchedule, readCheckpoint, ScheduleStream } from '@shortline/load';
import { readRecords } from '@shortline/sim';
import { azure2019Fixture } from '../../load/test/fixtures.js';
import { startCountedSample, type CountedSample } from '../../load/test/sample-target.js';

const BIN = fileURLToPath(new URL('../bin/shortline.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/commands/load.js', import.meta.url));
const INVOCATIONS = 240;

interface Exited {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs `shortline load ARGS`; `whenRecords` is called each time the records file is looked at, with its row count. */
function runLoad(args: readonly string[], recordsFile: string, whenRecords?: (rows: number, stop: () => void) => void): Promise<Exited> {
  const child = spawn(process.execPath, [BIN, 'load', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let watch: NodeJS.Timeout | undefined;
  if (whenRecords !== undefined) {
    watch = setInterval(() => {
      void readFile(recordsFile, 'utf8')
        .then((text) => whenRecords(text.split('\n').length - 2, () => child.kill('SIGINT')))
        .catch(() => undefined);
    }, 20);
  }
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearInterval(watch);
      resolve({ code, stderr });
    });
  });
}

let sleep: CountedSample;

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build first (npm run build)`);
  sleep = await startCountedSample('sleep');
});

afterAll(async () => {
  await sleep.close();
});

describe('shortline load, stopped and resumed (real process, real sockets)', () => {
  it('SIGINT mid-run, then --resume: the two parts are exactly the full schedule, every id once', async () => {
    const trace = await azure2019Fixture();
    const out = join(await mkdtemp(join(tmpdir(), 'shortline-load-')), 'run');
    const records = join(out, 'records.csv');
    const args = ['--trace', trace, '--target', `${sleep.url}/{function}?ms={ms}`, '--rps', '150', '--invocations', String(INVOCATIONS), '--time-scale', '0.05', '--out', out];

    // Part one: stopped once a sixth of the schedule is recorded.
    let signalled = false;
    const first = await runLoad(args, records, (rows, stop) => {
      if (rows >= INVOCATIONS / 6 && !signalled) {
        signalled = true;
        stop();
      }
    });
    expect(first.code).toBe(130);
    expect(first.stderr).toContain(`continue with: shortline load --resume ${out}`);
    const checkpoint = await readCheckpoint(out);
    expect(checkpoint.complete).toBe(false);
    const partOne = await readRecords(records);
    expect(Array.from(partOne.id).sort((a, b) => a - b)).toEqual(Array.from({ length: checkpoint.next }, (_, i) => i));
    expect(checkpoint.next).toBeLessThan(INVOCATIONS);

    // Part two continues the same schedule, appending to the same records.
    const second = await runLoad(['--resume', out], records);
    expect([0, 3]).toContain(second.code);
    const table = await readRecords(records);
    expect(table.length).toBe(INVOCATIONS);
    expect(new Set(table.id).size).toBe(INVOCATIONS);
    expect((await readCheckpoint(out)).parts.map((part) => [part.from, part.next, part.interrupted])).toEqual([
      [0, checkpoint.next, true],
      [checkpoint.next, INVOCATIONS, false],
    ]);

    // And they are the schedule an uninterrupted run draws: the same function at the same time for every id.
    const schedule = await openTraceSchedule(
      { kind: 'trace', path: trace, format: undefined, mode: 'mix', rate: { rps: 150 }, timeScale: 0.05, durationS: undefined, invocations: INVOCATIONS, seed: 1 },
      NaN,
    );
    const stream = new ScheduleStream(schedule.source(), schedule.bounds);
    const expected: string[] = [];
    for (let next = stream.peek(); next !== undefined; stream.take(), next = stream.peek()) expected[next.id] = `${next.functionName} ${next.scheduledMs.toFixed(3)}`;
    const recorded: string[] = [];
    for (let row = 0; row < table.length; row++) recorded[table.id[row] as number] = `${table.functionName[row]} ${(table.scheduledMs[row] as number).toFixed(3)}`;
    expect(recorded).toEqual(expected);
  });
});
