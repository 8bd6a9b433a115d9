import { describe, expect, it } from '@jest/globals';
import { requestFeatures } from '@shortline/core';
import { call, singlePool, startedIds, type Call } from './support/harness.js';

const report = (): Call => call('svc', { features: requestFeatures('GET', '/report', 0) });
const lookup = (): Call => call('svc', { features: requestFeatures('GET', '/lookup?id=7', 0) });

describe('the scheduler with request features', () => {
  it('serves a short call queued behind long ones first, in one catch-all function, once it has seen both', () => {
    // A sidecar with no configuration: one function for the whole revision, one slot.
    const scheduler = singlePool('aging-srtf', 1, { svc: 1000 });
    let now = 0;
    const serve = (invocation: Call, durationMs: number): void => {
      scheduler.enqueue(invocation, now);
      expect(startedIds(scheduler, now)).toEqual([invocation.id]);
      now += durationMs;
      scheduler.complete(invocation.id, durationMs);
    };
    // The function learns: reports take 1.4 s, lookups 10 ms.
    for (let i = 0; i < 12; i++) serve(i % 3 === 0 ? lookup() : report(), i % 3 === 0 ? 10 : 1400);

    // One report runs; six more and then a lookup arrive behind it.
    const running = report();
    scheduler.enqueue(running, now);
    scheduler.dispatch(now);
    const waiting = [report(), report(), report(), report(), report(), report()];
    for (const r of waiting) scheduler.enqueue(r, now + 1);
    const short = lookup();
    scheduler.enqueue(short, now + 2);

    // The running report ends: the lookup goes next, not after the six reports.
    now += 1400;
    scheduler.complete(running.id, 1400);
    expect(startedIds(scheduler, now)).toEqual([short.id]);
  });

  it('lets a trusted hint decide the rank, and still learns from the call', () => {
    const scheduler = singlePool('sept', 1, { svc: 100 });
    const hinted = call('svc', { features: requestFeatures('GET', '/x', 0), expectedDurationMs: 5 });
    scheduler.enqueue(hinted, 0);
    const [started] = scheduler.dispatch(0);
    expect(started?.predictedMs).toBe(5);
    scheduler.complete(hinted.id, 40);
    const stats = scheduler.snapshot(40).functions[0]?.requests;
    expect(stats?.samples).toBe(1);
    expect(stats?.classes[0]).toMatchObject({ key: 'GET /x', samples: 1 });
  });

  it('learns only from calls that completed with a duration, once each', () => {
    const scheduler = singlePool('fifo', 1, { svc: 100 });
    const failed = report();
    scheduler.enqueue(failed, 0);
    scheduler.dispatch(0);
    expect(scheduler.retry(failed.id)).toBe(true);
    scheduler.dispatch(1);
    expect(scheduler.complete(failed.id)).toBe(true);
    expect(scheduler.complete(failed.id, 50)).toBe(false);
    expect(scheduler.snapshot(2).functions[0]?.requests?.samples).toBe(0);
  });

  it('shows a bounded list of learnt classes in the snapshot, and forgets them with the function', () => {
    const scheduler = singlePool('fifo', 1, { svc: 100 });
    for (let i = 0; i < 40; i++) {
      // Forty CloudEvent types: forty classes (a function keeps 64 types by name).
      const invocation = call('svc', { features: requestFeatures('POST', '/', 100, `type.${i}`) });
      scheduler.enqueue(invocation, i);
      scheduler.dispatch(i);
      scheduler.complete(invocation.id, 10);
    }
    const requests = scheduler.snapshot(40).functions[0]?.requests;
    expect(requests?.classCount).toBeGreaterThan(20);
    expect(requests?.classes).toHaveLength(20);
    scheduler.removeFunction('svc', 40);
    scheduler.upsertFunction({ name: 'svc', pool: 'p' });
    expect(scheduler.snapshot(41).functions[0]?.requests).toBeUndefined();
  });
});
