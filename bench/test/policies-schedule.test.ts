import { afterAll, describe, expect, test } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { createMixSchedule, createSyntheticWorkload, TraceFormatError } from '@shortline/sim';
import { createBenchmarkSchedule } from '../policies/benchmark-schedule.js';
import { parsePoliciesArgs, type PoliciesSettings } from '../policies/policies-options.js';
import { scaleWorkload } from '../policies/scaled-workload.js';
import { DURATIONS_HEADER, FIXTURE_FUNCTIONS, writeFixtureTrace } from './policies-fixture.js';

function settings(...args: string[]): PoliciesSettings {
  return parsePoliciesArgs(args) as PoliciesSettings;
}

const folders: string[] = [];
async function fixtureTrace(durationsLines?: readonly string[]): Promise<string> {
  const dir = await writeFixtureTrace(durationsLines);
  folders.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('a time-scaled workload', () => {
  const workload = createSyntheticWorkload({ kind: 'lognormal', parameters: { median: 100, sigma: 1.5, functions: 5 } });
  const options = { invocations: 2000, slots: 4, load: 0.8, seed: 7 };

  test('the same seed gives the same functions in the same order; each duration is scaled, then floored', () => {
    const original = createMixSchedule(workload, options);
    const scaled = createMixSchedule(scaleWorkload(workload, { factor: 0.05, floorMs: 2 }), options);
    expect(Array.from(scaled.functionIndex)).toEqual(Array.from(original.functionIndex));
    const expected = Array.from(original.durationMs, (duration) => Math.max(2, 0.05 * duration));
    Array.from(scaled.durationMs).forEach((duration, i) => expect(duration).toBeCloseTo(expected[i] as number, 9));
    expect(expected.some((duration) => duration === 2)).toBe(true);
  });

  test('gaps scale with the mean, floor included, so the load stays the one asked for', () => {
    const scaledWorkload = scaleWorkload(workload, { factor: 0.05, floorMs: 2 });
    const original = createMixSchedule(workload, options);
    const scaled = createMixSchedule(scaledWorkload, options);
    const ratio = scaledWorkload.meanDurationMs / workload.meanDurationMs;
    expect(ratio).toBeGreaterThan(0.05);
    Array.from(scaled.arrivalMs).forEach((arrival, i) => expect(arrival).toBeCloseTo((original.arrivalMs[i] as number) * ratio, 6));
  });

  test('the mean with a floor is E[max(floor, factor·X)]', () => {
    // Exponential with mean m: E[max(f, X)] = f + m·exp(−f/m).
    const exponential = createSyntheticWorkload({ kind: 'exponential', parameters: { mean: 10, functions: 1 } });
    expect(scaleWorkload(exponential, { factor: 1, floorMs: 5 }).meanDurationMs).toBeCloseTo(5 + 10 * Math.exp(-0.5), 1);
    const constant = createSyntheticWorkload({ kind: 'constant', parameters: { mean: 1, functions: 1 } });
    expect(scaleWorkload(constant, { factor: 1, floorMs: 3 }).meanDurationMs).toBe(3);
    expect(scaleWorkload(constant, { factor: 4, floorMs: 0 }).meanDurationMs).toBe(4);
  });

  test('function averages are scaled too (the trace-average prior)', () => {
    const traced = { ...workload, functions: [{ name: 'a', averageMs: 200 }] };
    expect(scaleWorkload(traced, { factor: 0.1, floorMs: 0 }).functions).toEqual([{ name: 'a', averageMs: 20 }]);
  });

  test('a bad scale is refused', () => {
    expect(() => scaleWorkload(workload, { factor: 0, floorMs: 1 })).toThrow('time scale factor');
    expect(() => scaleWorkload(workload, { factor: 1, floorMs: -1 })).toThrow('duration floor');
  });
});

describe('the benchmark schedule', () => {
  test('a trace is scaled so that the arrivals span the asked duration', async () => {
    const dir = await fixtureTrace();
    const benchmark = await createBenchmarkSchedule(settings('--trace', dir, '--invocations', '200', '--duration', '4', '--min-duration-ms', '0'));
    expect(benchmark.schedule.arrivalMs).toHaveLength(200);
    expect(benchmark.spanMs).toBeCloseTo(4000, 6);
    expect(benchmark.label).toMatch(/\(mix\)$/);
    expect(benchmark.source).toMatchObject({ functions: FIXTURE_FUNCTIONS.length, traceInvocations: 117 });
    expect(benchmark.schedule.functions.map((fn) => fn.name)).toEqual(FIXTURE_FUNCTIONS.map((fn) => fn.hash));
  });

  test('the same settings give the same schedule', async () => {
    const dir = await fixtureTrace();
    const args = ['--trace', dir, '--invocations', '100', '--duration', '2', '--seed', '3'];
    const [a, b] = [await createBenchmarkSchedule(settings(...args)), await createBenchmarkSchedule(settings(...args))];
    expect(Array.from(a.schedule.durationMs)).toEqual(Array.from(b.schedule.durationMs));
    expect(Array.from(a.schedule.arrivalMs)).toEqual(Array.from(b.schedule.arrivalMs));
  });

  test('replay takes the trace minute by minute, up to the whole trace', async () => {
    const dir = await fixtureTrace();
    const benchmark = await createBenchmarkSchedule(settings('--trace', dir, '--mode', 'replay', '--invocations', '1000', '--duration', '3'));
    expect(benchmark.schedule.arrivalMs).toHaveLength(117);
    expect(benchmark.label).toMatch(/\(replay\)$/);
  });

  test('a trace with a bad line is reported with its file and line', async () => {
    const dir = await fixtureTrace([DURATIONS_HEADER, 'owner,app,short,6,100,2,20,2,3,5,6,8,15,20', 'owner,app,medium,80,100,40,300,40,45,sixty,80,100,200,300']);
    const error: unknown = await createBenchmarkSchedule(settings('--trace', dir)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as Error).message).toMatch(/durations\.csv:3: percentile_Average_25 must be a number >= 0, found "sixty"/);
  });

  test('a missing trace folder is named', async () => {
    await expect(createBenchmarkSchedule(settings('--trace', '/nonexistent/trace'))).rejects.toThrow('/nonexistent/trace');
  });
});
