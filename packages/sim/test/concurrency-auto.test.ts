// `concurrency: auto` against the three modelled kinds of container, on the mix: 90% short
// calls (5 ms of work) and 10% long ones (250 ms), each size its own functions. Counted, not timed:
// every figure is in model time, so these runs give the same numbers on any machine.
import { describe, expect, it } from '@jest/globals';
import {
  compareConcurrency,
  createMixSchedule,
  createSyntheticWorkload,
  runContainer,
  type ConcurrencyRow,
  type ContainerModelSpec,
  type Schedule,
} from '../src/index.js';

const MIX = createSyntheticWorkload({ kind: 'bimodal', parameters: { short: 5, long: 250, 'long-share': 0.1, sigma: 0, functions: 10 } });
const AGING_SRTF = { name: 'aging-srtf' } as const;

function mix(slots: number, load: number, invocations = 30_000, seed = 3): Schedule {
  return createMixSchedule(MIX, { invocations, slots, load, seed });
}

function rows(schedule: Schedule, container: ContainerModelSpec, concurrency: (number | 'auto')[] = [0, 'auto']): Record<string, ConcurrencyRow> {
  const comparison = compareConcurrency(schedule, { container, concurrency, policy: AGING_SRTF });
  return Object.fromEntries(comparison.rows.map((row) => [row.name, row]));
}

describe('concurrency: auto in the simulator', () => {
  it('with no limit every call goes straight into the container, and none is lost', () => {
    const schedule = mix(1, 0.7, 2_000);
    const run = runContainer(schedule, { container: { kind: 'sequential', capacity: 1 }, concurrency: 0, policy: AGING_SRTF });
    expect(run.limits).toEqual([{ atMs: 0, limit: 0, longBudget: 0 }]);
    for (let i = 0; i < 2_000; i++) {
      expect(run.finishedAtMs[i]).toBeGreaterThanOrEqual(schedule.arrivalMs[i] as number);
      expect(run.latencyMs[i]).toBeCloseTo((run.finishedAtMs[i] as number) - (schedule.arrivalMs[i] as number), 9);
    }
  });

  it('holds a single sequential worker to one call and orders the rest: far lower mean latency, same throughput', () => {
    const { none, auto } = rows(mix(1, 0.7), { kind: 'sequential', capacity: 1 }) as Record<string, ConcurrencyRow>;
    expect(auto?.learnt).toMatchObject({ kind: 'sequential', parallelism: 1 });
    expect(auto?.metrics.meanLatencyMs).toBeLessThan(0.6 * (none?.metrics.meanLatencyMs as number));
    expect(auto?.metrics.throughputPerSec).toBeGreaterThan(0.95 * (none?.metrics.throughputPerSec as number));
  });

  it('learns the worker count of a container with several', () => {
    const { auto } = rows(mix(2, 0.7), { kind: 'sequential', capacity: 2 }) as Record<string, ConcurrencyRow>;
    expect(auto?.learnt).toMatchObject({ kind: 'sequential', parallelism: 2 });
  });

  it('on a shared CPU keeps no plain limit (a limit of 2 makes it worse) but a long budget that beats no limit', () => {
    const { none, 2: two, auto } = rows(mix(2, 0.8), { kind: 'shared', capacity: 2 }, [0, 2, 'auto']) as Record<string, ConcurrencyRow>;
    expect(two?.metrics.meanLatencyMs).toBeGreaterThan(none?.metrics.meanLatencyMs as number);
    expect(auto?.learnt).toMatchObject({ kind: 'shared', limit: 0 });
    expect(auto?.learnt?.longBudget).toBeGreaterThanOrEqual(2);
    expect(auto?.metrics.meanLatencyMs).toBeLessThan(none?.metrics.meanLatencyMs as number);
    expect(auto?.metrics.p99LatencyMs).toBeLessThan(none?.metrics.p99LatencyMs as number);
    expect(auto?.metrics.throughputPerSec).toBeGreaterThan(0.95 * (none?.metrics.throughputPerSec as number));
  });

  it('gets out of the way of an I/O-bound container: the same latencies as no limit', () => {
    const schedule = createMixSchedule(createSyntheticWorkload({ kind: 'constant', parameters: { mean: 50, functions: 1 } }), {
      invocations: 30_000,
      slots: 75,
      load: 1,
      seed: 3,
    });
    const { none, auto } = rows(schedule, { kind: 'io', capacity: 0 }) as Record<string, ConcurrencyRow>;
    expect(auto?.learnt?.limit).toBe(0);
    expect(auto?.metrics).toEqual(none?.metrics);
    const mixed = rows(mix(20, 1), { kind: 'io', capacity: 0 });
    expect(mixed['auto']?.learnt).toMatchObject({ kind: 'io', limit: 0, longBudget: 0 });
    expect(mixed['auto']?.metrics).toEqual(mixed['none']?.metrics);
  });

  it('follows a container that loses half its workers mid-run within 10 s of model time', () => {
    const schedule = mix(2, 0.7, 40_000);
    const comparison = compareConcurrency(schedule, {
      container: { kind: 'sequential', capacity: 4 },
      concurrency: ['auto'],
      policy: AGING_SRTF,
      capacityChange: { atMs: 200_000, capacity: 2 },
    });
    const [auto] = comparison.rows;
    expect(auto?.limits.some((step) => step.atMs < 200_000 && step.limit >= 4)).toBe(true);
    expect(auto?.followedAfterMs).toBeDefined();
    expect(auto?.followedAfterMs).toBeLessThan(10_000);
    expect(auto?.learnt).toMatchObject({ kind: 'sequential', parallelism: 2 });
  });

  it('gives the same result for the same schedule', () => {
    const schedule = mix(2, 0.8, 10_000);
    const once = rows(schedule, { kind: 'shared', capacity: 2 });
    const again = rows(schedule, { kind: 'shared', capacity: 2 });
    expect(once['auto']?.metrics).toEqual(again['auto']?.metrics);
    expect(once['auto']?.limits).toEqual(again['auto']?.limits);
  });
});
