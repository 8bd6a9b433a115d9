import { describe, expect, it } from '@jest/globals';
import { createMixSchedule, createSyntheticWorkload, runPolicy, type SyntheticKind } from '../src/index.js';

const MEAN_SERVICE_MS = 100;

/** Mean queue wait of FIFO over the invocations after a 10% warm-up. */
function fifoMeanWait(kind: SyntheticKind, slots: number, load: number, invocations: number): number {
  const workload = createSyntheticWorkload({ kind, parameters: { mean: MEAN_SERVICE_MS, functions: 1 } });
  const schedule = createMixSchedule(workload, { invocations, slots, load, seed: 1 });
  const run = runPolicy(schedule, { name: 'fifo' }, { slots });
  const from = Math.floor(invocations / 10);
  let sum = 0;
  for (let i = from; i < invocations; i++) sum += run.waitMs[i] as number;
  return sum / (invocations - from);
}

/** Probability that an arrival waits in M/M/c with offered traffic a = λ/μ (Erlang's C formula). */
function erlangC(servers: number, traffic: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < servers; k++) {
    if (k > 0) term *= traffic / k;
    sum += term;
  }
  const waiting = (term * traffic) / servers / (1 - traffic / servers);
  return waiting / (sum + waiting);
}

describe('FIFO through the core scheduler matches queueing theory', () => {
  it('M/M/1: mean wait is ρ/(1−ρ) · E[S]', () => {
    for (const [load, invocations] of [
      [0.5, 150_000],
      [0.7, 250_000],
    ] as const) {
      const expected = (load / (1 - load)) * MEAN_SERVICE_MS;
      expect(Math.abs(fifoMeanWait('exponential', 1, load, invocations) / expected - 1)).toBeLessThan(0.04);
    }
  });

  it('M/D/1: mean wait is ρ/(2(1−ρ)) · S, half of M/M/1', () => {
    const load = 0.7;
    const expected = (load / (2 * (1 - load))) * MEAN_SERVICE_MS;
    expect(Math.abs(fifoMeanWait('constant', 1, load, 150_000) / expected - 1)).toBeLessThan(0.04);
  });

  it('M/M/4: one pool of four slots waits as Erlang C says', () => {
    const slots = 4;
    const load = 0.8;
    const expected = (erlangC(slots, slots * load) * MEAN_SERVICE_MS) / (slots * (1 - load));
    expect(Math.abs(fifoMeanWait('exponential', slots, load, 200_000) / expected - 1)).toBeLessThan(0.05);
  });
});
