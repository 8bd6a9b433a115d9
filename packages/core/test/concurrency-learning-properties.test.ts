import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ioBound, runMixedLoad, sequentialWorkers, sharedCores, type Observation } from './support/modelled-container.js';

const seedArbitrary = fc.integer({ min: 1, max: 2 ** 31 - 1 });

/** Completions until the controller first held the backend to `workers` as a sequential one; Infinity if it never did. */
function learntAfter(seen: readonly Observation[], workers: number): number {
  return seen.find((at) => at.state.kind === 'sequential' && at.state.parallelism === workers)?.completed ?? Infinity;
}

function observe(run: (observe: (seen: Observation) => void) => void): Observation[] {
  const seen: Observation[] = [];
  run((at) => seen.push(at));
  return seen;
}

describe('what the concurrency controller learns from a mixed load', () => {
  it('names one sequential worker and holds it to one', () => {
    fc.assert(
      fc.property(seedArbitrary, fc.double({ min: 0.5, max: 0.85, noNaN: true }), (seed, load) => {
        const seen = observe((o) => runMixedLoad(sequentialWorkers(1), { load, perCapacity: 1, calls: 2500, seed }, o));
        expect(learntAfter(seen, 1)).toBeLessThanOrEqual(LEARNT_WITHIN);
        // Once learnt it stays one worker; the limit is 1, or 2 while a probe looks beyond it.
        const after = seen.slice(learntAfter(seen, 1) - 1);
        expect(after.every((at) => at.state.kind === 'sequential' && at.state.parallelism === 1 && at.limit <= 2)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('names two sequential workers and never holds them to fewer', () => {
    fc.assert(
      fc.property(seedArbitrary, fc.double({ min: 0.6, max: 0.85, noNaN: true }), (seed, load) => {
        const seen = observe((o) => runMixedLoad(sequentialWorkers(2), { load, perCapacity: 2, calls: 1500, seed }, o));
        expect(learntAfter(seen, 2)).toBeLessThan(Infinity);
        expect(seen.every((at) => at.limit >= 2)).toBe(true);
      }),
      { numRuns: 5 },
    );
  });

  it('never holds a processor-sharing container below its core count', () => {
    fc.assert(
      fc.property(
        seedArbitrary,
        fc.constantFrom(1, 2, 4),
        fc.double({ min: 0.3, max: 0.9, noNaN: true }),
        fc.constantFrom(0, 0.25),
        (seed, cores, load, sigma) => {
          const seen = observe((o) => runMixedLoad(sharedCores(cores), { load, perCapacity: cores, calls: 1200, seed, sigma }, o));
          expect(seen.every((at) => at.limit >= cores && at.state.kind !== 'sequential')).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('never limits an I/O-bound container', () => {
    fc.assert(
      fc.property(seedArbitrary, fc.double({ min: 0.3, max: 1, noNaN: true }), fc.constantFrom(0, 0.25, 1), (seed, load, sigma) => {
        const seen = observe((o) => runMixedLoad(ioBound(), { load, perCapacity: 20, calls: 1200, seed, sigma }, o));
        expect(seen.every((at) => at.limit === Infinity && at.longBudget === Infinity)).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('never limits an I/O-bound container whose calls are all alike, while predictions stray', () => {
    // Two routes of 50 ms calls, as bench:concurrency's io case: one route is predicted at the prior
    // (1 s) until its first call ends, and noise moves each route's mean; the calls still end in the
    // order they started, as on a sequential worker, so only the predictions could suggest a queue.
    fc.assert(
      fc.property(seedArbitrary, fc.constantFrom(0, 0.25, 0.5), (seed, sigma) => {
        const seen = observe((o) => runMixedLoad(ioBound(), { load: 1, perCapacity: 75, calls: 1200, seed, sigma, shortMs: 50, longMs: 50 }, o));
        expect(seen.every((at) => at.limit === Infinity && at.longBudget === Infinity)).toBe(true);
      }),
      { numRuns: 6 },
    );
  });

  it('keeps the limit within its bounds whatever the container', () => {
    fc.assert(
      fc.property(
        seedArbitrary,
        fc.constantFrom(sequentialWorkers, sharedCores),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        (seed, model, capacity, min, extra) => {
          const max = min + extra;
          const seen = observe((o) => runMixedLoad(model(capacity), { load: 0.7, perCapacity: capacity, calls: 600, seed }, o, { auto: true, min, max }));
          expect(seen.every((at) => at.limit >= min && at.limit <= max)).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });
});

/**
 * Completions at most before a single sequential worker is named. A few dozen is typical: over 2,000
 * runs at loads 0.5-0.85, median 72, 90th percentile 136; but 0.7% took over 400 (3% at load 0.85),
 * the most 1,448 of those and 1,720 in a longer soak (load 0.85): without a limit, calls hardly
 * ever found the backend idle, and a trial's slowdown has nothing to be compared with until a dozen
 * have. A bound above that.
 */
const LEARNT_WITHIN = 2000;
