import { describe, expect, test } from '@jest/globals';
import { parseConfig } from '@shortline/proxy';
import type { Schedule } from '@shortline/sim';
import { summarizeLive, type LiveRecords } from '../policies/live-summary.js';
import { createProxyConfig, functionPath, proxyConfigYaml } from '../lib/proxy-config.js';
import { RECORD_COLUMNS, recordRows } from '../policies/records-csv.js';
import { scaledSchedulingParameters } from '../lib/scheduling-parameters.js';
import { bucketP99, sizeBuckets } from '../policies/size-buckets.js';

/** A hand-made schedule: function i % 3 with the given durations, one arrival per 10 ms. */
function schedule(durations: readonly number[], functionOf: (i: number) => number = (i) => i % 3): Schedule {
  return {
    functions: [
      { name: 'a', averageMs: 5 },
      { name: 'b', averageMs: 50 },
      { name: 'c', averageMs: 500 },
    ],
    arrivalMs: Float64Array.from(durations, (_, i) => 10 * i),
    functionIndex: Uint32Array.from(durations, (_, i) => functionOf(i)),
    durationMs: Float64Array.from(durations),
    meanDurationMs: durations.reduce((sum, d) => sum + d, 0) / durations.length,
  };
}

describe('live summary', () => {
  // Five invocations, the first is warm-up; the fourth failed.
  const sched = schedule([10, 20, 30, 40, 50]);
  const records: LiveRecords = {
    lagMs: Float64Array.of(1, 0.5, 0.5, 0.5, 1),
    latencyMs: Float64Array.of(100, 24, 60, NaN, 56),
    status: Uint16Array.of(200, 200, 200, 0, 200),
    queueMs: Float64Array.of(80, 2, 27, NaN, 3),
    upstreamMs: Float64Array.of(11, 21, 31, NaN, 51),
  };

  test('counts after the warm-up, failures as errors, and scores like the simulator', () => {
    const { metrics, overheads, sortedLatencyMs } = summarizeLive(sched, records, 1);
    expect(Array.from(sortedLatencyMs)).toEqual([24, 56, 60]);
    expect(metrics).toMatchObject({ completed: 3, errors: 1, maxWaitMs: 27, p50LatencyMs: 56, p99LatencyMs: 60, maxLatencyMs: 60 });
    expect(metrics.meanLatencyMs).toBeCloseTo(140 / 3, 9);
    expect(metrics.meanSlowdown).toBeCloseTo((24 / 20 + 60 / 30 + 56 / 50) / 3, 9);
    // proxy added = latency − lag − queue − upstream: 0.5, 1.5, 1; overrun = upstream − duration: 1 each.
    expect(overheads.proxyAddedMs.meanMs).toBeCloseTo(1, 9);
    expect(overheads.serviceOverrunMs).toEqual({ meanMs: 1, p50Ms: 1, p99Ms: 1, maxMs: 1 });
  });
});

describe('size buckets', () => {
  test('functions are grouped by the decade of their mean duration; the warm-up is left out', () => {
    const sched = schedule([4, 60, 700, 6, 40, 900, 5, 50, 800]);
    const buckets = sizeBuckets(sched, 3);
    expect(buckets.map((b) => [b.label, b.functions, Array.from(b.invocations)])).toEqual([
      ['< 10 ms', 1, [3, 6]],
      ['10 ms – 100 ms', 1, [4, 7]],
      ['100 ms – 1 s', 1, [5, 8]],
    ]);
  });

  test('p99 of a bucket leaves failed invocations out', () => {
    const buckets = sizeBuckets(schedule([4, 5, 6], () => 0), 0);
    expect(buckets.map((bucket) => bucketP99(bucket, Float64Array.of(10, NaN, 30)))).toEqual([30]);
  });
});

describe('the proxy configuration', () => {
  test('time-valued policy parameters and the prior are scaled; dimensionless ones are not', () => {
    const aging = scaledSchedulingParameters('aging-srtf', 0.01);
    expect(aging).toEqual({
      policy: { name: 'aging-srtf', agingFactor: 16, fifoFactor: 2, fifoMemoryMs: 36_000, maxWaitMs: 6000, cappedShare: 0.375 },
      priorMs: 10,
    });
    expect(scaledSchedulingParameters('fifo', 0.01).policy).toEqual({ name: 'fifo' });
    expect(scaledSchedulingParameters('linear-aging', 0.01).policy).toEqual({ name: 'linear-aging', agingRate: 0.1 });
  });

  test('is a valid shortline.yaml: one pool, one function per workload function by path, the policy and prior given', () => {
    const options = {
      parameters: scaledSchedulingParameters('aging-srtf', 0.5),
      functions: schedule([1, 2, 3]).functions,
      backends: ['http://127.0.0.1:9101'],
      concurrencyPerBackend: 4,
      port: 18012,
      adminPort: 19091,
      requestTimeoutMs: 60_000,
    };
    const config = parseConfig(proxyConfigYaml(createProxyConfig({ ...options, expectedFromAverage: false })), 'generated');
    expect(config.scheduler).toMatchObject({
      policy: 'aging-srtf',
      agingFactor: 16,
      fifoFactor: 2,
      fifoMemoryMs: 1_800_000,
      maxWaitMs: 300_000,
      cappedShare: 0.375,
      maxQueued: 0,
    });
    expect(config.predictor.priorMs).toBe(500);
    expect(config.pools).toEqual([{ name: 'functions', backends: ['http://127.0.0.1:9101'], concurrency: 4, loadBalancing: 'least-loaded' }]);
    expect(config.functions.map((fn) => [fn.name, fn.match.pathPrefix, fn.expectedDurationMs])).toEqual([
      ['f0', functionPath(0), undefined],
      ['f1', functionPath(1), undefined],
      ['f2', functionPath(2), undefined],
    ]);
    const withAverages = parseConfig(proxyConfigYaml(createProxyConfig({ ...options, expectedFromAverage: true })), 'generated');
    expect(withAverages.functions.map((fn) => fn.expectedDurationMs)).toEqual([5, 50, 500]);
  });
});

describe('the record file', () => {
  test('one row per invocation with every column, warm-up marked, missing values empty', () => {
    const sched = schedule([10, 20]);
    const live: LiveRecords = {
      lagMs: Float64Array.of(0.25, 0.5),
      latencyMs: Float64Array.of(12, NaN),
      status: Uint16Array.of(200, 0),
      queueMs: Float64Array.of(1, NaN),
      upstreamMs: Float64Array.of(10.5, NaN),
    };
    const rows = recordRows('fifo', sched, live, Float64Array.of(0, 3), 1).trimEnd().split('\n');
    expect(rows.map((row) => row.split(',').length)).toEqual([RECORD_COLUMNS.length, RECORD_COLUMNS.length]);
    expect(rows[0]).toBe('fifo,0,a,0.000,10.000,0.250,1.000,10.500,12.000,200,0,0.000');
    expect(rows[1]).toBe('fifo,1,b,10.000,20.000,0.500,,,,0,1,3.000');
  });
});
