import { describe, expect, it } from '@jest/globals';
import type { LoadResult } from '../lib/load-result.js';
import { cpuPerRequestRatio, median, roundOrder, summarizeTarget, throughputRatio, type Window } from '../overhead/rounds.js';

function window(requestsPerSecond: number, cpuMicrosPerRequest?: number, p50 = 1): Window {
  const result: LoadResult = {
    generator: 'wrk',
    requests: requestsPerSecond,
    errors: 0,
    seconds: 1,
    requestsPerSecond,
    latencyMs: { p50, p90: 2 * p50, p99: 3 * p50, max: 4 * p50 },
  };
  return { result, cpuMicrosPerRequest };
}

describe('bench:overhead rounds', () => {
  it('rotates the order each round, so each target runs in every position of a round in turn', () => {
    const targets = ['direct', 'pass-through', 'fifo', 'aging-srtf'];
    expect(roundOrder(targets, 0)).toEqual(targets);
    expect(roundOrder(targets, 1)).toEqual(['pass-through', 'fifo', 'aging-srtf', 'direct']);
    expect(roundOrder(targets, 5)).toEqual(roundOrder(targets, 1));
    const positions = [0, 1, 2, 3].map((round) => roundOrder(targets, round).indexOf('aging-srtf'));
    expect(new Set(positions)).toEqual(new Set([0, 1, 2, 3]));
  });

  it('takes each ratio within a round, so a slow spell that hits both sides cancels out', () => {
    // Round 2 ran on a machine twice as slow: both sides halve, the ratio stays.
    const ratio = throughputRatio([window(900), window(450), window(880)], [window(1000), window(500), window(1000)]);
    expect(ratio.rounds).toEqual([0.9, 0.9, 0.88]);
    expect(ratio.median).toBe(0.9);
    expect(ratio.min).toBe(0.88);
    expect(ratio.max).toBe(0.9);
  });

  it('takes the CPU per request ratio within each round, leaving out rounds without a CPU figure', () => {
    const ratio = cpuPerRequestRatio([window(900, 110), window(450, 220), window(880, undefined), window(900, 105)], [window(1000, 100), window(500, 200), window(1000, 100), window(1000, 100)]);
    expect(ratio.rounds).toEqual([1.1, 1.1, 1.05]);
    expect(ratio.median).toBe(1.1);
    expect(ratio.min).toBe(1.05);
  });

  it('summarizes a target by the median of each figure, ignoring rounds without CPU figures', () => {
    const summary = summarizeTarget([window(100, 50, 1), window(300, undefined, 3), window(200, 30, 2)]);
    expect(summary).toMatchObject({ requestsPerSecond: 200, p50: 2, p99: 6, cpuMicrosPerRequest: 40, errors: 0 });
  });

  it('has a median of the middle value, or of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
