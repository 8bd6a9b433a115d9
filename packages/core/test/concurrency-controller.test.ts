import { describe, expect, it } from '@jest/globals';
import { ConcurrencyController, InvalidOptionError, type FlightRecord } from '@shortline/core';
import { EndOrder } from '../src/concurrency/end-order.js';
import { LongWorkDemand } from '../src/concurrency/long-work-demand.js';
import { runMixedLoad, sequentialWorkers } from './support/modelled-container.js';

const SHORT_MS = 5;
const LONG_MS = 250;

/**
 * Rounds of the pattern that tells a backend's kind: a long call starts, a short one just after it;
 * with `waits` the short one ends after the long one (it waited for the one worker), else it ends
 * first in its own time (calls side by side). Each round also runs a short call alone, so that the
 * mix has both sizes and both levels have calls. Returns the time after the last round.
 */
function runRounds(controller: ConcurrencyController, rounds: number, waits: boolean, startMs = 0): number {
  let now = startMs;
  for (let round = 0; round < rounds; round++) {
    const alone = controller.started(SHORT_MS, now);
    controller.completed(alone, SHORT_MS, now + SHORT_MS);
    now += SHORT_MS;
    const long = controller.started(LONG_MS, now);
    const short = controller.started(SHORT_MS, now + 1);
    if (!waits) controller.completed(short, SHORT_MS, now + 1 + SHORT_MS);
    controller.completed(long, LONG_MS, now + LONG_MS);
    if (waits) controller.completed(short, LONG_MS - 1 + SHORT_MS, now + LONG_MS + SHORT_MS);
    now += LONG_MS + SHORT_MS;
  }
  return now;
}

describe('ConcurrencyController', () => {
  it('sets no limit until it has seen enough calls to tell what the backend is', () => {
    const controller = new ConcurrencyController();
    expect(controller.limit).toBe(Infinity);
    expect(controller.longBudget).toBe(Infinity);
    runRounds(controller, 2, true);
    expect(controller.limit).toBe(Infinity);
    expect(controller.state()).toMatchObject({ kind: 'unknown', limit: 0, longBudget: 0 });
  });

  it('holds a backend whose short calls wait for the long ones ahead of them to one call at a time', () => {
    const controller = new ConcurrencyController();
    runRounds(controller, 40, true);
    expect(controller.limit).toBe(1);
    const state = controller.state();
    expect(state).toMatchObject({ kind: 'sequential', limit: 1, parallelism: 1 });
    // The evidence: at level 1 (one call found running) short calls never overtook it.
    expect(state.levels.find((level) => level.level === 1)).toMatchObject({ overtook: 0 });
  });

  it('keeps no limit on a backend where short calls overtake long ones and take their own time', () => {
    const controller = new ConcurrencyController();
    runRounds(controller, 40, false);
    expect(controller.limit).toBe(Infinity);
    expect(controller.longBudget).toBe(Infinity);
    expect(controller.state()).toMatchObject({ kind: 'io', limit: 0 });
  });

  it('keeps no limit on calls of one size that end in the order they started, whatever their predictions say', () => {
    // bench:concurrency's I/O case, live: 50 ms calls on two routes, one of them still predicted at the
    // 1 s prior (here one call in five, a call every 20 ms). Every call ends 50 ms after it started, so
    // none overtakes the "long" ones ahead of it, as on a sequential worker; but the calls predicted
    // long are not seen to take longer. Without that check it named this backend sequential.
    const controller = new ConcurrencyController();
    const running: { call: FlightRecord; endMs: number }[] = [];
    for (let i = 0; i < 2000; i++) {
      const now = 20 * i;
      while (running.length > 0 && (running[0] as { endMs: number }).endMs <= now) {
        const done = running.shift() as { call: FlightRecord; endMs: number };
        controller.completed(done.call, 50, done.endMs);
      }
      running.push({ call: controller.started(i % 5 === 0 ? 1000 : 50, now), endMs: now + 50 });
      expect(controller.limit).toBe(Infinity);
    }
    expect(controller.state().kind).not.toBe('sequential');
  });

  it('never goes below min or above max', () => {
    const atLeastTwo = new ConcurrencyController({ min: 2 });
    runRounds(atLeastTwo, 40, true);
    expect(atLeastTwo.limit).toBe(2);
    const atMostThree = new ConcurrencyController({ max: 3 });
    expect(atMostThree.limit).toBe(3);
    runRounds(atMostThree, 40, false);
    expect(atMostThree.limit).toBe(3);
  });

  it('learns nothing from calls that failed or never reached the backend', () => {
    const controller = new ConcurrencyController();
    for (let i = 0; i < 200; i++) {
      const long = controller.started(LONG_MS, i * 300);
      const short = controller.started(SHORT_MS, i * 300 + 1);
      controller.completed(long, undefined, i * 300 + 250);
      controller.abandoned(short);
    }
    expect(controller.inFlight).toBe(0);
    expect(controller.state()).toMatchObject({ kind: 'unknown', completed: 0, levels: [] });
  });

  it('counts the calls in flight as they start and end, in any order', () => {
    const controller = new ConcurrencyController();
    const calls = [10, 20, 30].map((ms, i) => controller.started(ms, i));
    expect(calls.map((c) => c.before)).toEqual([0, 1, 2]);
    controller.completed(calls[1] as FlightRecord, 20);
    controller.completed(calls[0] as FlightRecord, 10);
    expect(controller.inFlight).toBe(1);
    controller.completed(calls[2] as FlightRecord, 30);
    expect(controller.inFlight).toBe(0);
  });

  it.each([
    [{ min: 0 }, 'backend b capacity.min must be an integer >= 1, got 0'],
    [{ max: 1.5 }, 'backend b capacity.max must be an integer >= 1, got 1.5'],
    [{ min: 4, max: 2 }, 'backend b capacity.min must be <= backend b capacity.max (2), got 4'],
  ])('rejects bounds %j, naming the option', (bounds, message) => {
    expect(() => new ConcurrencyController(bounds, 'backend b capacity')).toThrow(InvalidOptionError);
    expect(() => new ConcurrencyController(bounds, 'backend b capacity')).toThrow(message);
  });

  it('follows a backend that loses workers: its limit comes down when calls within it start to wait', () => {
    const controller = new ConcurrencyController();
    // Two workers: a short call beside one long one ends first; beside two, it waits.
    let now = 0;
    const round = (workers: number): void => {
      const alone = controller.started(SHORT_MS, now);
      controller.completed(alone, SHORT_MS, now + SHORT_MS);
      now += SHORT_MS;
      const longs = [controller.started(LONG_MS, now), controller.started(LONG_MS, now)];
      const short = controller.started(SHORT_MS, now + 1);
      if (workers >= 3) controller.completed(short, SHORT_MS, now + 1 + SHORT_MS);
      longs.forEach((c) => controller.completed(c, LONG_MS, now + LONG_MS));
      if (workers < 3) controller.completed(short, LONG_MS - 1 + SHORT_MS, now + LONG_MS + SHORT_MS);
      now += LONG_MS + SHORT_MS;
    };
    for (let i = 0; i < 40; i++) {
      round(2);
      now = runRounds(controller, 1, false, now);
    }
    // Two workers learnt (the limit itself may be one wider for a while: a probe).
    expect(controller.state()).toMatchObject({ kind: 'sequential', parallelism: 2 });
    // Now one worker: the short call that found one long call running waits for it.
    now = runRounds(controller, 40, true, now);
    expect(controller.state()).toMatchObject({ kind: 'sequential', parallelism: 1 });
  });
});

describe('ConcurrencyController on a modelled container', () => {
  // Counterexamples fast-check found: one worker, once named, was named io a while later. The first
  // (CI) at completion 488, once held to one call: calls then only find the backend idle, and their
  // slowdown rose towards 1 as predictions stopped carrying the queue the backend had before the limit,
  // while the trials that named it were not repeated. The others turned up on the way to the fix,
  // within a few calls of naming it: calls admitted before the limit ended as trials that had waited
  // only for a rival's last moments, and a handful of them unnamed it.
  it.each([
    [1052637963, 0.7512636140352131],
    [113218932, 0.6669863589917603],
    [200196294, 0.85],
    [1099805338, 0.85],
  ])('keeps one sequential worker named as such once it is (seed %i, load %d)', (seed, load) => {
    let learntAt = Infinity;
    const after: { completed: number; kind: string; parallelism: number; limit: number }[] = [];
    runMixedLoad(sequentialWorkers(1), { load, perCapacity: 1, calls: 500, seed }, (at) => {
      if (learntAt === Infinity && at.state.kind === 'sequential' && at.state.parallelism === 1) learntAt = at.completed;
      if (at.completed >= learntAt) after.push({ completed: at.completed, kind: at.state.kind, parallelism: at.state.parallelism, limit: at.limit });
    });
    expect(learntAt).toBeLessThan(Infinity);
    expect(after.filter((at) => !(at.kind === 'sequential' && at.parallelism === 1 && at.limit <= 2))).toEqual([]);
  });
});

describe('LongWorkDemand', () => {
  it('floors a long budget at 1.25× the cores the long calls need, measured from their work and pace', () => {
    const demand = new LongWorkDemand();
    expect(demand.floor).toBe(1);
    // 250 ms of work (a lone long call took its prediction) every 125 ms: two cores' worth.
    for (let i = 0; i <= 40; i++) demand.record(250, 1, i * 125);
    expect(demand.cores).toBeCloseTo(2, 5);
    expect(demand.floor).toBe(3);
    // Held long calls end at the budget's pace; their work does not shrink: the floor follows the pace.
    for (let i = 41; i <= 200; i++) demand.record(250, 1, 40 * 125 + (i - 40) * 250);
    expect(demand.floor).toBe(2);
  });
});

describe('ConcurrencyController probes', () => {
  it('probes one worker more ever less often while there is none, and finds one soon after it appears', () => {
    const container = sequentialWorkers(1);
    const probesAt: number[] = [];
    let probing = false;
    let secondWorkerAt = Infinity;
    runMixedLoad(container, { load: 0.7, perCapacity: 1, calls: 5000, seed: 3 }, (at) => {
      if (at.state.probing && !probing) probesAt.push(at.completed);
      probing = at.state.probing;
      if (at.completed === 2000) container.setWorkers(2);
      if (at.completed > 2000 && secondWorkerAt === Infinity && at.state.parallelism === 2) secondWorkerAt = at.completed;
    });
    const before = probesAt.filter((at) => at < 2000);
    const gaps = before.slice(1).map((at, i) => at - (before[i] as number));
    // Each probe that found nothing doubles the wait for the next: 256, 512, 1024 calls...
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    gaps.slice(1).forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(1.9 * (gaps[i] as number)));
    // ...and the next probe after the second worker appeared finds it.
    const firstAfter = probesAt.find((at) => at > 2000) as number;
    expect(secondWorkerAt).toBeLessThan(Infinity);
    expect(secondWorkerAt - firstAfter).toBeLessThan(512);
  });
});

describe('EndOrder', () => {
  it('tells the share of recent calls that ended while at least k older ones still ran', () => {
    const order = new EndOrder();
    expect(order.shareAtLeast(1)).toBe(0);
    for (let i = 0; i < 50; i++) order.record(i % 2 === 0 ? 0 : 3);
    expect(order.shareAtLeast(0)).toBeCloseTo(1, 9);
    expect(order.shareAtLeast(1)).toBeCloseTo(0.5, 1);
    expect(order.shareAtLeast(3)).toBeCloseTo(0.5, 1);
    expect(order.shareAtLeast(4)).toBe(0);
    // Recent calls count most: after a run of in-order ends the share falls off.
    for (let i = 0; i < 200; i++) order.record(0);
    expect(order.shareAtLeast(1)).toBeLessThan(0.01);
    // Far more calls than a double's range of weights: still a share.
    for (let i = 0; i < 100_000; i++) order.record(i % 4 === 0 ? 2 : 0);
    expect(order.shareAtLeast(1)).toBeCloseTo(0.25, 1);
  });
});
