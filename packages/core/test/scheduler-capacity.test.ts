import { describe, expect, it } from '@jest/globals';
import { Scheduler } from '@shortline/core';
import { call, singlePool, startedIds, type Call } from './support/harness.js';

function twoPools(maxInFlight = 0): Scheduler<Call, string> {
  const scheduler = new Scheduler<Call, string>({
    policy: 'sept',
    maxInFlight,
    pools: [{ name: 'a' }, { name: 'b' }],
    functions: [
      { name: 'fa', pool: 'a', expectedDurationMs: 500 },
      { name: 'fb', pool: 'b', expectedDurationMs: 100 },
    ],
  });
  scheduler.addBackend('a', { id: 'a1', capacity: 1, target: 'http://a1' });
  scheduler.addBackend('b', { id: 'b1', capacity: 1, target: 'http://b1' });
  return scheduler;
}

describe('capacity', () => {
  it('never starts more than a backend capacity, and starts the next one as a slot frees', () => {
    const scheduler = singlePool('fifo', 2, { f: 10 });
    const calls = [call('f'), call('f'), call('f')];
    for (const c of calls) scheduler.enqueue(c, 0);
    const first = scheduler.dispatch(0);
    expect(first.map((a) => a.invocation.id)).toEqual([calls[0]?.id, calls[1]?.id]);
    expect(first.every((a) => a.backend.id === 'b')).toBe(true);
    expect(scheduler.dispatch(1)).toEqual([]);
    scheduler.complete(calls[0]?.id as number, 10);
    expect(startedIds(scheduler, 10)).toEqual([calls[2]?.id]);
  });

  it('treats capacity 0 as unlimited', () => {
    const scheduler = singlePool('fifo', 0, { f: 10 });
    for (let i = 0; i < 100; i++) scheduler.enqueue(call('f'), 0);
    expect(scheduler.dispatch(0)).toHaveLength(100);
  });

  it('does not let a full pool hold up another pool', () => {
    const scheduler = twoPools();
    scheduler.enqueue(call('fa'), 0);
    scheduler.dispatch(0);
    const waitingA = call('fa');
    const b = call('fb');
    scheduler.enqueue(waitingA, 1);
    scheduler.enqueue(b, 2);
    const started = scheduler.dispatch(2);
    expect(started.map((a) => [a.invocation.id, a.backend.target])).toEqual([[b.id, 'http://b1']]);
  });

  it('respects a global in-flight limit across pools and gives the freed slot to the best-ranked call', () => {
    const scheduler = twoPools(1);
    const a1 = call('fa');
    scheduler.enqueue(a1, 0);
    expect(startedIds(scheduler, 0)).toEqual([a1.id]);
    const a2 = call('fa');
    const b1 = call('fb');
    scheduler.enqueue(a2, 1);
    scheduler.enqueue(b1, 2);
    expect(scheduler.dispatch(2)).toEqual([]);
    scheduler.complete(a1.id);
    // sept across pools: fb (100 ms) beats fa (500 ms) although pool a has a free slot too
    expect(startedIds(scheduler, 3)).toEqual([b1.id]);
    expect(scheduler.inFlight).toBe(1);
  });

  it('holds calls for a pool without backends until one appears', () => {
    const scheduler = new Scheduler<Call>({ pools: [{ name: 'p' }], functions: [{ name: 'f', pool: 'p' }] });
    const c = call('f');
    scheduler.enqueue(c, 0);
    expect(scheduler.dispatch(0)).toEqual([]);
    scheduler.addBackend('p', { id: 'pod-1', capacity: 1 });
    expect(startedIds(scheduler, 1)).toEqual([c.id]);
  });

  it('spreads calls over backends: least-loaded, or first-available to pack them', () => {
    const build = (loadBalancing: 'least-loaded' | 'first-available') => {
      const scheduler = new Scheduler<Call>({ pools: [{ name: 'p', loadBalancing }], functions: [{ name: 'f', pool: 'p' }] });
      scheduler.addBackend('p', { id: 'x', capacity: 2 });
      scheduler.addBackend('p', { id: 'y', capacity: 2 });
      scheduler.enqueue(call('f'), 0);
      scheduler.enqueue(call('f'), 0);
      return scheduler.dispatch(0).map((a) => a.backend.id);
    };
    expect(build('least-loaded')).toEqual(['x', 'y']);
    expect(build('first-available')).toEqual(['x', 'x']);
  });

  it('sends nothing more to a draining backend but lets its calls complete', () => {
    const scheduler = new Scheduler<Call>({ pools: [{ name: 'p' }], functions: [{ name: 'f', pool: 'p' }] });
    scheduler.addBackend('p', { id: 'x', capacity: 1 });
    scheduler.addBackend('p', { id: 'y', capacity: 1 });
    const [c1, c2, c3] = [call('f'), call('f'), call('f')];
    for (const c of [c1, c2, c3]) scheduler.enqueue(c, 0);
    expect(scheduler.dispatch(0).map((a) => a.backend.id)).toEqual(['x', 'y']);
    scheduler.drainBackend('x');
    scheduler.complete(c1.id);
    expect(scheduler.dispatch(1)).toEqual([]);
    scheduler.complete(c2.id);
    expect(scheduler.dispatch(2).map((a) => [a.invocation.id, a.backend.id])).toEqual([[c3.id, 'y']]);
  });

  it('keeps queued calls and frees no phantom slot when a backend with work in flight is removed', () => {
    const scheduler = new Scheduler<Call>({ pools: [{ name: 'p' }], functions: [{ name: 'f', pool: 'p' }] });
    const pod = scheduler.addBackend('p', { id: 'pod-1', capacity: 1 });
    const [running, queued] = [call('f'), call('f')];
    scheduler.enqueue(running, 0);
    scheduler.enqueue(queued, 0);
    scheduler.dispatch(0);
    scheduler.removeBackend('pod-1');
    // the call it was running completes later: no slot appears, the queued call keeps waiting
    expect(scheduler.complete(running.id)).toBe(true);
    expect(pod.inFlight).toBe(0);
    expect(scheduler.dispatch(1)).toEqual([]);
    expect(scheduler.stateOf(queued.id)).toBe('waiting');
    scheduler.addBackend('p', { id: 'pod-2', capacity: 1 });
    expect(scheduler.dispatch(2).map((a) => a.backend.id)).toEqual(['pod-2']);
  });

  it('honours a lowered capacity only as running calls finish', () => {
    const scheduler = singlePool('fifo', 3, { f: 10 });
    const calls = Array.from({ length: 5 }, () => call('f'));
    for (const c of calls) scheduler.enqueue(c, 0);
    scheduler.dispatch(0);
    scheduler.setBackendCapacity('b', 1);
    scheduler.complete(calls[0]?.id as number);
    expect(scheduler.dispatch(1)).toEqual([]);
    scheduler.complete(calls[1]?.id as number);
    expect(scheduler.dispatch(2)).toEqual([]);
    scheduler.complete(calls[2]?.id as number);
    expect(startedIds(scheduler, 3)).toEqual([calls[3]?.id]);
  });
});

describe('reconfiguration', () => {
  it('moves waiting calls with their function to another pool, in arrival order', () => {
    const scheduler = twoPools();
    scheduler.drainBackend('a1');
    const waiting = [call('fa'), call('fa')];
    for (const c of waiting) scheduler.enqueue(c, 0);
    scheduler.upsertFunction({ name: 'fa', pool: 'b', expectedDurationMs: 500 });
    expect(scheduler.dispatch(1).map((a) => [a.invocation.id, a.backend.id])).toEqual([[waiting[0]?.id, 'b1']]);
  });

  it('hands back the waiting calls of a removed function so they can be answered', () => {
    const scheduler = twoPools();
    scheduler.drainBackend('a1');
    const c = call('fa');
    scheduler.enqueue(c, 0);
    expect(scheduler.removeFunction('fa', 30)).toEqual([{ invocation: c, reason: 'function-removed', waitedMs: 30 }]);
    expect(scheduler.waiting).toBe(0);
    expect(scheduler.enqueue(call('fa'), 31)).toMatchObject({ accepted: false, reason: 'unknown-function' });
  });

  it('keeps every waiting call when the policy changes, and orders them by the new one', () => {
    const scheduler = singlePool('fifo', 1, { long: 1000, short: 10 });
    scheduler.drainBackend('b');
    const long = call('long');
    const short = call('short');
    scheduler.enqueue(long, 0);
    scheduler.enqueue(short, 1);
    scheduler.setPolicy('sept');
    scheduler.addBackend('p', { id: 'b2', capacity: 1 });
    expect(startedIds(scheduler, 2)).toEqual([short.id]);
    expect(scheduler.waiting).toBe(1);
  });

  it('reports depth, in-flight, oldest wait, predictions and backends in a snapshot', () => {
    const scheduler = singlePool('aging-srtf', 1, { f: 250 });
    scheduler.enqueue(call('f'), 0);
    scheduler.enqueue(call('f'), 10);
    scheduler.dispatch(10);
    const snapshot = scheduler.snapshot(60);
    expect(snapshot).toMatchObject({ policy: { name: 'aging-srtf' }, waiting: 1, inFlight: 1 });
    expect(snapshot.functions).toEqual([
      expect.objectContaining({ name: 'f', pool: 'p', waiting: 1, inFlight: 1, oldestWaitMs: 50, predictedMs: 250 }),
    ]);
    expect(snapshot.pools[0]?.backends).toEqual([{ id: 'b', capacity: 1, inFlight: 1, state: 'active' }]);
  });
});
