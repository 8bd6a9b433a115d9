import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { sharedLaneSlots, POLICY_NAMES, PRIORITIES, Scheduler, type PolicyName, type Priority } from '@shortline/core';
import type { Call } from './support/harness.js';
import { TIER_CAP_STRETCH } from '../src/fairness/priority.js';

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
      priority: PRIORITIES[i % PRIORITIES.length] as Priority,
      deadlineMs: i % 2 === 0 ? 1_500 : 0,
    })),
  });
  /** Calls of functions with a deadline whose outcome the scheduler learnt: completed with a duration, or expired. */
  const deadlineOutcomes = new Map<string, number>();
  const functionOf = new Map<number, string>();
  const countOutcome = (id: number): void => {
    const fn = functionOf.get(id) as string;
    if (FUNCTIONS.indexOf(fn as (typeof FUNCTIONS)[number]) % 2 === 0) deadlineOutcomes.set(fn, (deadlineOutcomes.get(fn) ?? 0) + 1);
  };
  const log: string[] = [];
  const waiting = new Set<number>();
  /** Waiting calls that were put back by a retry: they were admitted once, so the queue limit does not refuse them. */
  const putBack = new Set<number>();
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
      countOutcome(invocation.id);
      log.push(`expire ${invocation.id} (${reason}) at ${now}`);
    }
    if (inFlightLimit > 0) expect(scheduler.inFlight).toBeLessThanOrEqual(inFlightLimit);
    for (const id of putBack) if (!waiting.has(id)) putBack.delete(id);
    if (maxQueued > 0) expect(scheduler.waiting).toBeLessThanOrEqual(maxQueued + putBack.size);
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
          functionOf.set(id, FUNCTIONS[step.fn] as string);
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
        if (step.observedMs !== undefined) countOutcome(id);
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
        putBack.add(id);
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
    expect(c.deadlinesMet + c.deadlinesMissed).toBe(deadlineOutcomes.get(name) ?? 0);
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
    readonly fn: number;
    readonly predictedMs: number;
    readonly durationMs: number;
  }
  const arrival = fc.record({
    gapMs: fc.integer({ min: 0, max: 200 }),
    fn: fc.nat(2),
    predictedMs: fc.integer({ min: 1, max: 5_000 }),
    durationMs: fc.integer({ min: 1, max: 1_000 }),
  });
  const MAX_DURATION_MS = 1_000;

  /**
   * The longest FIFO wait so far as of each arrival, computed here on its own: FIFO on the slots with
   * the predictions, waits fading by e every memory.
   */
  function longestFifoWaits(arrivals: readonly Arrival[], slots: number, fifoMemoryMs: number): number[] {
    const freeAt: number[] = Array.from({ length: slots }, () => -Infinity);
    let longest = 0;
    let last = 0;
    let now = 0;
    return arrivals.map((a) => {
      now += a.gapMs;
      const slot = freeAt.indexOf(Math.min(...freeAt));
      const start = Math.max(now, freeAt[slot] as number);
      freeAt[slot] = start + a.predictedMs;
      longest = Math.max(start - now, longest === 0 ? 0 : longest * Math.exp((last - now) / fifoMemoryMs));
      last = now;
      return longest;
    });
  }

  /**
   * When call x is capped (the docs: the first moment its wait reaches the cap delay in force for its
   * tier, the one the latest arrival set): from arrival k to the next one that is delayAt(k).
   */
  function capMoment(x: number, arrivedAt: readonly number[], delayAt: (k: number) => number): number {
    for (let k = x; k < arrivedAt.length; k++) {
      const moment = Math.max(arrivedAt[k] as number, (arrivedAt[x] as number) + delayAt(k));
      if (moment <= (arrivedAt[k + 1] ?? Infinity)) return moment;
    }
    return Infinity;
  }

  /**
   * Runs arrivals through one pool of `slots` slots whose calls last at most D = 1000 ms (whatever
   * their predictions say), over three functions of random priority tiers and deadlines, and checks
   * for every call the bound of docs/scheduling.md: it is capped when its wait first reaches the cap
   * delay of the latest arrival for its tier, min(maxWaitMs, stretch × fifoFactor × M) with M the recent longest FIFO wait
   * (a call that started earlier reports the delay then in force, above its wait), and with Q and W
   * the number and true work of the other calls waiting when it was capped and L the slots of the
   * capped share (of its shared lane only, for a call below the highest tier configured),
   *     wait <= cap + min(ceil((Q + 1) / L) · D, D + W / L).
   */
  it('starts every call within its cap plus the time the capped share needs for what waited then', () => {
    fc.assert(
      fc.property(
        fc.array(arrival, { minLength: 1, maxLength: 150 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(0.5, 1, 2, 4, Infinity),
        fc.constantFrom(500, 100_000, Infinity),
        fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.constant(Infinity)),
        fc.constantFrom(0.1, 0.25, 0.5, 0.75, 1),
        fc.array(fc.constantFrom(...PRIORITIES), { minLength: 3, maxLength: 3 }),
        fc.array(fc.constantFrom(0, 200, 2_000), { minLength: 3, maxLength: 3 }),
        (arrivals: Arrival[], slots, fifoFactor, fifoMemoryMs, maxWaitMs, cappedShare, priorities, deadlines) => {
          const cappedSlots = Math.max(1, Math.floor(cappedShare * slots));
          const scheduler = new Scheduler<Call & { durationMs: number }>({
            policy: { name: 'aging-srtf', fifoFactor, fifoMemoryMs, maxWaitMs, cappedShare },
            pools: [{ name: 'p' }],
            functions: priorities.map((priority, i) => ({ name: `f${i}`, pool: 'p', priority, deadlineMs: deadlines[i] })),
          });
          scheduler.addBackend('p', { id: 'b', capacity: slots });
          const arrivedAt: number[] = [];
          const startedAt: number[] = [];
          const caps: number[] = [];
          const completions: { at: number; id: number }[] = [];
          const check = (now: number): void => {
            for (const { invocation, waitCapMs } of scheduler.dispatch(now)) {
              startedAt[invocation.id] = now;
              caps[invocation.id] = waitCapMs;
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
            arrivedAt[id] = now;
            scheduler.enqueue({ id, functionName: `f${a.fn}`, expectedDurationMs: a.predictedMs, durationMs: a.durationMs }, now);
            check(now);
          });
          completeUntil(Infinity);
          expect(scheduler.waiting).toBe(0);

          const longest = longestFifoWaits(arrivals, slots, fifoMemoryMs);
          arrivals.forEach((a, x) => {
            const cap = caps[x] as number;
            const wait = (startedAt[x] as number) - (arrivedAt[x] as number);
            // min(maxWaitMs, stretch × fifoFactor × M): the low tier's stretch applies to the relative term only.
            const stretch = TIER_CAP_STRETCH[PRIORITIES.indexOf(priorities[a.fn] as Priority)] as number;
            const delayAt = (k: number): number => Math.min(maxWaitMs, fifoFactor === Infinity ? Infinity : stretch * fifoFactor * (longest[k] as number));
            const expectedCap = capMoment(x, arrivedAt, delayAt) - (arrivedAt[x] as number);
            if (cap > wait) {
              // Started before it was capped.
              expect(expectedCap).toBeGreaterThan(wait - 1e-9);
              return;
            }
            expect(cap).toBeCloseTo(expectedCap, 6);
            if (wait <= cap) return;
            const cappedAt = (arrivedAt[x] as number) + cap;
            let others = 0;
            let work = 0;
            arrivals.forEach((b, y) => {
              if (y !== x && (arrivedAt[y] as number) <= cappedAt && (startedAt[y] as number) > cappedAt) {
                others++;
                work += b.durationMs;
              }
            });
            // Below the highest tier configured, a call counts only on the capped share's shared lane.
            const tier = PRIORITIES.indexOf(priorities[a.fn] as Priority);
            const belowHighest = priorities.some((p) => PRIORITIES.indexOf(p) < tier);
            const slotsX = belowHighest ? sharedLaneSlots(cappedSlots) : cappedSlots;
            const lane = Math.min(Math.ceil((others + 1) / slotsX) * MAX_DURATION_MS, MAX_DURATION_MS + work / slotsX);
            expect(wait).toBeLessThanOrEqual(cap + lane + 1e-9);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
