import { describe, expect, it } from '@jest/globals';
import {
  createBurstySchedule,
  createMixSchedule,
  createSyntheticWorkload,
  DEFAULT_BURSTS,
  runPolicy,
  runSimulation,
  summarizeFairness,
  type FunctionSettings,
} from '../src/index.js';

const SLOTS = 4;
const workload = createSyntheticWorkload({ kind: 'lognormal', parameters: { sigma: 2, functions: 6 } });
const schedule = createMixSchedule(workload, { invocations: 8_000, slots: SLOTS, load: 0.9, seed: 3 });
const names = workload.functions.map((fn) => fn.name);

describe('bursty arrivals', () => {
  it('offer the asked load on average, and burstFactor times the mean rate during bursts', () => {
    const bursty = createBurstySchedule(workload, { invocations: 40_000, slots: SLOTS, load: 0.9, seed: 1 });
    const arrivals = bursty.arrivalMs;
    const spanMs = arrivals[arrivals.length - 1] as number;
    const burstMs = DEFAULT_BURSTS.burstShare * DEFAULT_BURSTS.periodMs;
    const inBursts = Array.from(arrivals).filter((at) => at % DEFAULT_BURSTS.periodMs < burstMs).length;
    const meanRate = arrivals.length / spanMs;
    const burstRate = inBursts / (DEFAULT_BURSTS.burstShare * spanMs);
    expect(Math.abs((meanRate * workload.meanDurationMs) / SLOTS - 0.9)).toBeLessThan(0.05);
    expect(Math.abs(burstRate / meanRate - DEFAULT_BURSTS.burstFactor)).toBeLessThan(0.15);
  });

  it('refuse bursts that cannot average out to the load', () => {
    expect(() => createBurstySchedule(workload, { invocations: 10, slots: 1, load: 0.5, seed: 1 }, { burstFactor: 3, burstShare: 0.5, periodMs: 1000 })).toThrow(
      /burstFactor × burstShare must be below 1/,
    );
  });
});

describe('fairness figures of a run', () => {
  const tiers = new Map<string, FunctionSettings>([
    [names[1] as string, { priority: 'high' }],
    [names[4] as string, { priority: 'low', deadlineMs: 500 }],
  ]);

  it('group the calls by the tier the settings give, and count deadlines by each call latency', () => {
    const run = runPolicy(schedule, { name: 'fifo' }, { slots: SLOTS });
    const fairness = summarizeFairness(schedule, run, 0, { functionSettings: tiers, cappedSlots: 1 });
    expect(fairness.tiers.map((t) => t.priority)).toEqual(['high', 'normal', 'low']);
    expect(fairness.tiers.reduce((sum, t) => sum + t.completed, 0)).toBe(8_000);
    let met = 0;
    let withDeadline = 0;
    schedule.functionIndex.forEach((fn, i) => {
      if (fn !== 4) return;
      withDeadline++;
      if ((run.waitMs[i] as number) + (schedule.durationMs[i] as number) <= 500) met++;
    });
    expect(fairness.deadlines).toMatchObject({ withDeadline, met, attainment: met / withDeadline });
  });

  it('show the high tier waiting less with tiers than without, and every call of every tier within its bound', () => {
    const result = runSimulation(schedule, { slots: SLOTS, policies: [{ name: 'aging-srtf' }], functionSettings: tiers });
    const plain = runPolicy(schedule, { name: 'aging-srtf' }, { slots: SLOTS });
    const untiered = summarizeFairness(schedule, plain, result.warmup, { functionSettings: tiers, cappedSlots: 1 });
    const tiered = result.policies[0]?.fairness;
    const high = (f: typeof tiered) => f?.tiers.find((t) => t.priority === 'high');
    expect(high(tiered)?.p99WaitMs).toBeLessThan(high(untiered)?.p99WaitMs as number);
    // The same calls take the same time either way, and no queue order brings a tier's p99 below its durations'.
    expect(high(tiered)?.p99ServiceMs).toBe(high(untiered)?.p99ServiceMs);
    for (const tier of [...(tiered?.tiers ?? []), ...untiered.tiers]) expect(tier.p99ServiceMs).toBeLessThanOrEqual(tier.p99LatencyMs);
    for (const tier of tiered?.tiers ?? []) expect(tier.maxWaitOverBound).toBeLessThanOrEqual(1);
    // Some calls did wait past their cap, so the bound was put to the test.
    expect(Math.max(...(tiered?.tiers ?? []).map((t) => t.maxWaitOverBound))).toBeGreaterThan(0.3);
  });
});
