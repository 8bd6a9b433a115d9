import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError, Scheduler, type Assignment } from '@shortline/core';
import { call, type Call } from './support/harness.js';

const SHORT_MS = 5;
const LONG_MS = 250;

function autoScheduler(capacity: { auto: true; min?: number; max?: number } = { auto: true }): Scheduler<Call> {
  const scheduler = new Scheduler<Call>({
    policy: 'aging-srtf',
    pools: [{ name: 'p' }],
    functions: [
      { name: 'short', pool: 'p', expectedDurationMs: SHORT_MS },
      { name: 'long', pool: 'p', expectedDurationMs: LONG_MS },
    ],
  });
  scheduler.addBackend('p', { id: 'b', capacity });
  return scheduler;
}

/** A call whose duration the caller states, so that the predictions stay put while the test plays. */
function sized(functionName: 'short' | 'long'): Call {
  return call(functionName, { expectedDurationMs: functionName === 'long' ? LONG_MS : SHORT_MS });
}

/** One sequential worker behind the scheduler: it runs the calls it was given one after another, in order. */
class SequentialWorker {
  readonly #running: { id: number; startedAt: number; endsAt: number }[] = [];
  #freeAt = 0;
  now = 0;

  constructor(readonly scheduler: Scheduler<Call>) {}

  /** Enqueues a call now and takes whatever the scheduler starts. */
  arrive(invocation: Call, at: number): void {
    this.now = at;
    this.scheduler.enqueue(invocation, at);
    this.#take(this.scheduler.dispatch(at));
  }

  /** Runs until idle: each call that ends is completed, and what that releases is taken. */
  finishAll(): void {
    for (let done = this.#running.shift(); done !== undefined; done = this.#running.shift()) {
      this.now = done.endsAt;
      this.scheduler.complete(done.id, done.endsAt - done.startedAt, done.endsAt);
      this.#take(this.scheduler.dispatch(done.endsAt));
    }
  }

  #take(started: readonly Assignment<Call, unknown>[]): void {
    for (const { invocation } of started) {
      const workMs = invocation.functionName === 'long' ? LONG_MS : SHORT_MS;
      this.#freeAt = Math.max(this.now, this.#freeAt) + workMs;
      this.#running.push({ id: invocation.id, startedAt: this.now, endsAt: this.#freeAt });
    }
  }
}

/**
 * Plays rounds against one sequential worker: a short call alone; then a long call, and a short one
 * just after it, which (while nothing holds it) goes in behind the long one and waits for it.
 */
function playSequentialWorker(scheduler: Scheduler<Call>, rounds: number): number {
  const worker = new SequentialWorker(scheduler);
  for (let round = 0; round < rounds; round++) {
    worker.arrive(sized('short'), worker.now);
    worker.finishAll();
    worker.arrive(sized('long'), worker.now);
    worker.arrive(sized('short'), worker.now + 1);
    worker.finishAll();
  }
  return worker.now;
}

describe('a backend with capacity auto', () => {
  it('starts with no limit, and says so in the snapshot', () => {
    const scheduler = autoScheduler();
    const backend = scheduler.backend('b');
    expect(backend?.capacity).toBe(0);
    for (let i = 0; i < 20; i++) scheduler.enqueue(call('long'), 0);
    expect(scheduler.dispatch(0)).toHaveLength(20);
    const snapshot = scheduler.snapshot(0).pools[0]?.backends[0];
    expect(snapshot).toMatchObject({ id: 'b', capacity: 0, concurrency: { kind: 'unknown', limit: 0, inFlight: 20 } });
  });

  it('learns a sequential worker, then holds the rest and starts the shortest first', () => {
    const scheduler = autoScheduler();
    const now = playSequentialWorker(scheduler, 40);
    expect(scheduler.backend('b')?.capacity).toBe(1);
    expect(scheduler.snapshot(now).pools[0]?.backends[0]?.concurrency).toMatchObject({ kind: 'sequential', limit: 1 });
    // One long call runs; a long and a short one arrive: the short one starts next, the long one waits.
    const running = sized('long');
    const waitingLong = sized('long');
    const waitingShort = sized('short');
    scheduler.enqueue(running, now);
    expect(scheduler.dispatch(now).map((a) => a.invocation.id)).toEqual([running.id]);
    scheduler.enqueue(waitingLong, now + 1);
    scheduler.enqueue(waitingShort, now + 2);
    expect(scheduler.dispatch(now + 2)).toEqual([]);
    scheduler.complete(running.id, LONG_MS, now + LONG_MS);
    expect(scheduler.dispatch(now + LONG_MS).map((a) => a.invocation.id)).toEqual([waitingShort.id]);
  });

  it('keeps a learnt limit within max, and a fixed capacity exactly as given', () => {
    const scheduler = new Scheduler<Call>({ pools: [{ name: 'p' }], functions: [{ name: 'f', pool: 'p', expectedDurationMs: 10 }] });
    scheduler.addBackend('p', { id: 'auto', capacity: { auto: true, max: 4 } });
    scheduler.addBackend('p', { id: 'fixed', capacity: 2 });
    expect(scheduler.backend('auto')?.capacity).toBe(4);
    expect(scheduler.backend('fixed')?.capacity).toBe(2);
    for (let i = 0; i < 10; i++) scheduler.enqueue(call('f'), 0);
    expect(scheduler.dispatch(0)).toHaveLength(6);
    const backends = scheduler.snapshot(0).pools[0]?.backends ?? [];
    expect(backends.find((b) => b.id === 'fixed')).toEqual({ id: 'fixed', capacity: 2, inFlight: 2, state: 'active' });
  });

  it('switches between fixed and auto when the capacity is set again', () => {
    const scheduler = autoScheduler();
    scheduler.setBackendCapacity('b', 3);
    expect(scheduler.backend('b')).toMatchObject({ capacity: 3, controller: undefined });
    scheduler.setBackendCapacity('b', { auto: true, max: 8 });
    expect(scheduler.backend('b')?.capacity).toBe(8);
    expect(scheduler.backend('b')?.controller).toBeDefined();
  });

  it('a call started before the switch to auto still completes and frees its slot', () => {
    const scheduler = autoScheduler();
    scheduler.setBackendCapacity('b', 1);
    const first = call('short');
    scheduler.enqueue(first, 0);
    scheduler.dispatch(0);
    scheduler.setBackendCapacity('b', { auto: true });
    expect(scheduler.complete(first.id, SHORT_MS, SHORT_MS)).toBe(true);
    expect(scheduler.backend('b')?.inFlight).toBe(0);
  });

  it.each([
    [{ auto: true as const, min: 0 }, 'backend b capacity.min must be an integer >= 1, got 0'],
    [{ auto: true as const, min: 5, max: 2 }, 'backend b capacity.min must be <= backend b capacity.max (2), got 5'],
  ])('rejects bounds %j naming the backend', (capacity, message) => {
    const scheduler = new Scheduler<Call>({ pools: [{ name: 'p' }] });
    expect(() => scheduler.addBackend('p', { id: 'b', capacity })).toThrow(InvalidOptionError);
    expect(() => scheduler.addBackend('p', { id: 'b', capacity })).toThrow(message);
    expect(scheduler.backend('b')).toBeUndefined();
  });
});
