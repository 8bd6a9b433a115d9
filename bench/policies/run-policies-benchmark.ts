import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { PolicyName } from '@shortline/core';
import { createProgressBar, judgeSendLag, type ProgressStream } from '@shortline/load';
import { DEFAULT_WARMUP_FRACTION, renderLatencyCdfSvg } from '@shortline/sim';
import { freePort } from '../lib/free-port.js';
import { runScheduledLoad, type ScheduledLoadResult } from '../lib/scheduled-load.js';
import { createBenchmarkSchedule, type BenchmarkSchedule } from './benchmark-schedule.js';
import { runProblems, type BenchmarkRun, type PolicyOutcome } from './benchmark-run.js';
import { renderBucketP99Svg } from './bucket-p99-svg.js';
import { startFunctionServers, type FunctionServers } from './function-servers.js';
import { liveRecords, summarizeLive } from './live-summary.js';
import type { PoliciesSettings } from './policies-options.js';
import { policyFiles, REPORT_FILES } from './report-files.js';
import { createReportJson } from './report-json.js';
import { renderReportMarkdown } from './report-markdown.js';
import { createProxyConfig, invocationPath, proxyConfigYaml } from '../lib/proxy-config.js';
import { RECORD_COLUMNS, recordRows } from './records-csv.js';
import { scaledSchedulingParameters, type SchedulingParameters } from '../lib/scheduling-parameters.js';
import { launchShortline, type ShortlineProcess } from '../lib/shortline-process.js';
import { simulateSchedule, type SimulatedOutcome } from './simulate-schedule.js';
import { bucketP99, sizeBuckets, type SizeBucket } from './size-buckets.js';

export interface BenchmarkIo {
  /** Progress bars go here when it is a terminal. */
  readonly progress: ProgressStream;
  /** One line of narration (stderr): what runs now, what the proxy logged. */
  log(line: string): void;
}

export interface BenchmarkOutcome {
  /** The report folder. */
  readonly dir: string;
  readonly run: BenchmarkRun;
  readonly valid: boolean;
}

/** A request outlives every latency the simulator expects by this factor before it counts as failed. */
const TIMEOUT_OVER_SIMULATED_MAX = 3;
const MIN_TIMEOUT_MS = 30_000;
/** Matches no function, so the proxy answers 404 without touching the queue or the predictor. */
const WARMUP_PATH = '/bench-warm-up';
const WARMUP_REQUESTS = 200;

interface Planned {
  readonly name: PolicyName;
  readonly parameters: SchedulingParameters;
  readonly simulated: SimulatedOutcome;
}

/** One folder per run, named after its start time, under `--out`. */
function resultFolder(settings: PoliciesSettings, startedAt: string): string {
  return join(resolve(settings.outDir), startedAt.replace(/[:.]/g, '-'));
}

/** What every policy's live run shares. */
interface LiveContext {
  readonly settings: PoliciesSettings;
  readonly benchmark: BenchmarkSchedule;
  readonly servers: FunctionServers;
  readonly dir: string;
  readonly timeoutMs: number;
  readonly warmup: number;
  readonly buckets: readonly SizeBucket[];
  readonly io: BenchmarkIo;
}

/** Starts `shortline serve` for the policy on its configuration, written next to the report. */
async function startProxy(plan: Planned, context: LiveContext): Promise<{ proxy: ShortlineProcess; port: number }> {
  const { settings, benchmark, servers, dir, timeoutMs, io } = context;
  const [port, adminPort] = [await freePort(), await freePort()];
  const config = createProxyConfig({
    parameters: plan.parameters,
    functions: benchmark.schedule.functions,
    expectedFromAverage: settings.prior === 'trace-average',
    backends: servers.urls,
    concurrencyPerBackend: servers.concurrencyPerBackend,
    port,
    adminPort,
    requestTimeoutMs: timeoutMs,
  });
  const proxy = await launchShortline({
    yaml: proxyConfigYaml(config),
    configPath: join(dir, policyFiles(plan.name).config),
    adminPort,
    policy: plan.parameters.policy,
    log: (line) => io.log(`[shortline ${plan.name}] ${line}`),
  });
  return { proxy, port };
}

async function runLive(plan: Planned, context: LiveContext): Promise<{ outcome: PolicyOutcome; rows: string }> {
  const { settings, benchmark, dir, timeoutMs, warmup, io } = context;
  const { schedule } = benchmark;
  const n = schedule.arrivalMs.length;
  const { proxy, port } = await startProxy(plan, context);
  let load: ScheduledLoadResult;
  try {
    io.log(`${plan.name}: sending ${n} invocations over ${(benchmark.spanMs / 1000).toFixed(1)} s through shortline serve (${settings.slots} slots)`);
    const bar = createProgressBar(io.progress, plan.name.padEnd(12));
    load = await runScheduledLoad({
      origin: `http://127.0.0.1:${port}`,
      dueMs: schedule.arrivalMs,
      path: invocationPath(schedule),
      warmup: { path: WARMUP_PATH, requests: WARMUP_REQUESTS },
      timeoutMs,
      onProgress: bar && ((sent, answered, histogram) => bar.update(sent, n, `answered ${answered}, p99 so far ${(histogram.getValueAtPercentile(99) / 1000).toFixed(1)} ms`)),
    });
    bar?.clear();
  } finally {
    await proxy.stop();
  }
  await writeFile(join(dir, policyFiles(plan.name).histogram), load.histogram.outputPercentileDistribution(5, 1000));
  const records = liveRecords(load);
  const live = summarizeLive(schedule, records, warmup);
  const lag = judgeSendLag(load.lagMs, settings);
  const simulatedLatency = Float64Array.from(plan.simulated.waitMs, (wait, i) => wait + (schedule.durationMs[i] as number));
  io.log(
    `${plan.name}: mean ${live.metrics.meanLatencyMs.toFixed(1)} ms live, ${plan.simulated.result.metrics.meanLatencyMs.toFixed(1)} ms simulated; ` +
      `${live.metrics.errors} errors; send lag p99 ${lag.lag.p99Ms.toFixed(2)} ms${lag.valid ? '' : ` (INVALID: ${lag.problems.join('; ')})`}`,
  );
  return {
    outcome: {
      name: plan.name,
      parameters: proxy.policy.parameters,
      live,
      lag,
      simulated: plan.simulated,
      bucketP99: {
        liveMs: context.buckets.map((bucket) => bucketP99(bucket, records.latencyMs)),
        simulatedMs: context.buckets.map((bucket) => bucketP99(bucket, simulatedLatency)),
      },
      wallMs: load.wallMs,
    },
    rows: recordRows(plan.name, schedule, records, plan.simulated.waitMs, warmup),
  };
}

async function writeReport(dir: string, run: BenchmarkRun, rows: readonly string[]): Promise<void> {
  const title = `${run.schedule.label}, ${run.settings.slots} slots, load ${run.settings.load}`;
  // The simulator's chart draws PolicyResults; a live curve is one whose figures are the measured ones.
  const live = run.policies.map((policy) => ({
    ...policy.simulated.result,
    metrics: { ...policy.live.metrics, predictionMape: NaN, predictionMale: NaN },
    sortedLatencyMs: policy.live.sortedLatencyMs,
  }));
  await Promise.all([
    writeFile(join(dir, REPORT_FILES.json), JSON.stringify(createReportJson(run), null, 2) + '\n'),
    writeFile(join(dir, REPORT_FILES.markdown), renderReportMarkdown(run)),
    writeFile(join(dir, REPORT_FILES.records), [RECORD_COLUMNS.join(',') + '\n', ...rows].join('')),
    writeFile(join(dir, REPORT_FILES.cdfLive), renderLatencyCdfSvg(live, { title: `Live latency CDF: ${title}` })),
    writeFile(join(dir, REPORT_FILES.cdfSimulated), renderLatencyCdfSvg(run.policies.map((p) => p.simulated.result), { title: `Simulated latency CDF: ${title}` })),
    writeFile(
      join(dir, REPORT_FILES.bucketP99),
      renderBucketP99Svg({
        title: `p99 latency by function size: ${title}`,
        buckets: run.buckets.map((bucket) => bucket.label),
        series: run.policies.map((policy) => ({ policy: policy.name, liveMs: policy.bucketP99.liveMs, simulatedMs: policy.bucketP99.simulatedMs })),
      }),
    ),
  ]);
}

/**
 * The benchmark: one schedule, simulated and then sent live through a fresh Shortline for each
 * policy, in front of the same function servers; writes the report folder. Trace errors and
 * processes that fail to start throw; a run the generator could not drive is returned as invalid.
 */
export async function runPoliciesBenchmark(settings: PoliciesSettings, command: string, io: BenchmarkIo): Promise<BenchmarkOutcome> {
  const startedAt = new Date().toISOString();
  const loadAverageBefore = loadavg()[0] ?? NaN;
  const benchmark = await createBenchmarkSchedule(settings);
  const { schedule } = benchmark;
  const warmup = Math.floor(schedule.arrivalMs.length * DEFAULT_WARMUP_FRACTION);
  const buckets = sizeBuckets(schedule, warmup);
  io.log(`${benchmark.label}: ${schedule.arrivalMs.length} invocations, time scale ${benchmark.scale.factor.toPrecision(4)}, simulating ${settings.policies.join(', ')}`);
  const plans: Planned[] = settings.policies.map((name) => {
    const parameters = scaledSchedulingParameters(name, benchmark.scale.factor);
    return { name, parameters, simulated: simulateSchedule(schedule, parameters, { slots: settings.slots, prior: settings.prior, warmup }) };
  });
  const longestSimulated = Math.max(...plans.map((plan) => plan.simulated.result.metrics.maxLatencyMs));
  const timeoutMs = Math.max(MIN_TIMEOUT_MS, Math.ceil(TIMEOUT_OVER_SIMULATED_MAX * longestSimulated));

  const dir = resultFolder(settings, startedAt);
  await mkdir(dir, { recursive: true });
  const servers = await startFunctionServers(settings.handler, settings.slots);
  const outcomes: PolicyOutcome[] = [];
  const rows: string[] = [];
  try {
    for (const plan of plans) {
      const { outcome, rows: policyRows } = await runLive(plan, { settings, benchmark, servers, dir, timeoutMs, warmup, buckets, io });
      outcomes.push(outcome);
      rows.push(policyRows);
    }
  } finally {
    await servers.close();
  }
  const run: BenchmarkRun = {
    settings,
    command,
    startedAt,
    machine: { cpus: availableParallelism(), node: process.versions.node, loadAverageBefore, loadAverageAfter: loadavg()[0] ?? NaN },
    schedule: benchmark,
    warmup,
    buckets,
    policies: outcomes,
  };
  await writeReport(dir, run, rows);
  return { dir, run, valid: runProblems(run).length === 0 };
}
