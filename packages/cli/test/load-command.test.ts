// `shortline load`, run in-process with string sinks, against real sample servers on real sockets.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTraceSchedule, ScheduleStream, type TraceWorkloadSettings } from '@shortline/load';
import { createLogger, createShortline, defaultConfig, type Shortline } from '@shortline/proxy';
import { startSampleServer, type RunningSample } from '@shortline/samples';
import { RECORD_COLUMNS, readRecords, type RecordsTable } from '@shortline/sim';
import type { Command } from '../src/command.js';
import { createLoadCommand } from '../src/commands/load.js';
import { createSimulateCommand } from '../src/commands/simulate.js';
import { azure2019Fixture, azure2021Fixture, steadyCalls } from '../../load/test/fixtures.js';
import { startCountedSample, type CountedSample } from '../../load/test/sample-target.js';

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

type TextSink = { write(text: string): unknown };

/** Runs a command in-process, its output in strings. */
async function runCommand(create: (io: { stdout: TextSink; stderr: TextSink }) => Command, args: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const command = create({ stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  const code = await command.run(args);
  return { code, stdout, stderr };
}

const load = (args: string[]): Promise<Outcome> => runCommand(createLoadCommand, args);
const simulate = (args: string[]): Promise<Outcome> => runCommand(createSimulateCommand, args);

const outDir = async (): Promise<string> => join(await mkdtemp(join(tmpdir(), 'shortline-load-')), 'run');

interface Summary {
  valid: boolean;
  complete: boolean;
  invocations: number;
  byStatus: Record<string, number>;
  sendLagMs: { p99Ms: number } | null;
  functions: Record<string, { count: number }>;
}

async function results(dir: string): Promise<{ table: RecordsTable; summary: Summary; svg: string }> {
  return {
    table: await readRecords(join(dir, 'records.csv')),
    summary: JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Summary,
    svg: await readFile(join(dir, 'latency-cdf.svg'), 'utf8'),
  };
}

/** A run that kept to its schedule exits 0; one whose send lag passed the limit 3, and says so. */
function expectDone(outcome: Outcome, summary: Summary): void {
  expect(outcome.code).toBe(summary.valid ? 0 : 3);
  expect(summary.sendLagMs?.p99Ms).toEqual(expect.any(Number));
}

const sortedIds = (table: RecordsTable): number[] => Array.from(table.id).sort((a, b) => a - b);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

let sleep: CountedSample;
let spin: RunningSample;

beforeAll(async () => {
  [sleep, spin] = await Promise.all([startCountedSample('sleep'), startSampleServer('spin', { maxMs: 1000 })]);
});

afterAll(async () => {
  await Promise.all([sleep.close(), spin.close()]);
});

describe('shortline load', () => {
  it('lists every option with --help', async () => {
    const { code, stdout } = await load(['--help']);
    expect(code).toBe(0);
    const options = ['--target', '--header', '--method', '--body-bytes', '--trace', '--format', '--mode', '--rps', '--load', '--slots', '--time-scale', '--duration', '--invocations', '--seed', '--sweep', '--functions', '--grid', '--concurrency', '--repeat', '--connections', '--timeout-ms', '--grace-ms', '--max-lag-p99-ms', '--max-lag-ms', '--out', '--resume', '--help'];
    for (const option of options) expect(stdout).toContain(option);
  });

  it('drives a sample with an Azure 2019 mix: one record per invocation of the schedule, summary, chart and table', async () => {
    const trace = await azure2019Fixture();
    const out = await outDir();
    const outcome = await load(['--trace', trace, '--target', `${sleep.url}/{function}?ms={ms}`, '--rps', '400', '--invocations', '40', '--time-scale', '0.05', '--seed', '4', '--out', out]);
    const { table, summary, svg } = await results(out);
    expectDone(outcome, summary);
    // The very schedule the command was given, drawn again here: same ids, functions and times.
    const settings: TraceWorkloadSettings = { kind: 'trace', path: trace, format: undefined, mode: 'mix', rate: { rps: 400 }, timeScale: 0.05, durationS: undefined, invocations: 40, seed: 4 };
    const schedule = await openTraceSchedule(settings, NaN);
    const stream = new ScheduleStream(schedule.source(), schedule.bounds);
    const expected: string[] = [];
    for (let next = stream.peek(); next !== undefined; stream.take(), next = stream.peek()) expected[next.id] = `${next.functionName} ${next.scheduledMs.toFixed(3)}`;
    const byId = Array.from(table.id.keys()).sort((a, b) => (table.id[a] as number) - (table.id[b] as number));
    expect(byId.map((row) => `${table.functionName[row]} ${(table.scheduledMs[row] as number).toFixed(3)}`)).toEqual(expected);
    expect(sortedIds(table)).toEqual(range(40));
    expect(table.status.every((status) => status === 200)).toBe(true);
    expect(table.route.every((route) => route === '/short' || route === '/long')).toBe(true);
    expect(summary).toMatchObject({ complete: true, invocations: 40, byStatus: { '2xx': 40 } });
    expect(Object.values(summary.functions).reduce((sum, fn) => sum + fn.count, 0)).toBe(40);
    expect(svg.match(/<polyline/g)?.length).toBeGreaterThanOrEqual(2);
    expect(outcome.stdout).toMatch(/^function +count +mean ms +p50 ms +p99 ms +2xx$/m);
    expect(outcome.stdout).toMatch(/^all +40 /m);
    expect(outcome.stdout.trimEnd().split('\n').at(-1)).toBe(out);
    expect(outcome.stderr).toContain('send lag p99');

    // The records are the dataset the simulator evaluates offline.
    const simulated = await simulate(['--records', join(out, 'records.csv'), '--slots', '2', '--policies', 'fifo,aging-srtf', '--json']);
    expect(simulated.code).toBe(0);
    const report = JSON.parse(simulated.stdout) as { policies: Record<string, { completed: number }>; inputs: Record<string, unknown> };
    expect(report.policies['fifo']?.completed).toBe(36);
    expect(report.inputs).toMatchObject({ mode: 'records', invocations: 40, source: { rows: 40, skipped: 0, functions: 2 } });
  });

  it('replays an Azure 2021 trace: every call of the trace, once', async () => {
    const out = await outDir();
    const outcome = await load(['--trace', await azure2021Fixture(steadyCalls(30)), '--mode', 'replay', '--time-scale', '0.5', '--target', `${sleep.url}/{function}?ms={ms}`, '--out', out]);
    const { table, summary } = await results(out);
    expectDone(outcome, summary);
    expect(sortedIds(table)).toEqual(range(30));
    expect(new Set(table.functionName)).toEqual(new Set(['alpha', 'beta']));
  });

  it('in front of a real Shortline, every record carries its queue and upstream durations from Server-Timing', async () => {
    const shortline: Shortline = createShortline({
      config: defaultConfig({
        listen: { host: '127.0.0.1', port: 0 },
        admin: { host: '127.0.0.1', port: 0 },
        logging: { level: 'silent' },
        pools: [{ name: 'samples', backends: [sleep.url], concurrency: 2 }],
        functions: [{ name: 'sleep', pool: 'samples', match: { pathPrefix: '/' } }],
      }),
      logger: createLogger('silent'),
      processMetrics: false,
    });
    const { port } = await shortline.listen();
    try {
      const out = await outDir();
      const outcome = await load(['--trace', await azure2021Fixture(steadyCalls(20)), '--mode', 'replay', '--target', `http://127.0.0.1:${port}/{function}?ms={ms}`, '--out', out]);
      const { table, summary } = await results(out);
      expectDone(outcome, summary);
      expect(table.length).toBe(20);
      expect(Array.from(table.queueMs).every((ms) => ms >= 0)).toBe(true);
      expect(Array.from(table.upstreamMs).every((ms) => ms >= 0)).toBe(true);
    } finally {
      await shortline.close();
    }
  });

  it('dataset mode: functions x grid x concurrency x repeat calls, with the sample\'s CPU time and peak memory', async () => {
    const out = await outDir();
    const outcome = await load(['--sweep', '--functions', 'spin,spin2', '--grid', 'ms=1,4', '--grid', 'bytes=0,256', '--concurrency', '1,2', '--repeat', '2', '--target', `${spin.url}/{function}?ms={ms}&n={bytes}`, '--out', out]);
    expect(outcome.code).toBe(0);
    const { table, summary } = await results(out);
    expect(summary.sendLagMs).toBeNull();
    expect(sortedIds(table)).toEqual(range(32));
    expect(new Set(table.params)).toEqual(new Set(['ms=1;bytes=0', 'ms=1;bytes=256', 'ms=4;bytes=0', 'ms=4;bytes=256']));
    expect(new Set(Array.from(table.concurrency))).toEqual(new Set([1, 2]));
    expect(new Set(Array.from(table.bodyBytes))).toEqual(new Set([0, 256]));
    expect(Array.from(table.cpuMs).every((ms) => ms >= 0)).toBe(true);
    expect(Array.from(table.peakRssKb).every((kb) => kb > 0)).toBe(true);
    expect(RECORD_COLUMNS).toContain('peak_rss_kb');
  });
});

describe('shortline load: bad input', () => {
  it('an unknown placeholder is refused before anything is sent, naming it', async () => {
    sleep.reset();
    const out = await outDir();
    const { code, stderr } = await load(['--trace', await azure2019Fixture(), '--target', `${sleep.url}/{fn}?ms={ms}`, '--rps', '10', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown placeholder {fn}');
    expect(sleep.requests()).toBe(0);
    expect(existsSync(out)).toBe(false);
  });

  it('a trace with a bad line is refused naming file and line, and nothing is sent', async () => {
    sleep.reset();
    const trace = await azure2021Fixture(steadyCalls(3), ['app,f,later,1']);
    const out = await outDir();
    const { code, stderr } = await load(['--trace', trace, '--mode', 'replay', '--target', `${sleep.url}/`, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${trace}:5: end_timestamp must be a number of seconds >= 0, found "later"`);
    expect(sleep.requests()).toBe(0);
    expect(existsSync(out)).toBe(false);
  });

  it('an unreachable target: no crash, every invocation recorded, errors counted by class', async () => {
    const out = await outDir();
    const outcome = await load(['--trace', await azure2021Fixture(steadyCalls(12)), '--mode', 'replay', '--target', 'http://127.0.0.1:1/{function}', '--out', out]);
    const { table, summary } = await results(out);
    expectDone(outcome, summary);
    expect(table.length).toBe(12);
    expect(summary.byStatus).toEqual({ refused: 12 });
    expect(outcome.stdout).toMatch(/^all +12 +— +— +— +12$/m);
  });

  it.each([
    [['--target', 'http://h/'], 'give --trace DIR|FILE'],
    [['--trace', 't', '--target', 'http://h/'], 'mix needs a rate'],
    [['--trace', 't', '--target', 'http://h/', '--rps', '5', '--load', '0.5'], '--load: give --rps R or --load RHO --slots N, not both'],
    [['--trace', 't', '--target', 'http://h/', '--mode', 'replay', '--rps', '5'], "--rps: replay keeps the trace's own arrivals"],
    [['--trace', 't', '--target', 'http://h/', '--rps', '0'], '--rps must be a number > 0, got "0"'],
    [['--trace', 't', '--target', 'http://h/', '--rps', '1', '--format', 'csv'], '--format must be one of azure2019, azure2021, records'],
    [['--trace', 't', '--rps', '1'], 'give --target URL'],
    [['--sweep', '--target', 'http://h/'], '--sweep needs --functions LIST'],
    [['--sweep', '--functions', 'a', '--trace', 't', '--target', 'http://h/'], '--trace: a sweep takes --functions and --grid, not a trace'],
    [['--sweep', '--functions', 'a', '--grid', 'ms=1,x', '--target', 'http://h/'], '--grid ms must be a number >= 0, got "x"'],
    [['--sweep', '--functions', 'a', '--grid', 'id=1', '--target', 'http://h/'], "--grid id: {id} is the invocation's own"],
    [['--sweep', '--functions', 'a', '--target', 'http://h/{size}'], 'unknown placeholder {size}'],
    [['--resume', 'x', '--rps', '3'], '--resume DIR takes every setting from DIR/checkpoint.json; drop --rps'],
    [['--trace', 't', '--target', 'http://h/', '--rps', '1', '--bogus'], "'--bogus'"],
  ])('exits 2 naming the option for %j', async (args, message) => {
    const { code, stderr } = await load(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('a folder that holds a run already is refused; so is resuming a complete run, or a folder without a checkpoint', async () => {
    const out = await outDir();
    const args = ['--trace', await azure2021Fixture(steadyCalls(3)), '--mode', 'replay', '--target', `${sleep.url}/`, '--out', out];
    expect([0, 3]).toContain((await load(args)).code);
    const again = await load(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${out} holds a run already: continue it with --resume ${out}`);
    const resumed = await load(['--resume', out]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain('the run is complete, nothing is left to send');
    const empty = await load(['--resume', await mkdtemp(join(tmpdir(), 'shortline-empty-'))]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('checkpoint.json: cannot read it');
  });
});
