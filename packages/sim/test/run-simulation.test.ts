import { describe, expect, it } from '@jest/globals';
import {
  createMixSchedule,
  createSimulationReport,
  createSyntheticWorkload,
  largestByDuration,
  percentile,
  runSimulation,
  SLOWDOWN_FLOOR_MS,
  type PolicyMetrics,
  type Schedule,
  type SimulatedPolicy,
  type SyntheticSpec,
} from '../src/index.js';

const ALL: SimulatedPolicy[] = [
  { name: 'fifo' },
  { name: 'sept' },
  { name: 'linear-aging' },
  { name: 'hrrn' },
  { name: 'aging-srtf' },
  { name: 'oracle' },
];

function schedule(spec: SyntheticSpec, seed = 7, invocations = 6_000, slots = 4, load = 0.85): Schedule {
  return createMixSchedule(createSyntheticWorkload(spec), { invocations, slots, load, seed });
}

describe('runSimulation', () => {
  it('never gives the oracle a higher mean latency than FIFO on the same arrivals', () => {
    const workloads: SyntheticSpec[] = [
      { kind: 'lognormal', parameters: { sigma: 2 } },
      { kind: 'bimodal' },
      { kind: 'pareto', parameters: { alpha: 1.3 } },
      { kind: 'exponential' },
    ];
    for (const spec of workloads) {
      for (const seed of [1, 2]) {
        const result = runSimulation(schedule(spec, seed), { slots: 4, policies: [{ name: 'fifo' }, { name: 'oracle' }] });
        const [fifo, oracle] = result.policies;
        expect(oracle?.metrics.meanLatencyMs).toBeLessThanOrEqual(fifo?.metrics.meanLatencyMs as number);
      }
    }
  });

  it('runs every policy to completion and counts only what follows the 10% warm-up', () => {
    const result = runSimulation(schedule({ kind: 'lognormal' }), { slots: 4, policies: ALL });
    expect(result.warmup).toBe(600);
    expect(result.policies.map((p) => p.name)).toEqual(ALL.map((p) => p.name));
    for (const policy of result.policies) {
      expect(policy.metrics.completed).toBe(5_400);
      expect(policy.sortedLatencyMs).toHaveLength(5_400);
      expect(policy.metrics.p50LatencyMs).toBeLessThanOrEqual(policy.metrics.p99LatencyMs);
      expect(policy.metrics.p99LatencyMs).toBeLessThanOrEqual(policy.metrics.maxLatencyMs);
      expect(policy.metrics.meanSlowdown).toBeGreaterThanOrEqual(1);
    }
    const oracle = result.policies.find((p) => p.name === 'oracle');
    // Zero but for sub-millisecond calls, whose predictions the core raises to 1 ms.
    expect(oracle?.metrics.predictionMape).toBeLessThan(0.001);
    expect(oracle?.parameters).toEqual({});
    expect(result.policies.find((p) => p.name === 'aging-srtf')?.parameters).toHaveProperty('maxWaitMs');
  });

  it('learns request classes on a service in ONE function: aging-srtf well below fifo, near the oracle', () => {
    // The figure, smaller: several routes and a size-dependent POST, 2 slots, load 0.8.
    const service = createMixSchedule(createSyntheticWorkload({ kind: 'service' }), { invocations: 30_000, slots: 2, load: 0.8, seed: 3 });
    const result = runSimulation(service, { slots: 2, policies: [{ name: 'fifo' }, { name: 'aging-srtf' }, { name: 'oracle' }] });
    const [fifo, learned, oracle] = result.policies.map((p) => p.metrics) as [PolicyMetrics, PolicyMetrics, PolicyMetrics];
    expect(learned.meanLatencyMs).toBeLessThan(0.6 * fifo.meanLatencyMs);
    expect(learned.meanLatencyMs).toBeLessThan(1.25 * oracle.meanLatencyMs);
    // The predictions: near the noise (spread 0.25, a mean absolute log error of 0.2), and the oracle exact.
    expect(learned.predictionMale).toBeLessThan(0.3);
    expect(oracle.predictionMale).toBe(0);
    // Without features the same calls are one function's: aging-srtf is then no better than fifo.
    const blind = runSimulation({ ...service, features: undefined }, { slots: 2, policies: [{ name: 'fifo' }, { name: 'aging-srtf' }] });
    const [blindFifo, blindLearned] = blind.policies.map((p) => p.metrics) as [PolicyMetrics, PolicyMetrics];
    expect(blindLearned.meanLatencyMs).toBeGreaterThan(0.9 * blindFifo.meanLatencyMs);
  });

  it('gives byte-identical reports for the same seed, and different ones for another seed', () => {
    const report = (seed: number): string =>
      JSON.stringify(createSimulationReport(runSimulation(schedule({ kind: 'bimodal' }, seed), { slots: 4, policies: ALL }), { seed }));
    expect(report(3)).toBe(report(3));
    expect(report(3)).not.toBe(report(4));
  });

  it('starts every function from the predictor prior, or from the workload average when asked', () => {
    const base = schedule({ kind: 'exponential', parameters: { functions: 1 } }, 1, 2_000, 1, 0.5);
    // The trace-average prior only changes the first prediction of each function; give it one to use.
    const withAverage: Schedule = { ...base, functions: base.functions.map((fn) => ({ ...fn, averageMs: 100 })) };
    const cold = runSimulation(withAverage, { slots: 1, policies: [{ name: 'fifo' }], warmupFraction: 0 });
    const seeded = runSimulation(withAverage, { slots: 1, policies: [{ name: 'fifo' }], warmupFraction: 0, prior: 'trace-average' });
    expect(seeded.policies[0]?.metrics.predictionMape).toBeLessThan(cold.policies[0]?.metrics.predictionMape as number);
    expect(seeded.policies[0]?.metrics.meanLatencyMs).toBe(cold.policies[0]?.metrics.meanLatencyMs);
  });

  it('computes slowdown against a 10 ms floor and the top-1% set by true duration', () => {
    const durations = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    const largest = largestByDuration(durations, 100);
    expect(largest).toHaveLength(9);
    expect(Array.from(largest)).toEqual([991, 992, 993, 994, 995, 996, 997, 998, 999]);
    expect(SLOWDOWN_FLOOR_MS).toBe(10);
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(percentile(sorted, 0.5)).toBe(5);
    expect(percentile(sorted, 0.99)).toBe(10);
    expect(percentile(sorted, 1)).toBe(10);
  });
});
