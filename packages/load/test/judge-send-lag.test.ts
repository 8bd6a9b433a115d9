import { describe, expect, test } from '@jest/globals';
import { judgeSendLag } from '../src/index.js';

describe('send lag', () => {
  const lags = (late: number, count: number): Float64Array => Float64Array.from({ length: 1000 }, (_, i) => (i < count ? late : 0.5));

  test('an injector that kept to the schedule makes a valid run', () => {
    expect(judgeSendLag(lags(20, 5), { maxLagP99Ms: 5, maxLagMs: 50 })).toMatchObject({ valid: true, problems: [] });
  });

  test('too many late sends, or one very late send, make the run invalid and say why', () => {
    expect(judgeSendLag(lags(8, 20), { maxLagP99Ms: 5, maxLagMs: 50 }).problems).toEqual(['p99 send lag 8.00 ms > 5 ms']);
    expect(judgeSendLag(lags(80, 1), { maxLagP99Ms: 5, maxLagMs: 50 }).problems).toEqual(['max send lag 80.00 ms > 50 ms']);
  });
});
