import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { spawnSampleServer, type RunningSample } from '@shortline/samples';
import { startChildTarget, type ChildTarget } from '../lib/child-target.js';
import { runClosedLoop } from '../lib/closed-loop.js';
import type { LoadResult } from '../lib/load-result.js';
import { runOpenLoop } from '../lib/open-loop.js';
import { findWrk, runWrk } from '../lib/wrk.js';

// npm run bench:overhead [-- --json --duration-ms 5000 --connections 32 --rate 1000 --generator wrk|undici]
//
// What Shortline costs on top of the least a Node proxy must do. One run, every target:
//   direct        the load generator straight to a tiny backend (the `sleep` sample, 0 ms)
//   pass-through  a minimal undici proxy written for this comparison (pass-through.ts)
//   fifo          Shortline, FIFO policy, metrics on
//   aging-srtf    Shortline, the default policy, metrics on
// Closed loop (wrk, else an undici generator): throughput and latency at N connections.
// Open loop (undici, timed from each request's due time): median latency at a fixed rate, direct vs
// Shortline. Backend, proxy and generator each run in a process of their own.

const TARGET_MAIN = fileURLToPath(new URL('./target-main.js', import.meta.url));
const TARGETS = ['pass-through', 'fifo', 'aging-srtf'] as const;
type TargetName = 'direct' | (typeof TARGETS)[number];

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'duration-ms': { type: 'string', default: '5000' },
    'warmup-ms': { type: 'string', default: '1000' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '1000' },
    generator: { type: 'string', default: 'auto' },
  },
});

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!(value > 0 && Number.isFinite(value))) throw new Error(`--${name} must be a positive number, got ${String(text)}`);
  return value;
}

const durationMs = positive('duration-ms', flags['duration-ms']);
const warmupMs = positive('warmup-ms', flags['warmup-ms']);
const connections = Math.round(positive('connections', flags.connections));
const rate = positive('rate', flags.rate);
const generatorChoice = flags.generator ?? 'auto';
if (!['auto', 'wrk', 'undici'].includes(generatorChoice)) throw new Error('--generator must be auto, wrk or undici');

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

async function closedLoop(wrk: string | undefined, url: string): Promise<LoadResult> {
  if (wrk === undefined) return runClosedLoop({ url, connections, durationMs, warmupMs });
  await runWrk({ wrk, url, connections, durationMs: warmupMs });
  return runWrk({ wrk, url, connections, durationMs });
}

/** One request must come back 200 with the backend's answer before a target is measured. */
async function checkTarget(name: TargetName, url: string): Promise<void> {
  const { statusCode, body } = await request(url);
  const text = await body.text();
  if (statusCode !== 200 || !text.startsWith('slept 0 ms')) {
    throw new Error(`${name} at ${url} answered ${statusCode} ${JSON.stringify(text.slice(0, 200))}, expected 200 "slept 0 ms"`);
  }
}

async function metricSeries(adminPort: number): Promise<number> {
  const { statusCode, body } = await request(`http://127.0.0.1:${adminPort}/metrics`);
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`/metrics answered ${statusCode}`);
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function table(rows: readonly [string, LoadResult][]): string {
  const header = ['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'];
  const lines = rows.map(([name, r]) => [
    name,
    fixed(r.requestsPerSecond, 0),
    fixed(r.latencyMs.p50, 3),
    fixed(r.latencyMs.p90, 3),
    fixed(r.latencyMs.p99, 3),
    fixed(r.latencyMs.max, 1),
    String(r.errors),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => (line[column] as string).length)));
  return [header, ...lines].map((line) => line.map((cell, column) => cell.padStart(widths[column] as number)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const wrk = chooseWrk();
  const started: { stop(): Promise<void> }[] = [];
  try {
    const backend: RunningSample = await spawnSampleServer('sleep');
    started.push({ stop: () => backend.close() });
    const urls = new Map<TargetName, string>([['direct', `${backend.url}/`]]);
    let agingAdminPort = 0;
    for (const name of TARGETS) {
      const target: ChildTarget<{ port: number; adminPort?: number }> = await startChildTarget(TARGET_MAIN, [name, backend.url]);
      started.push(target);
      urls.set(name, `http://127.0.0.1:${target.info.port}/`);
      if (name === 'aging-srtf') agingAdminPort = target.info.adminPort ?? 0;
    }
    for (const [name, url] of urls) await checkTarget(name, url);

    const generator = wrk === undefined ? 'undici closed loop' : `wrk (1 thread)`;
    progress(`closed loop: ${generator}, ${connections} connections, ${durationMs} ms per target after ${warmupMs} ms warm-up`);
    const closed: [TargetName, LoadResult][] = [];
    for (const [name, url] of urls) {
      progress(`  ${name} ...`);
      closed.push([name, await closedLoop(wrk, url)]);
    }
    progress(`open loop: undici, ${rate} requests/s, ${durationMs} ms per target after ${warmupMs} ms warm-up`);
    const open: [TargetName, LoadResult][] = [];
    for (const name of ['direct', 'aging-srtf'] as const) {
      progress(`  ${name} ...`);
      open.push([name, await runOpenLoop({ url: urls.get(name) as string, requestsPerSecond: rate, durationMs, warmupMs })]);
    }
    const series = await metricSeries(agingAdminPort);

    const closedOf = (name: TargetName): LoadResult => (closed.find(([n]) => n === name) as [TargetName, LoadResult])[1];
    const openOf = (name: TargetName): LoadResult => (open.find(([n]) => n === name) as [TargetName, LoadResult])[1];
    const ratios = {
      agingSrtfThroughputVsPassThrough: closedOf('aging-srtf').requestsPerSecond / closedOf('pass-through').requestsPerSecond,
      fifoThroughputVsPassThrough: closedOf('fifo').requestsPerSecond / closedOf('pass-through').requestsPerSecond,
      passThroughThroughputVsDirect: closedOf('pass-through').requestsPerSecond / closedOf('direct').requestsPerSecond,
      closedLoopMedianAddedMs: closedOf('aging-srtf').latencyMs.p50 - closedOf('direct').latencyMs.p50,
      openLoopMedianAddedMs: openOf('aging-srtf').latencyMs.p50 - openOf('direct').latencyMs.p50,
    };
    const targets = {
      throughput: ratios.agingSrtfThroughputVsPassThrough >= 0.85,
      openLoopMedian: ratios.openLoopMedianAddedMs <= 1,
    };

    if (flags.json) {
      const settings = { generator: wrk === undefined ? 'undici' : 'wrk', connections, durationMs, warmupMs, rate };
      process.stdout.write(
        `${JSON.stringify({ settings, closedLoop: Object.fromEntries(closed), openLoop: Object.fromEntries(open), ratios, targets, metricSeries: series }, null, 2)}\n`,
      );
      return;
    }
    const yesNo = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    const summary: [string, string][] = [
      ['Shortline aging-srtf / pass-through throughput', `${fixed(ratios.agingSrtfThroughputVsPassThrough)}x  (target >= 0.85: ${yesNo(targets.throughput)})`],
      ['Shortline fifo / pass-through throughput', `${fixed(ratios.fifoThroughputVsPassThrough)}x`],
      ['pass-through / direct throughput', `${fixed(ratios.passThroughThroughputVsDirect)}x`],
      ['closed-loop median added vs direct', `${fixed(ratios.closedLoopMedianAddedMs, 3)} ms`],
      [`open-loop median added vs direct at ${rate}/s`, `${fixed(ratios.openLoopMedianAddedMs, 3)} ms  (target <= 1 ms: ${yesNo(targets.openLoopMedian)})`],
      ['metrics on (aging-srtf /metrics)', `${series} series`],
    ];
    const labelWidth = Math.max(...summary.map(([label]) => label.length));
    process.stdout.write(
      [
        '',
        `Closed loop (${generator}, ${connections} connections, tiny responses):`,
        table(closed),
        '',
        `Open loop (undici, ${rate} requests/s, latency from each request's due time):`,
        table(open),
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
