import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startSampleServer, type RunningSample } from '@shortline/samples';
import { runClosedLoop } from '../lib/closed-loop.js';
import { summarizeLatencies } from '../lib/load-result.js';
import { runOpenLoop } from '../lib/open-loop.js';
import { parseWrkReport } from '../lib/wrk.js';

let backend: RunningSample;

beforeAll(async () => {
  backend = await startSampleServer('sleep');
});

afterAll(async () => {
  await backend.close();
});

describe('summarizeLatencies', () => {
  test('nearest-rank percentiles', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarizeLatencies(values)).toEqual({ p50: 50, p90: 90, p99: 99, max: 100 });
    expect(summarizeLatencies(new Float64Array(0)).p50).toBeNaN();
  });
});

describe('parseWrkReport', () => {
  const report = [
    'Running 1s test @ http://127.0.0.1:9199/',
    '  1 threads and 4 connections',
    '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
    '    Latency   433.76us    1.12ms  12.64ms   92.05%',
    '    Req/Sec    33.72k    12.55k   44.27k    80.00%',
    '  Latency Distribution',
    '     50%   87.00us',
    '     75%  132.00us',
    '     90%    1.21ms',
    '     99%    6.27ms',
    '  33572 requests in 1.00s, 5.60MB read',
    '  Non-2xx or 3xx responses: 12',
    '  Socket errors: connect 1, read 2, write 0, timeout 3',
    'Requests/sec:  33467.68',
    'Transfer/sec:      5.59MB',
  ].join('\n');

  test('reads rate, count, errors and the latency distribution in ms', () => {
    const result = parseWrkReport(report, 1);
    expect(result.requestsPerSecond).toBe(33467.68);
    expect(result.requests).toBe(33572);
    expect(result.errors).toBe(18);
    expect(result.latencyMs.p50).toBeCloseTo(0.087, 6);
    expect(result.latencyMs.p90).toBeCloseTo(1.21, 6);
    expect(result.latencyMs.p99).toBeCloseTo(6.27, 6);
    expect(result.latencyMs.max).toBeCloseTo(12.64, 6);
  });

  test('refuses a report without a rate', () => {
    expect(() => parseWrkReport('unable to connect to 127.0.0.1:1 Connection refused', 1)).toThrow("could not read wrk's report");
  });
});

describe('undici generators against a real server', () => {
  test('closed loop: every request answered, none counted as an error', async () => {
    const result = await runClosedLoop({ url: `${backend.url}/`, connections: 4, durationMs: 200, warmupMs: 50 });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.errors).toBe(0);
    expect(result.latencyMs.p50).toBeGreaterThan(0);
  });

  test('closed loop: non-2xx answers are errors', async () => {
    // A window long enough that a loaded machine still completes answers inside it: only those count.
    const result = await runClosedLoop({ url: `${backend.url}/?ms=bad`, connections: 2, durationMs: 600, warmupMs: 100 });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.errors).toBe(result.requests);
  });

  test('open loop: sends exactly rate x duration measured requests, whatever the answers take', async () => {
    const result = await runOpenLoop({ url: `${backend.url}/?ms=20`, requestsPerSecond: 200, durationMs: 250, warmupMs: 50 });
    expect(result.requests).toBe(50);
    expect(result.errors).toBe(0);
    // Latency runs from each request's due time, so it includes the backend's 20 ms.
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(20);
  });
});
