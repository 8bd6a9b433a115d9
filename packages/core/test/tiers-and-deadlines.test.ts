import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError, sharedLaneSlots, Scheduler, type FunctionOptions, type PolicySpec } from '@shortline/core';
import { call, startedIds, type Call } from './support/harness.js';

/** aging-srtf without its wait caps, so that only tiers and deadlines change its shortest-first order. */
const UNCAPPED: PolicySpec = { name: 'aging-srtf', fifoFactor: Infinity, maxWaitMs: Infinity };

/** One pool `p` with one backend of `capacity`, and the given functions in it. */
function pool(policy: PolicySpec | string, capacity: number, functions: Omit<FunctionOptions, 'pool'>[]): Scheduler<Call> {
  const scheduler = new Scheduler<Call>({ policy, pools: [{ name: 'p' }], functions: functions.map((fn) => ({ ...fn, pool: 'p' })) });
  scheduler.addBackend('p', { id: 'b', capacity });
  return scheduler;
}

/** Occupies the only slot at time 0 with a call of `fn`; returns its id. */
function occupy(scheduler: Scheduler<Call>, fn: string): number {
  const blocker = call(fn);
  scheduler.enqueue(blocker, 0);
  expect(startedIds(scheduler, 0)).toEqual([blocker.id]);
  return blocker.id;
}

/**
 * One slot held by a `blocker` call, and a function of each tier (batch low, api normal, checkout
 * high) predicted as given; returns the blocker's id and one call of each tier, not yet enqueued.
 */
function threeTiers(
  policy: PolicySpec | string,
  predictedMs: { blocker: number; low: number; normal: number; high: number },
): { scheduler: Scheduler<Call>; blocker: number; low: Call; normal: Call; high: Call } {
  const scheduler = pool(policy, 1, [
    { name: 'blocker', expectedDurationMs: predictedMs.blocker },
    { name: 'batch', expectedDurationMs: predictedMs.low, priority: 'low' },
    { name: 'api', expectedDurationMs: predictedMs.normal },
    { name: 'checkout', expectedDurationMs: predictedMs.high, priority: 'high' },
  ]);
  const blocker = occupy(scheduler, 'blocker');
  return { scheduler, blocker, low: call('batch'), normal: call('api'), high: call('checkout') };
}

describe('priority tiers', () => {
  it.each([
    ['fifo', 'fifo'],
    ['sept', 'sept'],
    ['aging-srtf', UNCAPPED],
  ])('%s: a higher tier goes ahead of lower ones, whatever their predictions and arrival', (_name, policy) => {
    const { scheduler, blocker, low, normal, high } = threeTiers(policy, { blocker: 10, low: 5, normal: 50, high: 5_000 });
    let running = blocker;
    scheduler.enqueue(low, 1);
    scheduler.enqueue(normal, 2);
    scheduler.enqueue(high, 3);
    const order: number[] = [];
    for (let now = 10; order.length < 3; now += 10) {
      scheduler.complete(running);
      running = startedIds(scheduler, now)[0] as number;
      order.push(running);
    }
    expect(order).toEqual([high.id, normal.id, low.id]);
  });

  it('a low-tier call whose wait cap passed takes a slot of the capped share ahead of high-tier calls', () => {
    const scheduler = pool({ name: 'aging-srtf', maxWaitMs: 1_000, cappedShare: 0.5 }, 2, [
      { name: 'batch', expectedDurationMs: 100, priority: 'low' },
      { name: 'checkout', expectedDurationMs: 100, priority: 'high' },
    ]);
    scheduler.drainBackend('b');
    const low = call('batch');
    scheduler.enqueue(low, 0);
    const highs = [call('checkout'), call('checkout'), call('checkout')];
    for (const high of highs) scheduler.enqueue(high, 900);
    scheduler.addBackend('p', { id: 'b2', capacity: 2 });
    // At 999 the low call is not capped: both slots go to the high tier.
    expect(startedIds(scheduler, 999)).toEqual([highs[0]?.id, highs[1]?.id]);
    scheduler.complete(highs[0]?.id as number);
    // At 1000 it is, and one of the two slots is the capped share's.
    expect(startedIds(scheduler, 1_000)).toEqual([low.id]);
  });

  it('capped lower-tier calls take only the shared lane of the capped share while a high-tier call waits, and all of it otherwise', () => {
    const run = (withHigh: boolean): number[] => {
      const scheduler = pool({ name: 'aging-srtf', maxWaitMs: 1_000, cappedShare: 1 }, 4, [
        { name: 'batch', expectedDurationMs: 100, priority: 'low' },
        { name: 'checkout', expectedDurationMs: 100, priority: 'high' },
      ]);
      scheduler.drainBackend('b');
      const lows = [call('batch'), call('batch'), call('batch'), call('batch')];
      for (const low of lows) scheduler.enqueue(low, 0);
      if (withHigh) for (let i = 0; i < 4; i++) scheduler.enqueue(call('checkout'), 900);
      scheduler.addBackend('p', { id: 'b2', capacity: 4 });
      // At 1000 the low calls are capped, the high ones not yet.
      return startedIds(scheduler, 1_000).filter((id) => lows.some((low) => low.id === id));
    };
    expect(run(true)).toHaveLength(sharedLaneSlots(4));
    expect(sharedLaneSlots(4)).toBeLessThan(4);
    expect(run(false)).toHaveLength(4);
  });

  it('a low-tier call is capped only once it has waited its tier stretch times the others\' cap delay', () => {
    const policy: PolicySpec = { name: 'aging-srtf', fifoFactor: 2, fifoMemoryMs: Infinity, cappedShare: 1 };
    const { scheduler, blocker, low, normal, high } = threeTiers(policy, { blocker: 1_000, low: 100, normal: 100, high: 100 });
    // FIFO would start them at 1000 and 1100: the longest FIFO wait is 1098, so the normal tier's cap
    // delay is 2 × 1098 = 2196 and the low tier's TIER_CAP_STRETCH (4) times that, 8784.
    scheduler.enqueue(low, 1);
    scheduler.enqueue(normal, 2);
    scheduler.enqueue(high, 2_400);
    scheduler.complete(blocker);
    // At 2500 both have waited longer than 2196: only the normal call is capped, and goes ahead of the high one.
    expect(startedIds(scheduler, 2_500)).toEqual([normal.id]);
    scheduler.complete(normal.id);
    // The low call, not capped, waits behind the high tier (without the stretch it would have gone first of all).
    expect(startedIds(scheduler, 2_600)).toEqual([high.id]);
    scheduler.complete(high.id);
    const [started] = scheduler.dispatch(2_700);
    expect(started?.invocation.id).toBe(low.id);
    expect(started?.waitCapMs).toBeCloseTo(8_784, 6);
  });

  it('under a global in-flight limit, a higher tier in another pool goes first: free pool slots do not make a call capped at once', () => {
    const scheduler = new Scheduler<Call>({
      maxInFlight: 1,
      pools: [{ name: 'a' }, { name: 'b' }],
      functions: [
        { name: 'api', pool: 'a', expectedDurationMs: 100 },
        { name: 'checkout', pool: 'b', expectedDurationMs: 100, priority: 'high' },
      ],
    });
    scheduler.addBackend('a', { id: 'a1', capacity: 4 });
    scheduler.addBackend('b', { id: 'b1', capacity: 4 });
    const running = call('api');
    scheduler.enqueue(running, 0);
    expect(startedIds(scheduler, 0)).toEqual([running.id]);
    const normal = call('api');
    const high = call('checkout');
    scheduler.enqueue(normal, 1);
    scheduler.enqueue(high, 2);
    scheduler.complete(running.id);
    expect(startedIds(scheduler, 100)).toEqual([high.id]);
  });

  it('reports each function tier in the snapshot, and keeps a waiting call in the tier it arrived in', () => {
    const scheduler = pool('fifo', 1, [
      { name: 'blocker', expectedDurationMs: 10 },
      { name: 'a', priority: 'low' },
      { name: 'b' },
    ]);
    const blocker = occupy(scheduler, 'blocker');
    const a = call('a');
    const b = call('b');
    scheduler.enqueue(a, 1);
    scheduler.enqueue(b, 2);
    scheduler.upsertFunction({ name: 'a', pool: 'p', priority: 'high' });
    expect(scheduler.snapshot(3).functions.find((fn) => fn.name === 'a')?.priority).toBe('high');
    scheduler.complete(blocker);
    expect(startedIds(scheduler, 10)).toEqual([b.id]);
  });

  it('ages the high tier faster: a high call that waited long goes ahead of a newer, shorter one of its tier; a normal one does not', () => {
    const next = (priority: 'high' | 'normal'): string => {
      const scheduler = pool(UNCAPPED, 1, [
        { name: 'blocker', expectedDurationMs: 10_000 },
        { name: 'search', expectedDurationMs: 200, priority },
        { name: 'lookup', expectedDurationMs: 100, priority },
      ]);
      const blocker = occupy(scheduler, 'blocker');
      const search = call('search');
      scheduler.enqueue(search, 1);
      scheduler.enqueue(call('lookup'), 2_001);
      scheduler.complete(blocker);
      return startedIds(scheduler, 2_001)[0] === search.id ? 'search' : 'lookup';
    };
    // Waited 2 s on a 200 ms prediction: rank 200 / (1 + 2000 / (2 · 200)) = 33 in the high tier
    // (agingFactor 16 ÷ 8), 200 / (1 + 2000 / (16 · 200)) = 123 in normal; the lookup's is 100.
    expect(next('high')).toBe('search');
    expect(next('normal')).toBe('lookup');
  });

  it('names the option when a priority or deadline is invalid', () => {
    const scheduler = new Scheduler({ pools: [{ name: 'p' }] });
    expect(() => scheduler.upsertFunction({ name: 'f', pool: 'p', priority: 'urgent' as 'high' })).toThrow(InvalidOptionError);
    expect(() => scheduler.upsertFunction({ name: 'f', pool: 'p', priority: 'urgent' as 'high' })).toThrow(/functions\.f\.priority/);
    expect(() => scheduler.upsertFunction({ name: 'f', pool: 'p', deadlineMs: -1 })).toThrow(/functions\.f\.deadlineMs/);
  });
});

/**
 * With the only slot busy, calls of `first` and `second` arrive at 0; the slot frees at `freeAt`.
 * Returns the two calls and what started then.
 */
function race(functions: Omit<FunctionOptions, 'pool'>[], first: string, second: string, freeAt: number): { calls: [Call, Call]; started: number[] } {
  const scheduler = pool(UNCAPPED, 1, functions);
  const blocker = occupy(scheduler, 'blocker');
  const calls: [Call, Call] = [call(first), call(second)];
  for (const c of calls) scheduler.enqueue(c, 0);
  scheduler.complete(blocker);
  return { calls, started: startedIds(scheduler, freeAt) };
}

describe('deadlines', () => {
  // `report` has a deadline of 1000 ms and is predicted at 200: its slack is 800 ms, so it is at risk
  // once it has waited half of that, 400 ms. `lookup` (150 ms) and `ping` (50 ms) have no deadline; a
  // call at risk may go ahead of a lookup (it takes at most 1.5 times as long), not of a ping.
  const functions: Omit<FunctionOptions, 'pool'>[] = [
    { name: 'blocker', expectedDurationMs: 10 },
    { name: 'report', expectedDurationMs: 200, deadlineMs: 1_000 },
    { name: 'lookup', expectedDurationMs: 150 },
    { name: 'ping', expectedDurationMs: 50 },
  ];

  it('keeps shortest-first order until a call is at risk of missing its deadline, then puts it first', () => {
    const scheduler = pool(UNCAPPED, 1, functions);
    const blocker = occupy(scheduler, 'blocker');
    const report = call('report');
    const lookups = [call('lookup'), call('lookup')];
    scheduler.enqueue(report, 0);
    for (const lookup of lookups) scheduler.enqueue(lookup, 0);
    scheduler.complete(blocker);
    expect(startedIds(scheduler, 399)).toEqual([lookups[0]?.id]);
    scheduler.complete(lookups[0]?.id as number);
    expect(startedIds(scheduler, 400)).toEqual([report.id]);
  });

  it('puts the call at risk with the least slack first', () => {
    const scheduler = pool(UNCAPPED, 1, [...functions, { name: 'export', expectedDurationMs: 100, deadlineMs: 800 }]);
    const blocker = occupy(scheduler, 'blocker');
    const report = call('report');
    const exported = call('export');
    const lookups = [call('lookup'), call('lookup')];
    scheduler.enqueue(report, 0);
    scheduler.enqueue(exported, 0);
    for (const lookup of lookups) scheduler.enqueue(lookup, 0);
    // At 400 both are at risk (report: latest start 800; export: 350 of its 700 ms slack, latest start 700).
    scheduler.complete(blocker);
    expect(startedIds(scheduler, 400)).toEqual([exported.id]);
    scheduler.complete(exported.id);
    expect(startedIds(scheduler, 500)).toEqual([report.id]);
    scheduler.complete(report.id);
    expect(startedIds(scheduler, 700)).toEqual([lookups[0]?.id]);
  });

  it('does not let a call at risk go ahead of a much shorter one', () => {
    const { calls, started } = race(functions, 'report', 'ping', 450);
    expect(started).toEqual([calls[1].id]);
  });

  it('does not promote a call that can no longer meet its deadline', () => {
    // At 801 the report could only finish after 1000 even if it started now: the shorter call goes first.
    const { calls, started } = race(functions, 'report', 'lookup', 801);
    expect(started).toEqual([calls[1].id]);
  });

  it('never promotes a call whose prediction alone exceeds its deadline', () => {
    const slow = { name: 'slow', expectedDurationMs: 2_000, deadlineMs: 1_000 };
    // 1400 ms: short enough that a call at risk could go first, in another size bucket than 2000.
    const { calls, started } = race([...functions, slow, { name: 'batch', expectedDurationMs: 1_400 }], 'slow', 'batch', 500);
    expect(started).toEqual([calls[1].id]);
  });

  it('counts met and missed deadlines by each call latency: completed within it, after it, or expired waiting', () => {
    const scheduler = new Scheduler<Call>({
      policy: 'fifo',
      pools: [{ name: 'p' }],
      functions: [{ name: 'report', pool: 'p', expectedDurationMs: 200, deadlineMs: 1_000, maxQueueWaitMs: 3_000 }],
    });
    scheduler.addBackend('p', { id: 'b', capacity: 1 });
    const [met, late, failed, cancelled, expired] = Array.from({ length: 5 }, () => call('report'));
    for (const c of [met, late, failed, cancelled, expired]) scheduler.enqueue(c as Call, 0);
    // Started at once, ends after 600 ms: 600 ≤ 1000.
    expect(startedIds(scheduler, 0)).toEqual([met?.id]);
    scheduler.complete(met?.id as number, 600);
    // Started at 600, runs 500 ms: ends 1100 after it arrived.
    expect(startedIds(scheduler, 600)).toEqual([late?.id]);
    scheduler.complete(late?.id as number, 500);
    // A failed call reports no duration: its latency is unknown, it counts neither way.
    expect(startedIds(scheduler, 1_100)).toEqual([failed?.id]);
    scheduler.complete(failed?.id as number);
    // A cancelled one never ran for anyone; one that expires in the queue missed its deadline.
    scheduler.cancel(cancelled?.id as number);
    scheduler.drainBackend('b');
    expect(scheduler.expire(3_000).map((e) => e.invocation.id)).toEqual([expired?.id]);
    expect(scheduler.counters('report')).toMatchObject({ deadlinesMet: 1, deadlinesMissed: 2 });
    expect(scheduler.snapshot(3_000).functions[0]).toMatchObject({ deadlineMs: 1_000, counters: { deadlinesMet: 1, deadlinesMissed: 2 } });
  });

  it('counts nothing for a function without a deadline', () => {
    const scheduler = pool('fifo', 1, [{ name: 'lookup', expectedDurationMs: 50 }]);
    const c = call('lookup');
    scheduler.enqueue(c, 0);
    scheduler.dispatch(0);
    scheduler.complete(c.id, 5_000);
    expect(scheduler.counters('lookup')).toMatchObject({ deadlinesMet: 0, deadlinesMissed: 0 });
  });
});
