import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { BenchUsageError } from '../lib/bench-usage-error.js';
import { numberOption } from '../lib/number-option.js';
import { runFlood, type FloodResult } from './run-flood.js';

// npm run bench:flood [-- --requests 30000 --connections 32 --seed 1 --json]
//
// A flood of requests with random paths and query strings through Shortline (its own process, the
// defaults: aging-srtf, request features on, one catch-all function) in front of the `sleep` sample,
// bounded in flight, to 127.0.0.1. Target: the proxy's RSS grows by less than 64 MB and a plain
// request still gets 200 afterwards. Exit 0 when both hold, 1 when not, 2 for a bad option.

const RSS_GROWTH_LIMIT_BYTES = 64 * 1024 * 1024;
const MIB = 1024 * 1024;

const say = (line: string): void => void process.stderr.write(`${line}\n`);

function settings(): { requests: number; connections: number; seed: number; json: boolean } {
  const { values } = parseArgs({
    options: { requests: { type: 'string' }, connections: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const usage = (message: string): Error => new BenchUsageError(message);
  return {
    requests: numberOption('requests', values.requests, { integer: true, min: 1 }, usage) ?? 30_000,
    connections: numberOption('connections', values.connections, { integer: true, min: 1 }, usage) ?? 32,
    seed: numberOption('seed', values.seed, { integer: true, min: 0 }, usage) ?? 1,
    json: values.json === true,
  };
}

const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

function summary(result: FloodResult, requests: number, load: readonly number[]): string {
  const growth = result.after.rssBytes - result.before.rssBytes;
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${status} × ${count}`)
    .join(', ');
  return [
    '',
    `Flood: ${requests} requests with random paths and queries in ${result.floodSeconds.toFixed(1)} s (${(requests / result.floodSeconds).toFixed(0)} req/s); load average ${load.map((value) => value.toFixed(2)).join(' → ')}`,
    `answers: ${statuses}; unanswered: ${result.unanswered}`,
    `proxy RSS: ${mib(result.before.rssBytes)} before, ${mib(result.after.rssBytes)} after: grew ${mib(growth)} (target < 64 MiB: ${growth < RSS_GROWTH_LIMIT_BYTES ? 'met' : 'NOT met'}); peak ${mib(result.peakRssBytes)}`,
    `proxy heap used: ${mib(result.before.heapUsedBytes)} before, ${mib(result.after.heapUsedBytes)} after`,
    `RSS along the way: ${result.points.map((point) => `${point.sent}: ${mib(point.rssBytes)}`).join(', ')}`,
    `classes of the catch-all function: ${result.classes.count} (evicted ${result.classes.evicted}, learnt from ${result.classes.samples} calls)`,
    `Shortline metric series: ${result.metricSeries.before} before, ${result.metricSeries.after} after`,
    `a plain request afterwards: ${result.afterwards.status} ${JSON.stringify(result.afterwards.body)}`,
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  let options: ReturnType<typeof settings>;
  try {
    options = settings();
  } catch (error) {
    say(`bench:flood: ${(error as Error).message}`);
    return 2;
  }
  const loadBefore = loadavg()[0] ?? NaN;
  const result = await runFlood({ ...options, warmupRequests: 2000, checkpoints: 6, log: say });
  const load = [loadBefore, loadavg()[0] ?? NaN];
  const growth = result.after.rssBytes - result.before.rssBytes;
  const met = growth < RSS_GROWTH_LIMIT_BYTES && result.afterwards.status === 200;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ settings: options, loadAverage: load, ...result, rssGrowthBytes: growth, targetMet: met }, null, 2)}\n`);
  } else {
    process.stdout.write(summary(result, options.requests, load));
  }
  return met ? 0 : 1;
}

process.exitCode = await main();
