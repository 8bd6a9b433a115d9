import { describe, expect, test } from '@jest/globals';
import type { PolicyName } from '@shortline/core';
import { judgeSendLag } from '@shortline/load';
import { createBenchmarkSchedule } from '../policies/benchmark-schedule.js';
import type { BenchmarkRun, PolicyOutcome } from '../policies/benchmark-run.js';
import { renderBucketP99Svg } from '../policies/bucket-p99-svg.js';
import { targets, versusFifo } from '../policies/comparisons.js';
import { summarizeLive, type LiveRecords } from '../policies/live-summary.js';
import { parsePoliciesArgs, type PoliciesSettings } from '../policies/policies-options.js';
import { createReportJson } from '../policies/report-json.js';
import { renderReportMarkdown } from '../policies/report-markdown.js';
import { scaledSchedulingParameters } from '../lib/scheduling-parameters.js';
import { simulateSchedule } from '../policies/simulate-schedule.js';
import { bucketP99, sizeBuckets } from '../policies/size-buckets.js';

const LIVE_FIELDS = ['meanLatencyMs', 'p50LatencyMs', 'p99LatencyMs', 'meanSlowdown', 'maxWaitMs', 'completed', 'errors'];

/**
 * A run whose "live" side is the simulated one plus a fixed 1 ms per call (and a lag of `lagMs`):
 * real schedule, real simulation, real scoring; only the sockets are left out.
 */
async function fabricatedRun(lagMs: number, inflate: Partial<Record<PolicyName, number>> = {}): Promise<BenchmarkRun> {
  const settings = parsePoliciesArgs(['--synthetic', 'bimodal:short=5,long=400,long-share=0.1', '--invocations', '400', '--duration', '4', '--slots', '2']) as PoliciesSettings;
  const benchmark = await createBenchmarkSchedule(settings);
  const { schedule } = benchmark;
  const warmup = 40;
  const buckets = sizeBuckets(schedule, warmup);
  const policies = settings.policies.map((name): PolicyOutcome => {
    const parameters = scaledSchedulingParameters(name, benchmark.scale.factor);
    const simulated = simulateSchedule(schedule, parameters, { slots: settings.slots, prior: settings.prior, warmup });
    const factor = inflate[name] ?? 1;
    const records: LiveRecords = {
      lagMs: new Float64Array(schedule.arrivalMs.length).fill(lagMs),
      latencyMs: Float64Array.from(simulated.waitMs, (wait, i) => factor * (wait + (schedule.durationMs[i] as number)) + 1),
      status: new Uint16Array(schedule.arrivalMs.length).fill(200),
      queueMs: simulated.waitMs,
      upstreamMs: Float64Array.from(schedule.durationMs, (duration) => duration + 0.5),
    };
    const simulatedLatency = Float64Array.from(simulated.waitMs, (wait, i) => wait + (schedule.durationMs[i] as number));
    return {
      name,
      parameters: simulated.result.parameters,
      live: summarizeLive(schedule, records, warmup),
      lag: judgeSendLag(records.lagMs, settings),
      simulated,
      bucketP99: { liveMs: buckets.map((b) => bucketP99(b, records.latencyMs)), simulatedMs: buckets.map((b) => bucketP99(b, simulatedLatency)) },
      wallMs: 4000,
    };
  });
  return {
    settings,
    command: 'npm run bench:policies -- --synthetic bimodal',
    startedAt: '2026-01-01T00:00:00.000Z',
    machine: { cpus: 2, node: '20.20.2', loadAverageBefore: 0.1, loadAverageAfter: 0.2 },
    schedule: benchmark,
    warmup,
    buckets,
    policies,
  };
}

describe('the report', () => {
  test('report.json has live and simulated figures under the same names for every policy', async () => {
    const report = createReportJson(await fabricatedRun(0.5)) as { valid: boolean; policies: Record<string, { live: object; simulated: object }> };
    expect(report.valid).toBe(true);
    expect(Object.keys(report.policies)).toEqual(['fifo', 'aging-srtf']);
    for (const policy of Object.values(report.policies)) {
      for (const field of LIVE_FIELDS) {
        expect(policy.live).toHaveProperty(field, expect.any(Number));
        expect(policy.simulated).toHaveProperty(field, expect.any(Number));
      }
      expect(policy.live).toMatchObject({ completed: 360, errors: 0, proxyAddedMs: expect.any(Object), lagMs: expect.any(Object) });
    }
  });

  test('a generator that fell behind marks the run invalid in both reports', async () => {
    const run = await fabricatedRun(9);
    const report = createReportJson(run) as { valid: boolean; problems: string[] };
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual(['fifo: p99 send lag 9.00 ms > 5 ms', 'aging-srtf: p99 send lag 9.00 ms > 5 ms']);
    expect(renderReportMarkdown(run)).toContain('**INVALID RUN**');
  });

  test('the targets compare live with FIFO and with the simulator', async () => {
    const run = await fabricatedRun(0.5, { 'aging-srtf': 1.5 });
    const [aging] = versusFifo(run);
    expect(aging?.policy).toBe('aging-srtf');
    const fidelity = targets(run).filter((target) => target.target.includes('within 15%'));
    expect(fidelity.map((target) => [target.target.split(':')[0], target.met])).toEqual([
      ['fifo', true],
      ['aging-srtf', false],
    ]);
  });

  test('report.md shows the table, live next to simulated, and names the files', async () => {
    const markdown = renderReportMarkdown(await fabricatedRun(0.5));
    expect(markdown).toContain('| policy | run | mean ms | p50 ms | p99 ms |');
    expect(markdown).toMatch(/\| fifo \| live \|/);
    expect(markdown).toMatch(/\| fifo \| simulated \|/);
    expect(markdown).toContain('| policy | live mean ms | simulated mean ms | live vs simulated |');
    expect(markdown).toContain('## Where the live time goes');
    for (const file of ['report.json', 'records.csv', 'latency-cdf-live.svg', 'p99-by-size.svg']) expect(markdown).toContain(file);
  });

  test('the size chart has a live and a simulated bar per policy and bucket', () => {
    const svg = renderBucketP99Svg({
      title: 'p99 <by> size',
      buckets: ['< 10 ms', '10 ms – 100 ms'],
      series: [
        { policy: 'fifo', liveMs: [20, 300], simulatedMs: [18, 290] },
        { policy: 'aging-srtf', liveMs: [8, NaN], simulatedMs: [7, 310] },
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('p99 &#60;by&#62; size');
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(7);
  });
});
