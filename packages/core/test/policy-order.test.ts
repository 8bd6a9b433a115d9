import { describe, expect, it } from '@jest/globals';
import { POLICY_NAMES } from '@shortline/core';
import { call, singlePool, startedIds } from './support/harness.js';

/**
 * One slot, busy at first: a long call, then two shorts arrive behind a running call. When the slot
 * frees, who goes next tells the policy apart.
 */
function orderAfterBusySlot(policy: string, arrivals: [string, number][], freeAt: number): string[] {
  const scheduler = singlePool(policy, 1, { long: 10_000, mid: 1_000, short: 100, blocker: 50 });
  const blocker = call('blocker');
  scheduler.enqueue(blocker, 0);
  scheduler.dispatch(0);
  const names = new Map<number, string>();
  for (const [fn, at] of arrivals) {
    const c = call(fn);
    names.set(c.id, fn);
    scheduler.enqueue(c, at);
  }
  const order: string[] = [];
  let now = freeAt;
  let running = blocker.id;
  for (;;) {
    scheduler.complete(running);
    const started = startedIds(scheduler, now);
    if (started.length === 0) break;
    running = started[0] as number;
    order.push(names.get(running) as string);
    now += 1;
  }
  return order;
}

describe('policy order', () => {
  const arrivals: [string, number][] = [
    ['long', 1],
    ['mid', 2],
    ['short', 3],
  ];

  it('fifo serves in arrival order, as Knative does', () => {
    expect(orderAfterBusySlot('fifo', arrivals, 10)).toEqual(['long', 'mid', 'short']);
  });

  it('sept serves the shortest prediction first', () => {
    expect(orderAfterBusySlot('sept', arrivals, 10)).toEqual(['short', 'mid', 'long']);
  });

  it('aging-srtf serves the shortest prediction first while nobody is capped', () => {
    expect(orderAfterBusySlot('aging-srtf', arrivals, 10)).toEqual(['short', 'mid', 'long']);
  });

  it('hrrn serves the highest response ratio first: a short call gains faster as it waits', () => {
    // at t=10: long (9+10000)/10000 ≈ 1.0009, mid (8+1000)/1000 = 1.008, short (7+100)/100 = 1.07
    expect(orderAfterBusySlot('hrrn', arrivals, 10)).toEqual(['short', 'mid', 'long']);
  });

  it('linear-aging lets a long call that has waited long enough overtake a short one', () => {
    // agingRate = 1: the long call's rank 10000 − wait; arrived 10 s before the short one, it goes first.
    const scheduler = singlePool({ name: 'linear-aging', agingRate: 1 }, 1, { long: 10_000, short: 100 });
    scheduler.drainBackend('b');
    const long = call('long');
    const short = call('short');
    scheduler.enqueue(long, 0);
    scheduler.enqueue(short, 10_000);
    scheduler.addBackend('p', { id: 'b2', capacity: 1 });
    expect(startedIds(scheduler, 10_001)).toEqual([long.id]);
  });

  it('aging-srtf caps a call that waited maxWaitMs: it goes ahead of the uncapped ones', () => {
    // No slot at arrival: FIFO's wait is unbounded, so only maxWaitMs caps the long call.
    const scheduler = singlePool({ name: 'aging-srtf', maxWaitMs: 500 }, 1, { long: 10_000, short: 100 });
    scheduler.drainBackend('b');
    const long = call('long');
    scheduler.enqueue(long, 0);
    const shorts = [call('short'), call('short')];
    for (const s of shorts) scheduler.enqueue(s, 400);
    scheduler.addBackend('p', { id: 'b2', capacity: 1 });
    // at 499 the long call is not capped yet: the short goes first
    expect(startedIds(scheduler, 499)).toEqual([shorts[0]?.id]);
    scheduler.complete(shorts[0]?.id as number);
    // at 500 it is
    expect(startedIds(scheduler, 500)).toEqual([long.id]);
  });

  it('aging-srtf caps a call once it waited fifoFactor times the longest recent FIFO wait, as of the latest arrival', () => {
    const scheduler = singlePool({ name: 'aging-srtf', fifoFactor: 2, fifoMemoryMs: Infinity }, 1, { long: 1_000, short: 100, blocker: 1_000 });
    const blocker = call('blocker');
    scheduler.enqueue(blocker, 0);
    expect(startedIds(scheduler, 0)).toEqual([blocker.id]);
    // FIFO would start the long call when the blocker ends, at 1000: it waits 990, so the cap in force is 1980.
    const long = call('long');
    scheduler.enqueue(long, 10);
    // Shorts arrive every 100 ms from 1000 and take the slot first. FIFO would start each after the
    // long call, 1000 ms after it arrived: the cap in force becomes 2000, for the long call too.
    let running = blocker.id;
    let now = 1_000;
    for (; now <= 2_000; now += 100) {
      scheduler.complete(running);
      const short = call('short');
      scheduler.enqueue(short, now);
      expect(startedIds(scheduler, now)).toEqual([short.id]);
      running = short.id;
    }
    // At 2000 it had waited 1990, past its own 1980 but short of 2000; at 2100 it has waited 2090 and goes first.
    scheduler.complete(running);
    scheduler.enqueue(call('short'), now);
    expect(startedIds(scheduler, now)).toEqual([long.id]);
  });

  it('aging-srtf gives capped calls at most cappedShare of the slots ahead of others, and they compete for the rest', () => {
    const scheduler = singlePool({ name: 'aging-srtf', maxWaitMs: 1000, cappedShare: 0.5 }, 4, { long: 100_000, short: 10 });
    scheduler.drainBackend('b');
    const longs = Array.from({ length: 4 }, () => call('long'));
    for (const long of longs) scheduler.enqueue(long, 0);
    const shorts = Array.from({ length: 2 }, () => call('short'));
    for (const short of shorts) scheduler.enqueue(short, 2000);
    scheduler.addBackend('p', { id: 'b2', capacity: 4 });
    // At 2000 every long call is capped; half the 4 slots go to them, in arrival order, half to the shorts.
    const first = startedIds(scheduler, 2000);
    expect(first).toEqual([longs[0]?.id, longs[1]?.id, shorts[0]?.id, shorts[1]?.id]);
    // Nothing shorter waits now: a freed slot goes to the next long call, over the share.
    scheduler.complete(shorts[0]?.id as number);
    expect(startedIds(scheduler, 2010)).toEqual([longs[2]?.id]);
  });

  it('aging-srtf with cappedShare 1 lets capped calls take every slot, as FIFO would', () => {
    const scheduler = singlePool({ name: 'aging-srtf', maxWaitMs: 1000, cappedShare: 1 }, 4, { long: 100_000, short: 10 });
    scheduler.drainBackend('b');
    const longs = Array.from({ length: 4 }, () => call('long'));
    for (const long of longs) scheduler.enqueue(long, 0);
    for (let i = 0; i < 2; i++) scheduler.enqueue(call('short'), 2000);
    scheduler.addBackend('p', { id: 'b2', capacity: 4 });
    expect(startedIds(scheduler, 2000)).toEqual(longs.map((long) => long.id));
  });

  it.each(POLICY_NAMES)('%s serves calls of one function with equal predictions in arrival order', (policy) => {
    const scheduler = singlePool(policy, 1, { f: 100 });
    scheduler.drainBackend('b');
    const calls = Array.from({ length: 20 }, () => call('f'));
    calls.forEach((c, i) => scheduler.enqueue(c, i));
    scheduler.addBackend('p', { id: 'b2', capacity: 1 });
    const order: number[] = [];
    for (let now = 100; order.length < calls.length; now++) {
      const started = startedIds(scheduler, now);
      order.push(...started);
      for (const id of started) scheduler.complete(id);
    }
    expect(order).toEqual(calls.map((c) => c.id));
  });
});
