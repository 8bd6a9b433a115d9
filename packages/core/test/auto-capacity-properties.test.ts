import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Scheduler, type AutoCapacity } from '@shortline/core';
import type { Call } from './support/harness.js';

/** One step a caller of the scheduler can take; `pick` chooses among what exists at that moment. */
type Step =
  | { kind: 'enqueue'; long: boolean }
  | { kind: 'advance'; ms: number }
  /** Ends the oldest running call (as a sequential backend would) or any one (side by side). */
  | { kind: 'complete'; oldest: boolean; pick: number; failed: boolean }
  | { kind: 'retry'; pick: number }
  | { kind: 'set-capacity'; capacity: number | AutoCapacity };

const boundsArbitrary: fc.Arbitrary<AutoCapacity> = fc
  .record({ min: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), max: fc.option(fc.integer({ min: 3, max: 8 }), { nil: undefined }) })
  .map(({ min, max }) => ({ auto: true as const, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) }));

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), long: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 300 }) }) },
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('complete' as const), oldest: fc.boolean(), pick: fc.nat(), failed: fc.constant(false) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('complete' as const), oldest: fc.constant(false), pick: fc.nat(), failed: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set-capacity' as const), capacity: fc.oneof(fc.integer({ min: 0, max: 3 }), boundsArbitrary) }) },
);

/**
 * Learning needs many calls, so each run starts with a warm-up that teaches the controller one kind
 * of backend: a long call, then a short one behind it that ends after it (one sequential worker), or
 * before it (calls side by side); with a short call alone between rounds.
 */
function warmUp(sequential: boolean): Step[] {
  const round: Step[] = [
    { kind: 'enqueue', long: false },
    { kind: 'advance', ms: 5 },
    { kind: 'complete', oldest: true, pick: 0, failed: false },
    { kind: 'enqueue', long: true },
    { kind: 'advance', ms: 1 },
    { kind: 'enqueue', long: false },
    ...(sequential
      ? [
          { kind: 'advance', ms: 249 } as const,
          { kind: 'complete', oldest: true, pick: 0, failed: false } as const,
          { kind: 'advance', ms: 5 } as const,
          { kind: 'complete', oldest: true, pick: 0, failed: false } as const,
        ]
      : [
          { kind: 'advance', ms: 5 } as const,
          { kind: 'complete', oldest: false, pick: 1, failed: false } as const,
          { kind: 'advance', ms: 244 } as const,
          { kind: 'complete', oldest: true, pick: 0, failed: false } as const,
        ]),
  ];
  return Array.from({ length: 40 }, () => round).flat();
}
const WARM_UPS = [warmUp(true), warmUp(false)];

function withinBounds(capacity: number, bounds: AutoCapacity): boolean {
  const min = bounds.min ?? 1;
  if (bounds.max !== undefined) return capacity >= min && capacity <= bounds.max;
  return capacity === 0 || capacity >= min;
}

/**
 * Drives one pool with one backend through the steps and checks after every dispatch what a caller
 * relies on: nothing starts on a backend at or over its capacity (the learnt limit), no long call
 * starts beyond its long budget, an auto capacity stays within its bounds, and every call is started
 * once and accounted for at the end. Returns the log of decisions, for the determinism check.
 */
function drive(initial: number | AutoCapacity, steps: readonly Step[]): string[] {
  const scheduler = new Scheduler<Call>({
    pools: [{ name: 'p' }],
    functions: [
      { name: 'short', pool: 'p', expectedDurationMs: 5 },
      { name: 'long', pool: 'p', expectedDurationMs: 250 },
    ],
  });
  const backend = scheduler.addBackend('p', { id: 'b', capacity: initial });
  let setting = initial;
  const log: string[] = [];
  const waiting = new Set<number>();
  const running: { id: number; startedAt: number }[] = [];
  const started = new Set<number>();
  let now = 0;
  let nextId = 0;

  const dispatch = (): void => {
    const inFlightBefore = backend.inFlight;
    const longBefore = backend.longInFlight;
    const assignments = scheduler.dispatch(now);
    if (backend.capacity > 0) expect(inFlightBefore + assignments.length).toBeLessThanOrEqual(Math.max(inFlightBefore, backend.capacity));
    if (backend.longBudget !== Infinity) expect(backend.longInFlight).toBeLessThanOrEqual(Math.max(longBefore, backend.longBudget));
    for (const { invocation } of assignments) {
      expect(waiting.delete(invocation.id)).toBe(true);
      running.push({ id: invocation.id, startedAt: now });
      log.push(`start ${invocation.id} at ${now}`);
    }
    if (typeof setting === 'object') expect(withinBounds(backend.capacity, setting)).toBe(true);
    log.push(`capacity ${backend.capacity} long ${backend.longBudget}`);
    expect(scheduler.waiting).toBe(waiting.size);
    expect(scheduler.inFlight).toBe(running.length);
  };

  for (const step of steps) {
    switch (step.kind) {
      case 'enqueue': {
        const id = nextId++;
        expect(scheduler.enqueue({ id, functionName: step.long ? 'long' : 'short' }, now).accepted).toBe(true);
        waiting.add(id);
        break;
      }
      case 'advance':
        now += step.ms;
        break;
      case 'complete': {
        if (running.length === 0) break;
        const [done] = running.splice(step.oldest ? 0 : step.pick % running.length, 1);
        const { id, startedAt } = done as { id: number; startedAt: number };
        expect(scheduler.complete(id, step.failed ? undefined : now - startedAt, now)).toBe(true);
        expect(scheduler.complete(id, now - startedAt, now)).toBe(false);
        log.push(`complete ${id}`);
        break;
      }
      case 'retry': {
        if (running.length === 0) break;
        const [done] = running.splice(step.pick % running.length, 1);
        const { id } = done as { id: number };
        expect(scheduler.retry(id)).toBe(true);
        waiting.add(id);
        break;
      }
      case 'set-capacity':
        scheduler.setBackendCapacity('b', step.capacity);
        setting = step.capacity;
        break;
    }
    dispatch();
  }

  // Room for everyone: every waiting call starts, every running one completes, none is lost.
  scheduler.setBackendCapacity('b', 0);
  setting = 0;
  dispatch();
  for (const { id } of running.splice(0)) {
    expect(scheduler.complete(id, 1, now)).toBe(true);
    started.add(id);
  }
  expect(waiting.size).toBe(0);
  expect(scheduler.waiting).toBe(0);
  expect(scheduler.inFlight).toBe(0);
  const counters = [scheduler.counters('short'), scheduler.counters('long')];
  expect(counters.reduce((sum, c) => sum + c.completed, 0)).toBe(nextId);
  expect(counters.reduce((sum, c) => sum + c.accepted, 0)).toBe(nextId);
  return log;
}

describe('scheduler properties with an auto capacity', () => {
  it('never starts beyond the learnt limit or long budget, keeps within the bounds, and loses no call', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant<AutoCapacity>({ auto: true }), boundsArbitrary),
        fc.constantFrom(...WARM_UPS),
        fc.array(stepArbitrary, { maxLength: 300 }),
        (initial, warm, steps) => {
          drive(initial, [...warm, ...steps]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('decides the same way every time it is given the same calls', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WARM_UPS), fc.array(stepArbitrary, { maxLength: 300 }), (warm, steps) => {
        const all = [...warm, ...steps];
        expect(drive({ auto: true }, all)).toEqual(drive({ auto: true }, all));
      }),
      { numRuns: 10 },
    );
  });
});
