import { describe, expect, it } from '@jest/globals';
import { ArrivalOrder, type ArrivalLinked } from '../src/fairness/arrival-order.js';

class Call implements ArrivalLinked {
  arrivalPrev: this | undefined = undefined;
  arrivalNext: this | undefined = undefined;
  cappedAtMs = Infinity;
  constructor(
    readonly seq: number,
    readonly arrivalMs: number,
  ) {}
}

/** Calls arriving at the given times, in that order, added to a fresh list. */
function listOf(...arrivals: number[]): { order: ArrivalOrder<Call>; calls: Call[] } {
  const order = new ArrivalOrder<Call>();
  const calls = arrivals.map((at, seq) => new Call(seq, at));
  for (const c of calls) order.add(c);
  return { order, calls };
}

describe('the capped calls of a pool, in arrival order', () => {
  it('caps the calls that arrived by the cap in force, oldest first, each when its wait reached the delay', () => {
    const { order, calls } = listOf(0, 10, 20, 30);
    expect(order.oldestCapped).toBeUndefined();
    // A delay of 100 in force since 50: at 115 the calls that arrived by 15 are capped.
    order.capThrough(115 - 100, 100, 50);
    expect(calls.map((c) => c.cappedAtMs)).toEqual([100, 110, Infinity, Infinity]);
    expect(order.oldestCapped).toBe(calls[0]);
  });

  it('caps a call its wait had already passed the new delay at the moment that delay came into force', () => {
    const { order, calls } = listOf(0, 10);
    // The delay dropped to 20 at 50 (a later arrival found FIFO quicker): both had waited longer.
    order.capThrough(50 - 20, 20, 50);
    expect(calls.map((c) => c.cappedAtMs)).toEqual([50, 50]);
  });

  it('never uncaps: a longer delay later moves the frontier of new caps, not the calls already capped', () => {
    const { order, calls } = listOf(0, 10, 20);
    order.capThrough(5, 100, 0);
    order.capThrough(-50, 200, 110);
    expect(calls.map((c) => c.cappedAtMs)).toEqual([100, Infinity, Infinity]);
    order.capThrough(15, 200, 110);
    expect(calls.map((c) => c.cappedAtMs)).toEqual([100, 210, Infinity]);
  });

  it('serves the capped share from the oldest waiting call, whichever leave in between', () => {
    const { order, calls } = listOf(0, 10, 20, 30);
    order.capThrough(20, 100, 0);
    order.remove(calls[1] as Call);
    expect(order.oldestCapped).toBe(calls[0]);
    order.remove(calls[0] as Call);
    expect(order.oldestCapped).toBe(calls[2]);
    order.remove(calls[2] as Call);
    // The only one left arrived after the frontier: nobody is capped.
    expect(order.oldestCapped).toBeUndefined();
    order.capThrough(30, 100, 0);
    expect(order.oldestCapped).toBe(calls[3]);
  });

  it('puts a returning call back by arrival, capped if the cap in force covers it', () => {
    const { order, calls } = listOf(0, 10, 20);
    order.capThrough(15, 100, 0);
    const retried = calls[0] as Call;
    order.remove(retried);
    retried.cappedAtMs = Infinity;
    order.restore(retried, 140);
    expect(order.oldestCapped).toBe(retried);
    expect(retried.cappedAtMs).toBe(140);
    // One that arrived after the frontier comes back uncapped, and the ones behind it stay so.
    const late = calls[2] as Call;
    order.remove(late);
    order.restore(late, 140);
    expect(late.cappedAtMs).toBe(Infinity);
    order.remove(retried);
    order.remove(calls[1] as Call);
    expect(order.oldestCapped).toBeUndefined();
  });

  it('keeps the capped calls a prefix when a queue is rebuilt from calls already capped', () => {
    const { order: previous, calls } = listOf(0, 10, 20);
    previous.capThrough(10, 100, 0);
    const rebuilt = new ArrivalOrder<Call>();
    rebuilt.adoptCapsFrom(previous);
    for (const c of calls) {
      previous.remove(c);
      rebuilt.add(c);
    }
    expect(calls.map((c) => c.cappedAtMs)).toEqual([100, 110, Infinity]);
    expect(rebuilt.oldestCapped).toBe(calls[0]);
  });
});
