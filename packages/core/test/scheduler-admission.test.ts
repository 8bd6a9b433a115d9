import { describe, expect, it } from '@jest/globals';
import { Scheduler, SchedulerUsageError } from '@shortline/core';
import { call, singlePool, startedIds, type Call } from './support/harness.js';

describe('admission', () => {
  it('rejects an invocation of a function it does not know, without counting it anywhere', () => {
    const scheduler = singlePool('fifo', 1, { f: 10 });
    expect(scheduler.enqueue(call('nope'), 0)).toEqual({ accepted: false, reason: 'unknown-function', functionName: 'nope', limit: 0 });
    expect(scheduler.waiting).toBe(0);
  });

  it('holds at most maxQueued waiting invocations of one function', () => {
    const scheduler = new Scheduler<Call>({ pools: [{ name: 'p' }], functions: [{ name: 'f', pool: 'p', maxQueued: 2 }, { name: 'g', pool: 'p' }] });
    expect(scheduler.enqueue(call('f'), 0).accepted).toBe(true);
    expect(scheduler.enqueue(call('f'), 0).accepted).toBe(true);
    expect(scheduler.enqueue(call('f'), 0)).toMatchObject({ accepted: false, reason: 'function-queue-full', limit: 2 });
    // another function still gets in
    expect(scheduler.enqueue(call('g'), 0).accepted).toBe(true);
    expect(scheduler.counters('f').rejected['function-queue-full']).toBe(1);
  });

  it('holds at most maxQueued waiting invocations overall', () => {
    const scheduler = singlePool('fifo', 0, { f: 10, g: 10 }, { maxQueued: 3 });
    scheduler.drainBackend('b');
    for (const fn of ['f', 'g', 'f']) expect(scheduler.enqueue(call(fn), 0).accepted).toBe(true);
    expect(scheduler.enqueue(call('g'), 0)).toMatchObject({ accepted: false, reason: 'queue-full', limit: 3 });
  });

  it('counts only waiting invocations against the queue limits, not running ones', () => {
    const scheduler = singlePool('fifo', 1, { f: 10 }, { maxQueued: 1 });
    scheduler.enqueue(call('f'), 0);
    expect(startedIds(scheduler, 0)).toHaveLength(1);
    expect(scheduler.enqueue(call('f'), 0).accepted).toBe(true);
    expect(scheduler.enqueue(call('f'), 0).accepted).toBe(false);
  });

  it('refuses the same invocation id twice: that is a caller bug', () => {
    const scheduler = singlePool('fifo', 1, { f: 10 });
    const c = call('f');
    scheduler.enqueue(c, 0);
    expect(() => scheduler.enqueue(c, 0)).toThrow(SchedulerUsageError);
  });

  it('names the option and the value when a limit is invalid', () => {
    expect(() => new Scheduler({ maxQueued: -1 })).toThrow('maxQueued must be an integer >= 0, got -1');
    expect(() => new Scheduler({ maxInFlight: Number.NaN })).toThrow(/maxInFlight/);
    expect(() => new Scheduler({ policy: 'lifo' })).toThrow('unknown scheduling policy "lifo"; known policies: fifo, sept, linear-aging, hrrn, aging-srtf');
    expect(() => new Scheduler({ policy: { name: 'aging-srtf', fifoFactor: 0 } })).toThrow(/fifoFactor must be > 0/);
  });
});

describe('expiry', () => {
  it('expires a waiting invocation once its function max queue wait has passed', () => {
    const scheduler = new Scheduler<Call>({ pools: [{ name: 'p' }], functions: [{ name: 'f', pool: 'p', maxQueueWaitMs: 100 }] });
    const c = call('f');
    scheduler.enqueue(c, 0);
    expect(scheduler.nextExpiryMs()).toBe(100);
    expect(scheduler.expire(99)).toEqual([]);
    expect(scheduler.expire(100)).toEqual([{ invocation: c, reason: 'max-queue-wait', waitedMs: 100 }]);
    expect(scheduler.waiting).toBe(0);
    expect(scheduler.nextExpiryMs()).toBe(Infinity);
    expect(scheduler.counters('f')).toMatchObject({ accepted: 1, expired: 1, dispatched: 0 });
  });

  it('expires at the request deadline when that comes first, and says so', () => {
    const scheduler = new Scheduler<Call>({ pools: [{ name: 'p' }], functions: [{ name: 'f', pool: 'p', maxQueueWaitMs: 100 }] });
    const c = call('f', { deadlineMs: 40 });
    scheduler.enqueue(c, 0);
    expect(scheduler.expire(50)).toEqual([{ invocation: c, reason: 'deadline', waitedMs: 50 }]);
  });

  it('never expires an invocation once it has started', () => {
    const scheduler = new Scheduler<Call>({ pools: [{ name: 'p' }], functions: [{ name: 'f', pool: 'p', maxQueueWaitMs: 10 }] });
    scheduler.addBackend('p', { id: 'b', capacity: 1 });
    scheduler.enqueue(call('f'), 0);
    expect(startedIds(scheduler, 5)).toHaveLength(1);
    expect(scheduler.expire(1000)).toEqual([]);
    expect(scheduler.inFlight).toBe(1);
  });
});

describe('cancel and complete', () => {
  it('forgets a cancelled invocation: it is never started and its slot in the queue is freed', () => {
    const scheduler = singlePool('fifo', 1, { f: 10 }, { maxQueued: 1 });
    scheduler.drainBackend('b');
    const c = call('f');
    scheduler.enqueue(c, 0);
    expect(scheduler.cancel(c.id)).toBe(true);
    expect(scheduler.cancel(c.id)).toBe(false);
    expect(scheduler.stateOf(c.id)).toBe('unknown');
    expect(scheduler.enqueue(call('f'), 0).accepted).toBe(true);
  });

  it('does not cancel an invocation already running: the caller aborts it and completes it', () => {
    const scheduler = singlePool('fifo', 1, { f: 10 });
    const c = call('f');
    scheduler.enqueue(c, 0);
    scheduler.dispatch(0);
    expect(scheduler.cancel(c.id)).toBe(false);
    expect(scheduler.stateOf(c.id)).toBe('running');
    expect(scheduler.complete(c.id)).toBe(true);
    expect(scheduler.inFlight).toBe(0);
  });

  it('frees a slot exactly once however often completion is reported', () => {
    const scheduler = singlePool('fifo', 1, { f: 10 });
    const [a, b, c] = [call('f'), call('f'), call('f')];
    for (const x of [a, b, c]) scheduler.enqueue(x, 0);
    expect(startedIds(scheduler, 0)).toEqual([a.id]);
    expect(scheduler.complete(a.id, 5)).toBe(true);
    expect(scheduler.complete(a.id, 5)).toBe(false);
    expect(startedIds(scheduler, 5)).toEqual([b.id]);
    expect(scheduler.inFlight).toBe(1);
  });

  it('learns from completions that report a duration and not from the others', () => {
    const scheduler = singlePool('fifo', 2, { f: 1000 });
    const [a, b] = [call('f'), call('f')];
    scheduler.enqueue(a, 0);
    scheduler.enqueue(b, 0);
    scheduler.dispatch(0);
    scheduler.complete(a.id);
    expect(scheduler.predictor.predict('f')).toBe(1000);
    scheduler.complete(b.id, 40);
    expect(scheduler.predictor.predict('f')).toBe(40);
  });
});
