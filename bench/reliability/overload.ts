import { parseArgs } from 'node:util';
import { spawnSampleServer } from '@shortline/samples';
import { runScheduledLoad } from '../lib/scheduled-load.js';
import { outcomesByPhase, recoveryMs, windows, type Phase } from './overload-analysis.js';
import { startProxyProcess, type ProxySample } from './proxy-process.js';

// node bench/dist/reliability/overload.js [--json] [--quick] [--overload-seconds 60] [--factor 3]
//
// Open-loop overload, loopback only: a function with CONCURRENCY slots in front of the `sleep`
// sample (SERVICE_MS per request), so capacity is CONCURRENCY x 1000 / SERVICE_MS requests per
// second. Half that for a baseline, `factor` times it for the overload, half again to see it recover.
// Requests are sent on schedule whatever happens to earlier ones, and timed from when they were due.
// Reported: every answer by status (each request must get exactly one), latency per phase, the proxy's
// RSS and event-loop delay (taken inside it every second), the queue's peak, and how long after the
// load drops the latency is back to baseline. Backend, proxy and load generator run in separate processes.

const CONCURRENCY = 4;
const SERVICE_MS = 50;
/** Knative's queue-proxy admits 10 waiting requests per slot. */
const MAX_QUEUED = 10 * CONCURRENCY;
const CAPACITY_RPS = (CONCURRENCY * 1000) / SERVICE_MS;

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    'overload-seconds': { type: 'string' },
    factor: { type: 'string', default: '3' },
  },
});
const quick = flags.quick === true;
const overloadSeconds = Number(flags['overload-seconds'] ?? (quick ? 10 : 60));
const factor = Number(flags.factor);
if (!(overloadSeconds > 0 && overloadSeconds <= 600)) throw new Error('--overload-seconds must be from 1 to 600');
if (!(factor > 0 && factor <= 20)) throw new Error('--factor must be above 0 and at most 20');
const say = (line: string): void => void process.stderr.write(`${line}\n`);

function schedule(phases: readonly Phase[]): Float64Array {
  const due: number[] = [];
  for (const phase of phases) {
    const gap = 1000 / phase.requestsPerSecond;
    for (let at = phase.startMs; at < phase.endMs; at += gap) due.push(at);
  }
  return Float64Array.from(due);
}

const seconds = (s: number): number => s * 1000;
const phases: Phase[] = [];
const addPhase = (name: string, lengthSeconds: number, load: number): void => {
  const startMs = phases.at(-1)?.endMs ?? 0;
  phases.push({ name, startMs, endMs: startMs + seconds(lengthSeconds), requestsPerSecond: CAPACITY_RPS * load });
};
addPhase('warm-up', 2, 0.5);
addPhase('baseline', quick ? 5 : 10, 0.5);
addPhase('overload', overloadSeconds, factor);
addPhase('recovery', quick ? 10 : 20, 0.5);
const dueMs = schedule(phases);

const backend = await spawnSampleServer('sleep');
const proxy = await startProxyProcess({
  scheduler: { maxQueued: MAX_QUEUED },
  timeouts: { requestMs: 30_000 },
  functions: [{ name: 'sleep', backends: [backend.url], concurrency: CONCURRENCY, expectedDurationMs: SERVICE_MS }],
});
say(
  `overload: capacity ${CAPACITY_RPS} rps (${CONCURRENCY} slots x ${SERVICE_MS} ms), queue ${MAX_QUEUED}; ` +
    phases.map((phase) => `${phase.name} ${(phase.endMs - phase.startMs) / 1000} s at ${phase.requestsPerSecond} rps`).join(', ') +
    `; ${dueMs.length} requests`,
);

const samples: { atMs: number; sample: ProxySample }[] = [];
const started = Date.now();
const sampler = setInterval(() => {
  const atMs = Date.now() - started;
  void proxy.sample().then((sample) => samples.push({ atMs, sample }));
}, 1000);
const idle = await proxy.sample(true);
const result = await runScheduledLoad({
  origin: proxy.url,
  dueMs,
  path: () => `/sleep?ms=${SERVICE_MS}`,
  captureHeader: 'x-shortline-reason',
  timeoutMs: 35_000,
  onProgress: (sent, answered) => {
    if (process.stderr.isTTY) process.stderr.write(`\r  sent ${sent} / ${dueMs.length}, answered ${answered}   `);
  },
});
clearInterval(sampler);
if (process.stderr.isTTY) process.stderr.write('\n');
const after = await proxy.sample(true);
await proxy.stop();
await backend.close();

const byPhase = outcomesByPhase(phases, dueMs, result);
const baseline = byPhase.find((phase) => phase.name === 'baseline');
const overload = phases.find((phase) => phase.name === 'overload') as Phase;
const recovery = phases.find((phase) => phase.name === 'recovery') as Phase;
const boundMs = Math.max(2 * (baseline?.latencyMs.p99 ?? 0), (baseline?.latencyMs.p99 ?? 0) + 20);
/** Recovery is measured in slices this long: a few requests each at the recovery rate. */
const SLICE_MS = 250;
const recovered = recoveryMs(windows(dueMs, result, recovery.startMs, recovery.endMs, SLICE_MS), recovery.startMs, boundMs);
const during = samples.filter(({ atMs }) => atMs >= overload.startMs && atMs <= overload.endMs + 1000).map(({ sample }) => sample);
const all = samples.map(({ sample }) => sample);
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
const ms = (value: number): number => Math.round(value * 100) / 100;
const answered = result.status.filter((status) => status !== 0).length;
const report = {
  setup: { concurrency: CONCURRENCY, serviceMs: SERVICE_MS, maxQueued: MAX_QUEUED, capacityRps: CAPACITY_RPS, factor, overloadSeconds },
  requests: dueMs.length,
  answered,
  unanswered: dueMs.length - answered,
  phases: byPhase,
  proxy: {
    rssMb: { idle: mb(idle.rssBytes), peak: mb(Math.max(...all.map((sample) => sample.rssBytes))), afterGc: mb(after.rssBytes) },
    /** Every 10 s of the run: bounded memory shows as a plateau. */
    rssMbEvery10s: samples.filter((_, index) => index % 10 === 9).map(({ sample }) => mb(sample.rssBytes)),
    heapUsedMb: { idle: mb(idle.heapUsedBytes), peak: mb(Math.max(...all.map((sample) => sample.heapUsedBytes))), afterGc: mb(after.heapUsedBytes) },
    loopDelayMsDuringOverload: {
      p99OfWorstSecond: ms(Math.max(...during.map((sample) => sample.loopDelayMs.p99))),
      maxOfWorstSecond: ms(Math.max(...during.map((sample) => sample.loopDelayMs.max))),
      medianSecondP99: ms(during.map((sample) => sample.loopDelayMs.p99).sort((a, b) => a - b)[Math.floor(during.length / 2)] ?? NaN),
    },
    peakWaiting: Math.max(...all.map((sample) => sample.waiting)),
    peakInFlight: Math.max(...all.map((sample) => sample.inFlight)),
    openAfter: after.openRequests,
  },
  recovery: { boundMs: ms(boundMs), sliceMs: SLICE_MS, recoveredAfterMs: recovered ?? null },
};

if (flags.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
else {
  for (const phase of byPhase) {
    say(
      `${phase.name.padEnd(9)} ${String(phase.requestsPerSecond).padStart(4)} rps  ${JSON.stringify(phase.answers)}  ` +
        `200 latency p50 ${phase.latencyMs.p50.toFixed(1)} ms, p99 ${phase.latencyMs.p99.toFixed(1)} ms, max ${phase.latencyMs.max.toFixed(1)} ms` +
        (phase.refusalLatencyMs.max > 0 ? `; refusals p50 ${phase.refusalLatencyMs.p50.toFixed(1)} ms, p99 ${phase.refusalLatencyMs.p99.toFixed(1)} ms` : ''),
    );
  }
  say(`answered ${answered} of ${dueMs.length} (unanswered ${report.unanswered})`);
  say(`proxy RSS ${JSON.stringify(report.proxy.rssMb)} MB, heap ${JSON.stringify(report.proxy.heapUsedMb)} MB`);
  say(`proxy RSS every 10 s: ${report.proxy.rssMbEvery10s.join(', ')} MB`);
  say(`event-loop delay in the overload: ${JSON.stringify(report.proxy.loopDelayMsDuringOverload)} ms`);
  say(`queue peak ${report.proxy.peakWaiting} (limit ${MAX_QUEUED}), in flight peak ${report.proxy.peakInFlight} (limit ${CONCURRENCY})`);
  say(
    `recovery: p99 (per ${SLICE_MS} ms of schedule) back within ${boundMs.toFixed(1)} ms ` +
      `${recovered === undefined ? 'never' : `${recovered} ms after the load dropped`}`,
  );
}
