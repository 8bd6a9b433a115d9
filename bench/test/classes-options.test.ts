import { describe, expect, test } from '@jest/globals';
import { parseClassesArgs } from '../classes/classes-options.js';
import { BenchUsageError } from '../lib/bench-usage-error.js';

describe('bench:classes options', () => {
  test("defaults to the issue's case: 2 slots, load 0.8, 2,000 calls over about a minute", () => {
    expect(parseClassesArgs([])).toMatchObject({ slots: 2, load: 0.8, invocations: 2000, durationS: 60, floorMs: 2, seed: 1, maxLagP99Ms: 5, maxLagMs: 50 });
    expect(parseClassesArgs(['--help'])).toBeUndefined();
  });

  test('refuses a bad value or an unknown option, naming it', () => {
    expect(() => parseClassesArgs(['--slots', '0'])).toThrow(new BenchUsageError('--slots must be an integer >= 1, got "0"'));
    expect(() => parseClassesArgs(['--load', 'high'])).toThrow(/--load must be a number > 0/);
    expect(() => parseClassesArgs(['--policies', 'fifo'])).toThrow(BenchUsageError);
  });
});
