import { describe, expect, test } from '@jest/globals';
import { serverTimingMs } from '../src/index.js';

describe('Server-Timing', () => {
  test("reads the proxy's queue and upstream durations", () => {
    const header = 'queue;dur=12.5, upstream;dur=40.1';
    expect([serverTimingMs(header, 'queue'), serverTimingMs(header, 'upstream')]).toEqual([12.5, 40.1]);
  });

  test("the proxy's entry, appended last, wins over the backend's own of the same name", () => {
    expect(serverTimingMs('db;dur=3, queue;desc="x";dur="7", queue;dur=1.5, upstream;dur=9', 'queue')).toBe(1.5);
  });

  test('absent header, metric or duration gives NaN', () => {
    expect(serverTimingMs(undefined, 'queue')).toBeNaN();
    expect(serverTimingMs('upstream;dur=3', 'queue')).toBeNaN();
    expect(serverTimingMs('queue', 'queue')).toBeNaN();
    expect(serverTimingMs('queue;dur=', 'queue')).toBeNaN();
  });
});
