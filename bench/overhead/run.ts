import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { spawnSampleServer, type RunningSample } from '@shortline/samples';
import { startChildTarget, type ChildSettings, type ChildTarget } from '../lib/child-target.js';
import { runClosedLoop } from '../lib/closed-loop.js';
import { metricSeries } from '../lib/metric-series.js';
import type { LoadResult } from '../lib/load-result.js';
import { runOpenLoop } from '../lib/open-loop.js';
import { cpuLayout, pinProcess } from '../lib/cpu-pinning.js';
import { findWrk, runWrk } from '../lib/wrk.js';
import { cpuPerRequestRatio, roundOrder, summarizeTarget, throughputRatio, type RatioSummary, type TargetSummary, type Window } from './rounds.js';

// npm run bench:overhead [-- --json --rounds 10 --duration-ms 1000 --connections 32 --rate 1000 --generator wrk|undici --pin auto|off
//                         --baseline DIR --variant-flags 'FLAGS' --variant-env 'NAME=VALUE ...']
//
// What Shortline costs on top of the least a Node proxy must do. One run, every target:
//   direct        the load generator straight to a tiny backend (the `sleep` sample, 0 ms)
//   pass-through  a minimal undici proxy written for the comparison (pass-through.ts)
//   fifo          Shortline, FIFO policy, metrics on
//   aging-srtf    Shortline, the default policy, metrics on
//   aging-srtf-no-features  the same with predictor.requestFeatures: false, so that the request
//                 features' cost is a ratio within the run (every request is GET /: one route, one class)
// Closed loop (wrk, else an undici generator): throughput and latency at N connections, in rounds:
// each round gives every target one window, in an order rotated each round, and each ratio is taken
// within a round, so a slow spell of the (shared, two-core) machine hits both sides of it alike. The
// proxies also report their CPU time, so the cost per request is seen apart from the machine's noise.
// Where taskset exists (--pin auto, the default), the proxy under test runs alone on CPU 0 and the
// generator, the backend and this script on the others (bench/lib/cpu-pinning.ts).
// Open loop (undici, timed from each request's due time): median latency at a fixed rate, direct vs
// Shortline. Backend, proxy and generator each run in a process of their own.
// --baseline DIR adds one more target, `baseline`: aging-srtf as an earlier checkout built it (a git
// worktree of the commit before a change, after `npm ci && npx tsc -b` there), measured in the same
// rounds, so a change's effect on throughput is a ratio within one run.
// --variant-flags 'FLAGS' and/or --variant-env 'NAME=VALUE ...' add `aging-srtf-variant`: this
// checkout's aging-srtf in a process started with those Node/V8 flags and environment variables
// (e.g. the Dockerfile's), pinned like the others, so their cost in throughput and CPU per request is
// a ratio within one run.

const TARGET_MAIN = fileURLToPath(new URL('./target-main.js', import.meta.url));
// In this order, so that pass-through and aging-srtf, whose ratio is the headline, run side by side,
// and aging-srtf beside itself without request features.
const PROXIES = ['fifo', 'pass-through', 'aging-srtf', 'aging-srtf-no-features'] as const;
type TargetName = 'direct' | 'baseline' | 'aging-srtf-variant' | (typeof PROXIES)[number];

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '10' },
    'duration-ms': { type: 'string', default: '1000' },
    'warmup-ms': { type: 'string', default: '1000' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '1000' },
    generator: { type: 'string', default: 'auto' },
    pin: { type: 'string', default: 'auto' },
    baseline: { type: 'string' },
    'variant-flags': { type: 'string' },
    'variant-env': { type: 'string' },
  },
});

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!(value > 0 && Number.isFinite(value))) throw new Error(`--${name} must be a positive number, got ${String(text)}`);
  return value;
}

const rounds = Math.round(positive('rounds', flags.rounds));
const durationMs = positive('duration-ms', flags['duration-ms']);
const warmupMs = positive('warmup-ms', flags['warmup-ms']);
const connections = Math.round(positive('connections', flags.connections));
const rate = positive('rate', flags.rate);
const generatorChoice = flags.generator ?? 'auto';
if (!['auto', 'wrk', 'undici'].includes(generatorChoice)) throw new Error('--generator must be auto, wrk or undici');
if (flags.pin !== 'auto' && flags.pin !== 'off') throw new Error('--pin must be auto or off');
const layout = flags.pin === 'auto' ? cpuLayout() : undefined;
const baselineMain = flags.baseline === undefined ? undefined : join(resolve(flags.baseline), 'bench', 'dist', 'overhead', 'target-main.js');
if (baselineMain !== undefined && !existsSync(baselineMain)) throw new Error(`--baseline: ${baselineMain} does not exist; build that checkout first (npm ci && npx tsc -b)`);
const words = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter((word) => word !== '');
const variantFlags = words(flags['variant-flags']);
if (!variantFlags.every((flag) => flag.startsWith('--'))) throw new Error(`--variant-flags: expected Node options such as '--liftoff-only', got ${flags['variant-flags']}`);
const variantEnv = Object.fromEntries(
  words(flags['variant-env']).map((assignment) => {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new Error(`--variant-env: expected NAME=VALUE, got ${assignment}`);
    return [assignment.slice(0, equals), assignment.slice(equals + 1)];
  }),
);
/** What the variant target runs under, shown beside its ratios; undefined: no variant. */
const variant = variantFlags.length + Object.keys(variantEnv).length === 0 ? undefined : [...Object.entries(variantEnv).map(([name, value]) => `${name}=${value}`), ...variantFlags].join(' ');

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

function chooseWrk(): string | undefined {
  if (generatorChoice === 'undici') return undefined;
  const wrk = findWrk();
  if (wrk !== undefined) return wrk;
  if (generatorChoice === 'wrk') throw new Error('wrk is not installed (Debian: apt-get update && apt-get install -y wrk)');
  progress(
    'wrk not found (Debian: apt-get update && apt-get install -y wrk): using the undici closed-loop generator instead.\n' +
      'It shares the CPU with the targets, so its throughput figures are lower bounds; ratios stay comparable.',
  );
  return undefined;
}

/** Closed-loop load for `ms`; the targets are warmed up once, before the rounds, by a call like this one. */
function closedLoop(wrk: string | undefined, url: string, ms: number): Promise<LoadResult> {
  if (wrk === undefined) return runClosedLoop({ url, connections, durationMs: ms, warmupMs: 0 });
  return runWrk({ wrk, url, connections, durationMs: ms });
}

interface Target {
  readonly url: string;
  /** The proxy's process, which reports its CPU time; none for `direct`. */
  readonly process: ChildTarget<{ port: number; adminPort?: number }> | undefined;
}

const cpuMicros = async (target: Target): Promise<number | undefined> => {
  if (target.process === undefined) return undefined;
  const usage = await target.process.ask<NodeJS.CpuUsage>({ kind: 'cpu-usage' });
  return usage.user + usage.system;
};

/** One measured window of closed-loop load on a target, with the proxy's CPU time per request. */
async function measureWindow(wrk: string | undefined, target: Target): Promise<Window> {
  const cpuBefore = await cpuMicros(target);
  const result = await closedLoop(wrk, target.url, durationMs);
  const cpuAfter = await cpuMicros(target);
  const cpuMicrosPerRequest = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / result.requests;
  return { result, cpuMicrosPerRequest };
}

/** One request must come back 200 with the backend's answer before a target is measured. */
async function checkTarget(name: TargetName, url: string): Promise<void> {
  const { statusCode, body } = await request(url);
  const text = await body.text();
  if (statusCode !== 200 || !text.startsWith('slept 0 ms')) {
    throw new Error(`${name} at ${url} answered ${statusCode} ${JSON.stringify(text.slice(0, 200))}, expected 200 "slept 0 ms"`);
  }
}

const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function columns(header: readonly string[], lines: readonly string[][]): string {
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => (line[column] as string).length)));
  return [header, ...lines].map((line) => line.map((cell, column) => cell.padStart(widths[column] as number)).join('  ')).join('\n');
}

function openLoopTable(rows: readonly [string, LoadResult][]): string {
  const header = ['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'];
  return columns(
    header,
    rows.map(([name, r]) => [
      name,
      fixed(r.requestsPerSecond, 0),
      fixed(r.latencyMs.p50, 3),
      fixed(r.latencyMs.p90, 3),
      fixed(r.latencyMs.p99, 3),
      fixed(r.latencyMs.max, 1),
      String(r.errors),
    ]),
  );
}

function closedLoopTable(rows: readonly [string, TargetSummary][]): string {
  const header = ['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'CPU us/req', 'CPU busy', 'errors'];
  return columns(
    header,
    rows.map(([name, r]) => [
      name,
      fixed(r.requestsPerSecond, 0),
      fixed(r.p50, 3),
      fixed(r.p90, 3),
      fixed(r.p99, 3),
      fixed(r.cpuMicrosPerRequest, 1),
      Number.isFinite(r.cpuMicrosPerRequest) ? `${fixed((r.cpuMicrosPerRequest * r.requestsPerSecond) / 10_000, 0)}%` : 'n/a',
      String(r.errors),
    ]),
  );
}

async function main(): Promise<void> {
  const wrk = chooseWrk();
  const started: { stop(): Promise<void> }[] = [];
  // The backend and wrk are started from here, so they inherit this process's CPUs.
  if (layout !== undefined) pinProcess(process.pid, layout.otherCpus);
  progress(
    layout === undefined
      ? 'CPU pinning off (--pin off, or no taskset / one CPU): every process shares every CPU; expect noisier rounds'
      : `CPU pinning: proxies on CPU ${layout.proxyCpus}; generator, backend and this script on CPU ${layout.otherCpus}`,
  );
  try {
    const backend: RunningSample = await spawnSampleServer('sleep');
    started.push({ stop: () => backend.close() });
    const targets = new Map<TargetName, Target>([['direct', { url: `${backend.url}/`, process: undefined }]]);
    const proxies: [TargetName, string, string, ChildSettings][] = PROXIES.map((name) => [name, TARGET_MAIN, name, {}]);
    if (baselineMain !== undefined) proxies.push(['baseline', baselineMain, 'aging-srtf', {}]);
    if (variant !== undefined) proxies.push(['aging-srtf-variant', TARGET_MAIN, 'aging-srtf', { nodeFlags: variantFlags, env: variantEnv }]);
    for (const [name, main, kind, settings] of proxies) {
      const child: ChildTarget<{ port: number; adminPort?: number }> = await startChildTarget(main, [kind, backend.url], settings);
      started.push(child);
      if (layout !== undefined) pinProcess(child.pid, layout.proxyCpus);
      targets.set(name, { url: `http://127.0.0.1:${child.info.port}/`, process: child });
    }
    for (const [name, target] of targets) await checkTarget(name, target.url);

    const generator = wrk === undefined ? 'undici closed loop' : `wrk (1 thread)`;
    progress(`closed loop: ${generator}, ${connections} connections, ${rounds} rounds of ${durationMs} ms per target, after ${warmupMs} ms warm-up each`);
    for (const [name, target] of targets) {
      progress(`  warm-up ${name} ...`);
      await closedLoop(wrk, target.url, warmupMs);
    }
    const names = [...targets.keys()];
    const windows = new Map<TargetName, Window[]>(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      const order = roundOrder(names, round);
      progress(`  round ${round + 1}/${rounds}: ${order.join(', ')}`);
      for (const name of order) (windows.get(name) as Window[]).push(await measureWindow(wrk, targets.get(name) as Target));
    }
    progress(`open loop: undici, ${rate} requests/s, ${durationMs} ms per target after ${warmupMs} ms warm-up`);
    const open: [TargetName, LoadResult][] = [];
    for (const name of ['direct', 'aging-srtf'] as const) {
      progress(`  ${name} ...`);
      open.push([name, await runOpenLoop({ url: (targets.get(name) as Target).url, requestsPerSecond: rate, durationMs, warmupMs })]);
    }
    const agingAdminPort = (targets.get('aging-srtf') as Target).process?.info.adminPort ?? 0;
    const series = await metricSeries(agingAdminPort);

    const windowsOf = (name: TargetName): Window[] => windows.get(name) as Window[];
    const summaries = names.map((name): [TargetName, TargetSummary] => [name, summarizeTarget(windowsOf(name))]);
    const summaryOf = (name: TargetName): TargetSummary => (summaries.find(([n]) => n === name) as [TargetName, TargetSummary])[1];
    const openOf = (name: TargetName): LoadResult => (open.find(([n]) => n === name) as [TargetName, LoadResult])[1];
    const agingSrtf = throughputRatio(windowsOf('aging-srtf'), windowsOf('pass-through'));
    const fifo = throughputRatio(windowsOf('fifo'), windowsOf('pass-through'));
    const features = throughputRatio(windowsOf('aging-srtf'), windowsOf('aging-srtf-no-features'));
    const baseline = baselineMain === undefined ? undefined : throughputRatio(windowsOf('aging-srtf'), windowsOf('baseline'));
    const varied =
      variant === undefined
        ? undefined
        : { throughput: throughputRatio(windowsOf('aging-srtf-variant'), windowsOf('aging-srtf')), cpu: cpuPerRequestRatio(windowsOf('aging-srtf-variant'), windowsOf('aging-srtf')) };
    const ratios = {
      ...(baseline === undefined ? {} : { agingSrtfThroughputVsBaseline: baseline.median, agingSrtfThroughputVsBaselineRounds: baseline.rounds }),
      ...(varied === undefined
        ? {}
        : {
            variantThroughputVsAgingSrtf: varied.throughput.median,
            variantThroughputVsAgingSrtfRounds: varied.throughput.rounds,
            variantCpuPerRequestVsAgingSrtf: varied.cpu.median,
            variantCpuPerRequestVsAgingSrtfRounds: varied.cpu.rounds,
          }),
      agingSrtfThroughputVsPassThrough: agingSrtf.median,
      agingSrtfThroughputVsPassThroughRounds: agingSrtf.rounds,
      fifoThroughputVsPassThrough: fifo.median,
      featuresThroughputVsNoFeatures: features.median,
      featuresThroughputVsNoFeaturesRounds: features.rounds,
      featuresCpuPerRequestVsNoFeatures: summaryOf('aging-srtf').cpuMicrosPerRequest / summaryOf('aging-srtf-no-features').cpuMicrosPerRequest,
      passThroughThroughputVsDirect: throughputRatio(windowsOf('pass-through'), windowsOf('direct')).median,
      agingSrtfCpuPerRequestVsPassThrough: summaryOf('aging-srtf').cpuMicrosPerRequest / summaryOf('pass-through').cpuMicrosPerRequest,
      closedLoopMedianAddedMs: summaryOf('aging-srtf').p50 - summaryOf('direct').p50,
      openLoopMedianAddedMs: openOf('aging-srtf').latencyMs.p50 - openOf('direct').latencyMs.p50,
    };
    const targetsMet = {
      throughput: ratios.agingSrtfThroughputVsPassThrough >= 0.85,
      featuresThroughput: ratios.featuresThroughputVsNoFeatures >= 0.95,
      openLoopMedian: ratios.openLoopMedianAddedMs <= 1,
    };

    if (flags.json) {
      const settings = { generator: wrk === undefined ? 'undici' : 'wrk', connections, rounds, durationMs, warmupMs, rate, cpuLayout: layout ?? null, variant: variant ?? null };
      const closedLoopReport = Object.fromEntries(names.map((name) => [name, { median: summaryOf(name), rounds: windowsOf(name) }]));
      process.stdout.write(
        `${JSON.stringify({ settings, closedLoop: closedLoopReport, openLoop: Object.fromEntries(open), ratios, targets: targetsMet, metricSeries: series }, null, 2)}\n`,
      );
      return;
    }
    const yesNo = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    const range = (ratio: RatioSummary): string => `(rounds ${ratio.rounds.map((r) => fixed(r)).join(', ')})`;
    const summary: [string, string][] = [
      ['Shortline aging-srtf / pass-through throughput', `${fixed(agingSrtf.median)}x  (target >= 0.85: ${yesNo(targetsMet.throughput)}) ${range(agingSrtf)}`],
      ['Shortline fifo / pass-through throughput', `${fixed(fifo.median)}x ${range(fifo)}`],
      ['aging-srtf / aging-srtf-no-features throughput', `${fixed(features.median)}x  (target >= 0.95: ${yesNo(targetsMet.featuresThroughput)}) ${range(features)}`],
      ['aging-srtf / aging-srtf-no-features CPU per request', `${fixed(ratios.featuresCpuPerRequestVsNoFeatures)}x`],
      ...(baseline === undefined ? [] : [['aging-srtf / baseline aging-srtf throughput', `${fixed(baseline.median)}x ${range(baseline)}`] as [string, string]]),
      ...(varied === undefined
        ? []
        : ([
            [`aging-srtf under ${variant ?? ''} / without, throughput`, `${fixed(varied.throughput.median)}x ${range(varied.throughput)}`],
            [`aging-srtf under ${variant ?? ''} / without, CPU per request`, `${fixed(varied.cpu.median)}x ${range(varied.cpu)}`],
          ] as [string, string][])),
      ['pass-through / direct throughput', `${fixed(ratios.passThroughThroughputVsDirect)}x`],
      ['aging-srtf / pass-through CPU per request', `${fixed(ratios.agingSrtfCpuPerRequestVsPassThrough)}x`],
      ['closed-loop median added vs direct', `${fixed(ratios.closedLoopMedianAddedMs, 3)} ms`],
      [`open-loop median added vs direct at ${rate}/s`, `${fixed(ratios.openLoopMedianAddedMs, 3)} ms  (target <= 1 ms: ${yesNo(targetsMet.openLoopMedian)})`],
      ['metrics on (aging-srtf /metrics)', `${series} series`],
    ];
    const labelWidth = Math.max(...summary.map(([label]) => label.length));
    process.stdout.write(
      [
        '',
        `Closed loop (${generator}, ${connections} connections, tiny responses; median of ${rounds} rounds of ${durationMs} ms${layout === undefined ? '' : `; proxy alone on CPU ${layout.proxyCpus}`}):`,
        closedLoopTable(summaries),
        '',
        `Open loop (undici, ${rate} requests/s, latency from each request's due time):`,
        openLoopTable(open),
        '',
        ...summary.map(([label, value]) => `${`${label}:`.padEnd(labelWidth + 2)}${value}`),
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.all(started.map((child) => child.stop()));
  }
}

await main();
