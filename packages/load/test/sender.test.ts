import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRequestBuilder,
  createTraceReplaySource,
  HttpClient,
  InvocationRunner,
  openTraceSchedule,
  runOpenLoop,
  runSweep,
  ScheduleStream,
  SweepPlan,
  UNBOUNDED,
  type InvocationResult,
  type InvocationTrace,
  type LoadInvocation,
  type StreamCheckpoint,
} from '../src/index.js';
import { azure2021Fixture, steadyCalls } from './fixtures.js';
import { startCountedSample, type CountedSample } from './sample-target.js';

interface Settled {
  readonly invocation: LoadInvocation;
  readonly result: InvocationResult;
}

/** A runner against `target` that keeps every settled invocation in order. */
function recordingRunner(target: string, options: { connections?: number; timeoutMs?: number; headers?: string[]; parameters?: string[] } = {}) {
  const settled: Settled[] = [];
  const client = new HttpClient({ connections: options.connections, timeoutMs: options.timeoutMs ?? 5000 });
  const request = createRequestBuilder({ target, headers: options.headers, parameters: options.parameters });
  const runner = new InvocationRunner({ client, request, onSettled: (invocation, result) => settled.push({ invocation, result }) });
  return { settled, client, runner };
}

/** `n` invocations of a few ms each, one every `gapMs`. */
function evenSchedule(n: number, gapMs: number, durationMs = 2): InvocationTrace {
  return {
    file: 'test',
    functions: ['f', 'g'],
    functionIndex: Uint32Array.from({ length: n }, (_, i) => i % 2),
    startMs: Float64Array.from({ length: n }, (_, i) => i * gapMs),
    durationMs: new Float64Array(n).fill(durationMs),
    bodyBytes: new Float64Array(n).fill(NaN),
  };
}

const stream = (trace: InvocationTrace): ScheduleStream => new ScheduleStream(createTraceReplaySource({ trace, timeScale: 1, bodyBytes: NaN }), UNBOUNDED);
const ids = (settled: readonly Settled[]): number[] => settled.map((entry) => entry.invocation.id).sort((a, b) => a - b);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

let sleep: CountedSample;
let silent: Server;
let silentUrl: string;

beforeAll(async () => {
  sleep = await startCountedSample('sleep');
  // Takes requests and never answers.
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sleep.close();
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
});

describe('the open loop against a sample server (real sockets)', () => {
  test('every invocation of the schedule is sent once, in schedule order, never before it is due', async () => {
    sleep.reset();
    const schedule = await openTraceSchedule(
      { kind: 'trace', path: await azure2021Fixture(steadyCalls(60)), format: undefined, mode: 'replay', rate: undefined, timeScale: 0.2, durationS: undefined, invocations: undefined, seed: 1 },
      NaN,
    );
    const { settled, client, runner } = recordingRunner(`${sleep.url}/{function}?ms={ms}&id={id}`);
    const outcome = await runOpenLoop({ schedule: new ScheduleStream(schedule.source(), schedule.bounds), runner, graceMs: 0 });
    await client.close();
    expect(outcome.interrupted).toBe(false);
    expect(ids(settled)).toEqual(range(60));
    expect(sleep.requests()).toBe(60);
    expect(settled.every(({ result }) => result.status === 200 && result.route.startsWith('/'))).toBe(true);
    const bySchedule = [...settled].sort((a, b) => a.invocation.id - b.invocation.id);
    // Lag is reported, not judged here: a send is never early, and the sends keep the schedule's order.
    expect(bySchedule.every(({ invocation, result }) => result.sentMs >= invocation.scheduledMs)).toBe(true);
    expect(bySchedule.every((entry, i) => i === 0 || entry.result.sentMs >= (bySchedule[i - 1] as Settled).result.sentMs)).toBe(true);
    expect(bySchedule.every(({ result }) => Number.isFinite(result.latencyMs))).toBe(true);
  });

  test('never more requests in flight than --connections; the ones that waited for one still go out', async () => {
    sleep.reset();
    const { settled, client, runner } = recordingRunner(`${sleep.url}/?ms={ms}`, { connections: 2 });
    await runOpenLoop({ schedule: stream(evenSchedule(12, 1, 15)), runner, maxInFlight: 2, graceMs: 0 });
    await client.close();
    expect(ids(settled)).toEqual(range(12));
    expect(sleep.maxInFlight()).toBeLessThanOrEqual(2);
    expect(settled.every(({ result }) => result.status === 200)).toBe(true);
  });

  test('an unreachable target: every invocation recorded as refused, nothing thrown', async () => {
    const { settled, client, runner } = recordingRunner('http://127.0.0.1:1/{function}');
    await runOpenLoop({ schedule: stream(evenSchedule(10, 1)), runner, graceMs: 0 });
    await client.close();
    expect(ids(settled)).toEqual(range(10));
    expect(new Set(settled.map(({ result }) => result.status))).toEqual(new Set(['refused']));
    expect(runner.counts()).toMatchObject({ sent: 10, settled: 10, failed: 10 });
  });

  test('a target that never answers: a timeout per request', async () => {
    const { settled, client, runner } = recordingRunner(`${silentUrl}/`, { timeoutMs: 100 });
    await runOpenLoop({ schedule: stream(evenSchedule(3, 1)), runner, graceMs: 0 });
    await client.destroy();
    expect(settled.map(({ result }) => result.status)).toEqual(['timeout', 'timeout', 'timeout']);
  });

  test('stopped mid-run: what is due and waiting is not sent, what is in flight is aborted after the grace; the rest continues from the checkpoint', async () => {
    const trace = evenSchedule(40, 2, 400);
    const stop = new AbortController();
    const first = recordingRunner(`${silentUrl}/?ms={ms}`, { connections: 3 });
    const firstStream = stream(trace);
    // Stop once ten invocations are due: three in flight (never answered), the rest waiting for a connection.
    const watch = setInterval(() => {
      if ((firstStream.peek()?.id ?? 40) >= 10) stop.abort();
    }, 1);
    const outcome = await runOpenLoop({ schedule: firstStream, runner: first.runner, maxInFlight: 3, stop: stop.signal, graceMs: 50 });
    clearInterval(watch);
    await first.client.close();
    expect(outcome.interrupted).toBe(true);
    const checkpoint = JSON.parse(JSON.stringify(firstStream.checkpoint())) as StreamCheckpoint;
    const next = checkpoint.next?.id as number;
    expect(ids(first.settled)).toEqual(range(next));
    const statuses = first.settled.map(({ result }) => result.status);
    expect(statuses.filter((status) => status === 'aborted')).toHaveLength(3);
    expect(statuses.filter((status) => status === 'not-sent')).toHaveLength(next - 3);

    sleep.reset();
    const second = recordingRunner(`${sleep.url}/?ms=1`);
    const source = createTraceReplaySource({ trace, timeScale: 1, bodyBytes: NaN }, checkpoint.source.kind === 'trace-replay' ? checkpoint.source : undefined);
    await runOpenLoop({ schedule: new ScheduleStream(source, UNBOUNDED, checkpoint), runner: second.runner, graceMs: 0 });
    await second.client.close();
    expect(ids([...first.settled, ...second.settled])).toEqual(range(40));
    expect(sleep.requests()).toBe(40 - next);
  });
});

describe('the sweep (closed loop, cell by cell)', () => {
  test('functions x grid x concurrency x repeat calls, each cell at most its concurrency in flight, usage reported', async () => {
    sleep.reset();
    const plan = new SweepPlan({
      functions: ['small', 'big'],
      grid: [
        { name: 'ms', values: ['2', '5'] },
        { name: 'size', values: ['s'] },
      ],
      concurrency: [1, 3],
      repeat: 4,
      bodyBytes: NaN,
    });
    const { settled, client, runner } = recordingRunner(`${sleep.url}/{function}/{size}?ms={ms}`, { headers: ['x-sample-usage: 1'], parameters: ['size'] });
    const outcome = await runSweep({ plan, runner, from: 0, clockMs: 0, graceMs: 0 });
    await client.close();
    expect(outcome).toEqual({ interrupted: false, next: 32 });
    expect(ids(settled)).toEqual(range(32));
    expect(sleep.maxInFlight()).toBeLessThanOrEqual(3);
    const firstCell = settled.filter(({ invocation }) => invocation.id < 4);
    expect(firstCell.every(({ invocation, result }) => invocation.sweep?.paramsText === 'ms=2;size=s' && invocation.sweep.concurrency === 1 && result.route === '/small/s')).toBe(true);
    expect(settled.every(({ result }) => result.status === 200 && result.cpuMs >= 0 && result.peakRssKb > 0)).toBe(true);
  });
});
