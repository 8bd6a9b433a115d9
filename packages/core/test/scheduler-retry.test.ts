import { describe, expect, it } from '@jest/globals';
import { Scheduler, POLICY_NAMES } from '@shortline/core';
import { call, startedIds, type Call } from './support/harness.js';

/** Pool `p` with backends b1 and b2 of capacity 1: b1 will refuse the connection. */
function twoBackends(policy: string): Scheduler<Call> {
  const scheduler = new Scheduler<Call>({
    policy,
    pools: [{ name: 'p' }],
    functions: [{ name: 'f', pool: 'p', expectedDurationMs: 100, maxQueueWaitMs: 1_000 }],
  });
  scheduler.addBackend('p', { id: 'b1', capacity: 1 });
  scheduler.addBackend('p', { id: 'b2', capacity: 1 });
  return scheduler;
}

describe('retry: a call whose backend refused the connection', () => {
  it.each(POLICY_NAMES)('%s: goes back ahead of those who arrived after it, counted once', (policy) => {
    const scheduler = twoBackends(policy);
    const first = call('f');
    const second = call('f');
    scheduler.enqueue(first, 0);
    scheduler.enqueue(second, 0);
    const [onB1, onB2] = scheduler.dispatch(0);
    expect(onB1?.invocation).toBe(first);
    expect(onB2?.invocation).toBe(second);
    const later = call('f');
    scheduler.enqueue(later, 5);

    // b1 refused the first call: b1 leaves rotation, the call waits again.
    scheduler.drainBackend('b1');
    expect(scheduler.retry(first.id)).toBe(true);
    expect(scheduler.stateOf(first.id)).toBe('waiting');
    expect(scheduler.waiting).toBe(2);
    expect(scheduler.inFlight).toBe(1);

    // b2 frees: the retried call goes before the one that arrived after it.
    scheduler.complete(second.id, 100);
    const [next] = scheduler.dispatch(110);
    expect(next?.invocation).toBe(first);
    expect(next?.waitedMs).toBe(110);

    const counters = scheduler.counters('f');
    expect(counters.accepted).toBe(3);
    expect(counters.retried).toBe(1);
    expect(counters.dispatched).toBe(2);
    expect(counters.accepted).toBe(counters.dispatched + counters.cancelled + counters.expired + scheduler.waiting);
  });

  it('keeps its original expiry: it expires at arrival + maxQueueWaitMs, not later', () => {
    const scheduler = twoBackends('aging-srtf');
    const retried = call('f');
    scheduler.enqueue(retried, 0);
    scheduler.dispatch(0);
    scheduler.drainBackend('b1');
    scheduler.drainBackend('b2');
    scheduler.retry(retried.id);
    expect(scheduler.nextExpiryMs()).toBe(1_000);
    expect(scheduler.expire(1_000).map((e) => e.invocation)).toEqual([retried]);
  });

  it('does not teach the predictor: the call never ran', () => {
    const scheduler = twoBackends('sept');
    const retried = call('f');
    scheduler.enqueue(retried, 0);
    scheduler.dispatch(0);
    scheduler.retry(retried.id);
    expect(scheduler.predictor.stats('f')).toBeUndefined();
    expect(startedIds(scheduler, 1)).toEqual([retried.id]);
  });

  it('is refused for a call that is not in flight', () => {
    const scheduler = twoBackends('fifo');
    const waiting = call('f');
    scheduler.enqueue(waiting, 0);
    scheduler.drainBackend('b1');
    scheduler.drainBackend('b2');
    expect(scheduler.retry(waiting.id)).toBe(false);
    expect(scheduler.retry('nobody')).toBe(false);
    expect(scheduler.waiting).toBe(1);
  });
});

describe('hasFreeSlot', () => {
  it('tells whether a pool can start a call now, and false for an unknown pool', () => {
    const scheduler = twoBackends('fifo');
    expect(scheduler.hasFreeSlot('p')).toBe(true);
    scheduler.drainBackend('b1');
    scheduler.enqueue(call('f'), 0);
    scheduler.dispatch(0);
    expect(scheduler.hasFreeSlot('p')).toBe(false);
    expect(scheduler.hasFreeSlot('nowhere')).toBe(false);
  });
});
