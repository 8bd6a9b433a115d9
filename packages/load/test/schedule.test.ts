import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { createMixSchedule, createTraceWorkload, loadAzureTrace } from '@shortline/sim';
import { openTraceSchedule, ScheduleStream, type LoadInvocation, type StreamCheckpoint, type TraceSchedule, type TraceWorkloadSettings } from '../src/index.js';
import { azure2019Fixture, azure2021Fixture, steadyCalls } from './fixtures.js';

function settings(path: string, overrides: Partial<TraceWorkloadSettings>): TraceWorkloadSettings {
  return { kind: 'trace', path, format: undefined, mode: 'mix', rate: { rps: 100 }, timeScale: 1, durationS: undefined, invocations: 200, seed: 3, ...overrides };
}

/** Takes invocations until the stream ends or `limit` are taken. */
function take(stream: ScheduleStream, limit = Infinity): LoadInvocation[] {
  const taken: LoadInvocation[] = [];
  for (let next = stream.peek(); next !== undefined && taken.length < limit; next = stream.peek()) {
    taken.push(next);
    stream.take();
  }
  return taken;
}

const fresh = (schedule: TraceSchedule): ScheduleStream => new ScheduleStream(schedule.source(), schedule.bounds);

describe('schedules from traces', () => {
  test("a mix is the simulator's own: same seed and rate, the same invocations in the same order", async () => {
    const dir = await azure2019Fixture();
    const schedule = await openTraceSchedule(settings(dir, { rate: { load: 0.5, slots: 2 } }), NaN);
    const drawn = take(fresh(schedule));
    const simulated = createMixSchedule(createTraceWorkload(await loadAzureTrace(dir)), { invocations: 200, slots: 2, load: 0.5, seed: 3 });
    expect(drawn.map((invocation) => invocation.id)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(drawn.map((invocation) => invocation.scheduledMs)).toEqual(Array.from(simulated.arrivalMs));
    expect(drawn.map((invocation) => invocation.durationMs)).toEqual(Array.from(simulated.durationMs));
    expect(drawn.map((invocation) => invocation.functionName)).toEqual(Array.from(simulated.functionIndex, (fn) => simulated.functions[fn]?.name));
  });

  test('replaying an Azure 2019 trace keeps its per-minute counts, a minute lasting 60 s x the time scale', async () => {
    const schedule = await openTraceSchedule(settings(await azure2019Fixture(), { mode: 'replay', rate: undefined, invocations: undefined, timeScale: 0.01 }), NaN);
    const drawn = take(fresh(schedule));
    const perMinute = [0, 1, 2].map((minute) => drawn.filter((invocation) => Math.floor(invocation.scheduledMs / 600) === minute).length);
    expect(perMinute).toEqual([33, 20, 42]);
    expect(drawn.filter((invocation) => invocation.functionName === 'long')).toHaveLength(5);
    expect(drawn.every((invocation, i) => i === 0 || invocation.scheduledMs >= (drawn[i - 1] as LoadInvocation).scheduledMs)).toBe(true);
  });

  test('replaying an Azure 2021 trace starts each call at end − duration, times and durations scaled', async () => {
    const file = await azure2021Fixture([
      { func: 'b', end: 12, duration: 4 },
      { func: 'a', end: 10.5, duration: 0.5 },
      { func: 'a', end: 11, duration: 0.25 },
    ]);
    const schedule = await openTraceSchedule(settings(file, { mode: 'replay', rate: undefined, invocations: undefined, timeScale: 0.1 }), NaN);
    expect(schedule.format).toBe('azure2021');
    expect(take(fresh(schedule)).map(({ functionName, scheduledMs, durationMs }) => [functionName, scheduledMs, durationMs])).toEqual([
      ['b', 0, 400],
      ['a', 200, 50],
      ['a', 275, 25],
    ]);
  });

  test('a schedule ends at --duration or --invocations, whichever comes first', async () => {
    const dir = await azure2019Fixture();
    const byTime = take(fresh(await openTraceSchedule(settings(dir, { invocations: undefined, durationS: 0.5 }), NaN)));
    expect(byTime.every((invocation) => invocation.scheduledMs < 500)).toBe(true);
    expect(byTime.length).toBeGreaterThan(0);
    expect(take(fresh(await openTraceSchedule(settings(dir, { invocations: 7, durationS: 1000 }), NaN)))).toHaveLength(7);
  });

  test('an Azure 2021 mix draws each duration from its own function\'s calls', async () => {
    const calls = steadyCalls(60);
    const schedule = await openTraceSchedule(settings(await azure2021Fixture(calls), { timeScale: 2 }), NaN);
    const durationsOf = (func: string): Set<number> => new Set(calls.filter((call) => call.func === func).map((call) => Math.round(call.duration * 2000 * 1e6)));
    for (const invocation of take(fresh(schedule))) {
      expect(durationsOf(invocation.functionName).has(Math.round(invocation.durationMs * 1e6))).toBe(true);
    }
  });
});

describe('a schedule stopped anywhere and continued from its checkpoint', () => {
  const kinds: [string, () => Promise<TraceSchedule>][] = [
    ['azure2019 mix', async () => openTraceSchedule(settings(await azure2019Fixture(), {}), NaN)],
    ['azure2019 replay', async () => openTraceSchedule(settings(await azure2019Fixture(), { mode: 'replay', rate: undefined, invocations: undefined }), NaN)],
    ['azure2021 mix', async () => openTraceSchedule(settings(await azure2021Fixture(steadyCalls(30)), { invocations: 80 }), NaN)],
    ['azure2021 replay', async () => openTraceSchedule(settings(await azure2021Fixture(steadyCalls(30)), { mode: 'replay', rate: undefined }), NaN)],
  ];

  test.each(kinds)('%s: the two parts are exactly the whole schedule', async (_kind, open) => {
    const schedule = await open();
    const whole = take(fresh(schedule));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: whole.length }), (cut) => {
        const first = fresh(schedule);
        const before = take(first, cut);
        // The checkpoint goes through JSON, as it does through checkpoint.json.
        const checkpoint = JSON.parse(JSON.stringify(first.checkpoint())) as StreamCheckpoint;
        const after = take(new ScheduleStream(schedule.source(checkpoint.source), schedule.bounds, checkpoint));
        expect([...before, ...after]).toEqual(whole);
      }),
      { numRuns: 25 },
    );
  });
});
