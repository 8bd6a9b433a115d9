import { describe, expect, it } from '@jest/globals';
import {
  createMixSchedule,
  createReplaySchedule,
  createSyntheticWorkload,
  createTraceWorkload,
  loadAzureTrace,
  normalQuantile,
  parseSyntheticSpec,
  PercentileSampler,
  Random,
  SyntheticSpecError,
  type Schedule,
} from '../src/index.js';
import type { RequestFeatures } from '@shortline/core';
import { DURATIONS_HEADER, durationsRow, invocationsHeader, invocationsRow, traceFolder } from './trace-fixtures.js';

function mean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Arrival rate × mean duration ÷ slots, measured on the schedule itself. */
function realisedLoad(schedule: Schedule, slots: number): number {
  const span = schedule.arrivalMs[schedule.arrivalMs.length - 1] as number;
  return (mean(schedule.durationMs) * schedule.arrivalMs.length) / (span * slots);
}

describe('Random', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const first = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 1000 }, () => c.next())).not.toEqual(first);
    expect(first.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(Math.abs(first.reduce((s, u) => s + u, 0) / 1000 - 0.5)).toBeLessThan(0.05);
    expect(() => new Random(-1)).toThrow(RangeError);
  });
});

describe('normalQuantile', () => {
  it('matches the standard normal table', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
    expect(normalQuantile(0)).toBe(-Infinity);
  });
});

describe('PercentileSampler', () => {
  const sampler = new PercentileSampler([Float64Array.from([0, 2, 10, 20, 40, 400, 1000]), Float64Array.from([5, 5, 5, 5, 5, 5, 5])]);

  it('passes through the seven percentile points, log-linearly between them, never below 1 ms', () => {
    expect(sampler.quantile(0, 0)).toBe(1);
    expect(sampler.quantile(0, 0.5)).toBeCloseTo(20, 9);
    expect(sampler.quantile(0, 0.99)).toBeCloseTo(400, 9);
    expect(sampler.quantile(0, 1)).toBeCloseTo(1000, 9);
    // Halfway between p25 (10) and p50 (20) in probability is their geometric mean.
    expect(sampler.quantile(0, 0.375)).toBeCloseTo(Math.sqrt(200), 9);
    expect(sampler.quantile(1, 0.3)).toBeCloseTo(5, 9);
  });

  it('knows the exact mean of what it draws', () => {
    const random = new Random(5);
    const draws = Float64Array.from({ length: 200_000 }, () => sampler.quantile(0, random.next()));
    expect(mean(draws) / sampler.mean(0)).toBeCloseTo(1, 1);
    expect(sampler.mean(1)).toBeCloseTo(5, 9);
  });
});

describe('synthetic workloads', () => {
  it('parses KIND[:key=value,...] and rejects what it does not know, naming it', () => {
    expect(parseSyntheticSpec('bimodal:short=10,long=5000,long-share=0.02')).toEqual({
      kind: 'bimodal',
      parameters: { short: 10, long: 5000, 'long-share': 0.02 },
    });
    expect(parseSyntheticSpec('pareto')).toEqual({ kind: 'pareto', parameters: {} });
    expect(() => parseSyntheticSpec('gamma')).toThrow(/unknown kind "gamma"/);
    expect(() => parseSyntheticSpec('lognormal:sigma')).toThrow(/key=value/);
    expect(() => parseSyntheticSpec('lognormal:sigma=wide')).toThrow(/sigma must be a number, found "wide"/);
    expect(() => createSyntheticWorkload({ kind: 'lognormal', parameters: { mean: 3 } })).toThrow(/unknown parameter "mean"/);
    expect(() => createSyntheticWorkload({ kind: 'pareto', parameters: { alpha: 1 } })).toThrow(SyntheticSpecError);
    expect(() => createSyntheticWorkload({ kind: 'exponential', parameters: { functions: 0 } })).toThrow(/functions/);
  });

  it('draws durations with the stated mean, one function per size band, shortest band first', () => {
    for (const spec of [
      { kind: 'exponential', parameters: { mean: 50 } },
      { kind: 'lognormal', parameters: { median: 20, sigma: 1 } },
      { kind: 'bimodal' },
      { kind: 'constant', parameters: { mean: 7 } },
    ] as const) {
      const workload = createSyntheticWorkload(spec);
      const schedule = createMixSchedule(workload, { invocations: 100_000, slots: 2, load: 0.5, seed: 3 });
      expect(mean(schedule.durationMs) / workload.meanDurationMs).toBeCloseTo(1, 1);
      expect(realisedLoad(schedule, 2)).toBeCloseTo(0.5, 1);
    }
    const banded = createMixSchedule(createSyntheticWorkload({ kind: 'lognormal', parameters: { functions: 4 } }), {
      invocations: 20_000,
      slots: 1,
      load: 0.5,
      seed: 1,
    });
    const longestOf = new Float64Array(4);
    const shortestOf = new Float64Array(4).fill(Infinity);
    banded.functionIndex.forEach((fn, i) => {
      longestOf[fn] = Math.max(longestOf[fn] as number, banded.durationMs[i] as number);
      shortestOf[fn] = Math.min(shortestOf[fn] as number, banded.durationMs[i] as number);
    });
    for (let band = 1; band < 4; band++) expect(shortestOf[band]).toBeGreaterThanOrEqual(longestOf[band - 1] as number);
  });
});

describe('request workloads: one function whose calls carry features', () => {
  /** The invocations whose features match, with their durations. */
  function durationsWhere(schedule: Schedule, match: (features: RequestFeatures) => boolean): number[] {
    const features = schedule.features ?? [];
    return features.flatMap((f, i) => (match(f) ? [schedule.durationMs[i] as number] : []));
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

  it('draws the stated mean, every invocation with its features, in one function', () => {
    for (const spec of [{ kind: 'service' }, { kind: 'upload' }, { kind: 'events', parameters: { types: 4 } }] as const) {
      const workload = createSyntheticWorkload(spec);
      expect(workload.functions.map((fn) => fn.name)).toEqual([spec.kind]);
      const schedule = createMixSchedule(workload, { invocations: 200_000, slots: 2, load: 0.8, seed: 5 });
      expect(schedule.features).toHaveLength(200_000);
      expect(mean(schedule.durationMs) / workload.meanDurationMs).toBeCloseTo(1, 1);
      expect(realisedLoad(schedule, 2)).toBeCloseTo(0.8, 1);
    }
  });

  it('service: routes, ids, names, a report by range and sizes that decide the duration', () => {
    const schedule = createMixSchedule(createSyntheticWorkload({ kind: 'service', parameters: { sigma: 0 } }), {
      invocations: 20_000,
      slots: 2,
      load: 0.8,
      seed: 1,
    });
    const paths = new Set((schedule.features ?? []).map((f) => f.path.replace(/\/\d+$/, '/{n}').replace(/^\/users\/[a-z]+/, '/users/{name}')));
    expect([...paths].sort()).toEqual(['/items/{n}', '/report', '/search', '/thumbnail', '/upload', '/users/{name}/profile']);
    expect(durationsWhere(schedule, (f) => f.query.startsWith('range=month'))).toEqual(expect.arrayContaining([2400]));
    expect(new Set(durationsWhere(schedule, (f) => f.query.startsWith('range=day')))).toEqual(new Set([150]));
    // An upload takes 3 ms plus 1 ms per 10 KB: the size is in its Content-Length.
    const uploads = (schedule.features ?? []).flatMap((f, i) => (f.path === '/upload' ? [[f.contentLength, schedule.durationMs[i] as number]] : []));
    expect(uploads.length).toBeGreaterThan(1000);
    for (const [bytes, ms] of uploads) expect(ms).toBeCloseTo(3 + (bytes as number) / 10_000, 6);
  });

  it('events: POST / told apart only by the CloudEvent type, durations spread from short to long', () => {
    const schedule = createMixSchedule(createSyntheticWorkload({ kind: 'events', parameters: { types: 3, short: 10, long: 1000 } }), {
      invocations: 30_000,
      slots: 2,
      load: 0.8,
      seed: 2,
    });
    expect(new Set((schedule.features ?? []).map((f) => `${f.method} ${f.path}`))).toEqual(new Set(['POST /']));
    const medians = [0, 1, 2].map((t) => median(durationsWhere(schedule, (f) => f.ceType === `com.example.step-${t}`)));
    expect(medians[0]).toBeCloseTo(10, -1);
    expect(medians[1]).toBeCloseTo(100, -1);
    expect(medians[2]).toBeCloseTo(1000, -2);
  });

  it('rejects an upload whose size range is empty', () => {
    expect(() => createSyntheticWorkload({ kind: 'upload', parameters: { 'min-bytes': 10, 'max-bytes': 10 } })).toThrow(/max-bytes must be greater/);
    expect(() => createSyntheticWorkload({ kind: 'events', parameters: { types: 0 } })).toThrow(/types must be an integer/);
  });
});

describe('trace schedules', () => {
  async function fixtureWorkload() {
    const dir = await traceFolder({
      'invocations.csv': [invocationsHeader(4), invocationsRow('busy', [300, 0, 600, 300]), invocationsRow('rare', [100, 0, 0, 100])],
      'durations.csv': [DURATIONS_HEADER, durationsRow('busy', 10, [1, 2, 5, 10, 20, 50, 100]), durationsRow('rare', 1000, [100, 200, 500, 1000, 2000, 5000, 9000])],
    });
    return createTraceWorkload(await loadAzureTrace(dir));
  }

  it('mix: draws each function by its share, at the rate that offers the load', async () => {
    const workload = await fixtureWorkload();
    const schedule = createMixSchedule(workload, { invocations: 50_000, slots: 4, load: 0.8, seed: 9 });
    const rare = schedule.functionIndex.reduce((count, fn) => count + (fn === 1 ? 1 : 0), 0);
    expect(rare / 50_000).toBeCloseTo(200 / 1400, 2);
    expect(realisedLoad(schedule, 4)).toBeCloseTo(0.8, 1);
    for (let i = 1; i < schedule.arrivalMs.length; i++) expect(schedule.arrivalMs[i]).toBeGreaterThanOrEqual(schedule.arrivalMs[i - 1] as number);
  });

  it('replay: keeps the per-minute counts in order, time-scaled to the load', async () => {
    const workload = await fixtureWorkload();
    const schedule = createReplaySchedule(workload, { invocations: 1_000, slots: 4, load: 0.8, seed: 9 });
    expect(schedule.arrivalMs).toHaveLength(1_000);
    // Minute 0 holds 400 invocations, minute 1 none, minute 2 600: the first 1,000 end within minute 2.
    // The three replayed minutes offer 0.8 on 4 slots: that fixes the length of a trace minute.
    const minuteMs = (1_000 * schedule.meanDurationMs) / (3 * 4 * 0.8);
    const inMinute = [0, 0, 0];
    for (const at of schedule.arrivalMs) {
      const minute = Math.min(2, Math.floor(at / minuteMs));
      inMinute[minute] = (inMinute[minute] as number) + 1;
    }
    expect(inMinute).toEqual([400, 0, 600]);
    const rareInFirstMinute = schedule.functionIndex.subarray(0, 400).reduce((count, fn) => count + (fn === 1 ? 1 : 0), 0);
    expect(rareInFirstMinute).toBe(100);
    expect(schedule.functionIndex.subarray(400).every((fn) => fn === 0)).toBe(true);
    expect(schedule.arrivalMs[999]).toBeLessThan(3 * minuteMs);
    expect(schedule.meanDurationMs).toBeCloseTo((900 * workload.meanOf(0) + 100 * workload.meanOf(1)) / 1_000, 6);
  });

  it('replay: stops at the end of the trace when asked for more', async () => {
    const workload = await fixtureWorkload();
    expect(createReplaySchedule(workload, { invocations: 10_000, slots: 1, load: 0.5, seed: 1 }).arrivalMs).toHaveLength(1_400);
  });
});
