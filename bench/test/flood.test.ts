import { describe, expect, test } from '@jest/globals';
import { createRandomTargets } from '../flood/random-targets.js';
import { runFlood } from '../flood/run-flood.js';

describe('bench:flood', () => {
  test('random targets: the same for a seed, all different, every one a valid origin-form request target', () => {
    const [first, again, other] = [createRandomTargets(7), createRandomTargets(7), createRandomTargets(8)];
    const targets = Array.from({ length: 2000 }, () => first());
    expect(Array.from({ length: 2000 }, () => again())).toEqual(targets);
    expect(other()).not.toBe(targets[0]);
    expect(new Set(targets).size).toBe(2000);
    for (const target of targets) expect(target).toMatch(/^\/[A-Za-z0-9\-_/]+(\?[A-Za-z0-9\-_=&]+)?$/);
    expect(targets.some((target) => /[?&]ms=/.test(target))).toBe(false);
  });

  test('a small flood through a real proxy process: every request answered, classes bounded, a plain request served after', async () => {
    const result = await runFlood({ requests: 600, connections: 8, seed: 1, warmupRequests: 50, checkpoints: 3, log: () => undefined });
    expect(result.statuses).toEqual({ 200: 600 });
    expect(result.unanswered).toBe(0);
    expect(result.classes.count).toBeGreaterThan(0);
    expect(result.classes.count).toBeLessThanOrEqual(256);
    // More distinct shapes than the bound, so the bound was reached and held.
    expect(result.classes.evicted).toBeGreaterThan(0);
    expect(result.classes.samples).toBe(650);
    expect(result.metricSeries.after).toBe(result.metricSeries.before);
    expect(result.points.map((point) => point.sent)).toEqual([0, 200, 400, 600]);
    expect(result.afterwards).toEqual({ status: 200, body: 'slept 0 ms\n' });
  });
});
