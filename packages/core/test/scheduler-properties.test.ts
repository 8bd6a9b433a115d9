import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { POLICY_NAMES, Scheduler, type PolicyName } from '@shortline/core';
import type { Call } from './support/harness.js';

/** One step a caller of the scheduler can take; indices pick among what exists at that moment. */
type Step =
  | { kind: 'enqueue'; fn: number; hintMs: number | undefined; workflowMs: number | undefined; deadlineIn: number | undefined }
  | { kind: 'advance'; ms: number }
  | { kind: 'complete'; pick: number; observedMs: number | undefined }
  | { kind: 'cancel'; pick: number }
  | { kind: 'retry'; pick: number }
  | { kind: 'add-backend'; pool: number; capacity: number }
  | { kind: 'drain-backend'; pick: number }
  | { kind: 'remove-backend'; pick: number }
  | { kind: 'set-capacity'; pick: number; capacity: number };

const FUNCTIONS = ['f0', 'f1', 'f2', 'f3'] as const;
const POOLS = ['p0', 'p1'] as const;

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      fn: fc.nat(FUNCTIONS.length - 1),
      hintMs: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
      workflowMs: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
      deadlineIn: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3_000 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('complete' as const),
      pick: fc.nat(),
      observedMs: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('add-backend' as const), pool: fc.nat(POOLS.length - 1), capacity: fc.integer({ min: 0, max: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drain-backend' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove-backend' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set-capacity' as const), pick: fc.nat(), capacity: fc.integer({ min: 0, max: 3 }) }) },
);

interface Run {
  /** Every decision, in order: what a caller of the scheduler could observe. */
  readonly log: string[];
}

/**
 * Drives a scheduler through the steps, checking after each one the invariants a caller relies on:
 * no backend over its capacity when a call was started on it, the global limit held, counts that add
 * up, and no call started, cancelled or expired twice. Finally gives every pool room and checks that
 * every accepted call was accounted for exactly once.
 */
function drive(policy: PolicyName, maxInFlight: number, maxQueued: number, steps: readonly Step[]): Run {
  const scheduler = new Scheduler<Call>({
    policy,
    maxInFlight,
    maxQueued,
    pools: POOLS.map((name) => ({ name })),
    functions: FUNCTIONS.map((name, i) => ({
      name,
      pool: POOLS[i % POOLS.length] as string,
      maxQueued: 6,
      maxQueueWaitMs: i === 0 ? 2_000 : 0,
      expectedDurationMs: 10 ** i,
    })),
  });
  const log: string[] = [];
  const waiting = new Set<number>();
  const running = new Set<number>();
  const finished = new Set<number>();
  const backends: string[] = [];
  let accepted = 0;
  let inFlightLimit = maxInFlight;
  let now = 0;
  let nextId = 0;
  let nextBackend = 0;

  const record = (): void => {
    for (const { invocation, backend } of scheduler.dispatch(now)) {
      expect(waiting.delete(invocation.id)).toBe(true);
      running.add(invocation.id);
      log.push(`start ${invocation.id} on ${backend.id} at ${now}`);
      expect(backend.state).toBe('active');
      if (backend.capacity > 0) expect(backend.inFlight).toBeLessThanOrEqual(backend.capacity);
    }
    for (const { invocation, reason } of scheduler.expire(now)) {
      expect(waiting.delete(invocation.id)).toBe(true);
      finished.add(invocation.id);
      log.push(`expire ${invocation.id} (${reason}) at ${now}`);
    }
    if (inFlightLimit > 0) expect(scheduler.inFlight).toBeLessThanOrEqual(inFlightLimit);
    if (maxQueued > 0) expect(scheduler.waiting).toBeLessThanOrEqual(maxQueued);
    expect(scheduler.waiting).toBe(waiting.size);
    expect(scheduler.inFlight).toBe(running.size);
    const snapshot = scheduler.snapshot(now);
    expect(snapshot.functions.reduce((sum, f) => sum + f.waiting, 0)).toBe(waiting.size);
    expect(snapshot.pools.reduce((sum, p) => sum + p.inFlight, 0)).toBeLessThanOrEqual(running.size);
  };
  const pickFrom = <T>(items: Iterable<T>, pick: number): T | undefined => {
    const list = [...items];
    return list.length === 0 ? undefined : list[pick % list.length];
  };

  for (const step of steps) {
    switch (step.kind) {
      case 'enqueue': {
        const id = nextId++;
        const result = scheduler.enqueue(
          {
            id,
            functionName: FUNCTIONS[step.fn] as string,
            expectedDurationMs: step.hintMs,
            remainingWorkflowMs: step.workflowMs,
            deadlineMs: step.deadlineIn === undefined ? undefined : now + step.deadlineIn,
          },
          now,
        );
        if (result.accepted) {
          accepted++;
          waiting.add(id);
        }
        log.push(`enqueue ${id} ${result.accepted ? 'accepted' : result.reason}`);
        break;
      }
      case 'advance':
        now += step.ms;
        break;
      case 'complete': {
        const id = pickFrom(running, step.pick);
        if (id === undefined) break;
        expect(scheduler.complete(id, step.observedMs)).toBe(true);
        expect(scheduler.complete(id, step.observedMs)).toBe(false);
        running.delete(id);
        finished.add(id);
        break;
      }
      case 'cancel': {
        const id = pickFrom(waiting, step.pick);
        if (id === undefined) break;
        expect(scheduler.cancel(id)).toBe(true);
        waiting.delete(id);
        finished.add(id);
        log.push(`cancel ${id}`);
        break;
      }
      case 'retry': {
        const id = pickFrom(running, step.pick);
        if (id === undefined) break;
        expect(scheduler.retry(id)).toBe(true);
        expect(scheduler.retry(id)).toBe(false);
        running.delete(id);
        waiting.add(id);
        log.push(`retry ${id}`);
        break;
      }
      case 'add-backend': {
        const id = `b${nextBackend++}`;
        scheduler.addBackend(POOLS[step.pool] as string, { id, capacity: step.capacity });
        backends.push(id);
        break;
      }
      case 'drain-backend': {
        const id = pickFrom(backends, step.pick);
        if (id !== undefined) scheduler.drainBackend(id);
        break;
      }
      case 'remove-backend': {
        const id = pickFrom(backends, step.pick);
        if (id === undefined) break;
        scheduler.removeBackend(id);
        backends.splice(backends.indexOf(id), 1);
        break;
      }
      case 'set-capacity': {
        const id = pickFrom(backends, step.pick);
        if (id !== undefined && scheduler.backend(id)?.state === 'active') scheduler.setBackendCapacity(id, step.capacity);
        break;
      }
    }
    record();
  }

  // Room for everyone: every accepted call must now start (or have expired) and none is lost.
  for (const pool of POOLS) scheduler.addBackend(pool, { id: `final-${pool}`, capacity: 0 });
  scheduler.setLimits({ maxInFlight: 0 });
  inFlightLimit = 0;
  record();
  for (const id of [...running]) {
    scheduler.complete(id);
    running.delete(id);
    finished.add(id);
  }
  expect(waiting.size).toBe(0);
  expect(finished.size).toBe(accepted);
  expect(scheduler.waiting).toBe(0);
  expect(scheduler.inFlight).toBe(0);
  for (const name of FUNCTIONS) {
    const c = scheduler.counters(name);
    expect(c.accepted).toBe(c.dispatched + c.cancelled + c.expired);
    expect(c.dispatched).toBe(c.completed);
  }
  return { log };
}

const policyArbitrary = fc.constantFrom(...POLICY_NAMES);
const runArbitrary = fc.tuple(policyArbitrary, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 12 }), fc.array(stepArbitrary, { maxLength: 120 }));

describe('scheduler invariants under any sequence of calls', () => {
  it('never exceeds a limit, never loses or double-answers a call, and keeps its counts consistent', () => {
    fc.assert(
      fc.property(runArbitrary, ([policy, maxInFlight, maxQueued, steps]) => {
        drive(policy, maxInFlight, maxQueued, steps);
      }),
      { numRuns: 300 },
    );
  });

  it('makes the same decisions for the same inputs', () => {
    fc.assert(
      fc.property(runArbitrary, ([policy, maxInFlight, maxQueued, steps]) => {
        expect(drive(policy, maxInFlight, maxQueued, steps).log).toEqual(drive(policy, maxInFlight, maxQueued, steps).log);
      }),
      { numRuns: 100 },
    );
  });
});

describe('aging-srtf starvation bound', () => {
  interface Arrival {
    readonly gapMs: number;
    readonly predictedMs: number;
    readonly durationMs: number;
  }
  const arrival = fc.record({
    gapMs: fc.integer({ min: 0, max: 200 }),
    predictedMs: fc.integer({ min: 1, max: 5_000 }),
    durationMs: fc.integer({ min: 1, max: 1_000 }),
  });

  /**
   * Runs arrivals through one pool of `slots` slots whose calls last at most D = 1000 ms (whatever
   * their predictions say) and checks the documented bound for every call:
   * wait <= maxWaitMs + ceil((Q + 1) / L) · D, Q = calls waiting when it arrived, L = the slots capped
   * calls may hold (cappedShare · slots, at least one).
   */
  it('starts every call within maxWaitMs + ceil((Q + 1) / L) · D under any arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(arrival, { minLength: 1, maxLength: 150 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3_000 }),
        fc.constantFrom(0.1, 0.25, 0.5, 0.75, 1),
        (arrivals: Arrival[], slots, maxWaitMs, cappedShare) => {
          const maxDurationMs = 1_000;
          const cappedSlots = Math.max(1, Math.floor(cappedShare * slots));
          const scheduler = new Scheduler<Call & { durationMs: number }>({
            policy: { name: 'aging-srtf', maxWaitMs, cappedShare },
            pools: [{ name: 'p' }],
            functions: [{ name: 'f', pool: 'p' }],
          });
          scheduler.addBackend('p', { id: 'b', capacity: slots });
          const bound = new Map<number, number>();
          const completions: { at: number; id: number }[] = [];
          const check = (now: number): void => {
            for (const { invocation, waitedMs } of scheduler.dispatch(now)) {
              expect(waitedMs).toBeLessThanOrEqual(bound.get(invocation.id) as number);
              completions.push({ at: now + invocation.durationMs, id: invocation.id });
            }
            completions.sort((a, b) => a.at - b.at || a.id - b.id);
          };
          const completeUntil = (time: number): void => {
            while (completions.length > 0 && (completions[0] as { at: number }).at <= time) {
              const next = completions.shift() as { at: number; id: number };
              scheduler.complete(next.id);
              check(next.at);
            }
          };
          let now = 0;
          arrivals.forEach((a, id) => {
            now += a.gapMs;
            completeUntil(now);
            const queuedAhead = scheduler.waiting;
            bound.set(id, maxWaitMs + Math.ceil((queuedAhead + 1) / cappedSlots) * maxDurationMs);
            scheduler.enqueue({ id, functionName: 'f', expectedDurationMs: a.predictedMs, durationMs: a.durationMs }, now);
            check(now);
          });
          completeUntil(Infinity);
          expect(scheduler.waiting).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
