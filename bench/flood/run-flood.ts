import { join } from 'node:path';
import { Pool, request } from 'undici';
import { spawnSampleServer } from '@shortline/samples';
import { startChildTarget, type ChildTarget } from '../lib/child-target.js';
import { metricSeries } from '../lib/metric-series.js';
import { repositoryRoot } from '../lib/repository-root.js';
import { createRandomTargets } from './random-targets.js';

export interface FloodOptions {
  /** Requests with random paths and queries. */
  readonly requests: number;
  /** At most this many in flight (and connections). */
  readonly connections: number;
  readonly seed: number;
  /** Plain requests (one path) before the first measure, so that code, connections and pools are warm. */
  readonly warmupRequests: number;
  /** The proxy's memory is read this many times during the flood. */
  readonly checkpoints: number;
  log(line: string): void;
}

/** The proxy's memory once `sent` flood requests have been answered (bytes). */
export interface MemoryPoint {
  readonly sent: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface FloodResult {
  readonly before: MemoryPoint;
  readonly after: MemoryPoint;
  /** Including before and after. */
  readonly points: readonly MemoryPoint[];
  /** The proxy process's peak RSS over its life (getrusage), bytes. */
  readonly peakRssBytes: number;
  /** Answers by status, and requests that got none. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly unanswered: number;
  /** What /debug/queue says the catch-all function learnt: bounded by predictor.maxClasses (256). */
  readonly classes: { readonly count: number; readonly evicted: number; readonly samples: number };
  /** Shortline's own series (`shortline_*`; Node's process metrics left out): classes are never labels. */
  readonly metricSeries: { readonly before: number; readonly after: number };
  /** A plain request after the flood. */
  readonly afterwards: { readonly status: number; readonly body: string };
  readonly floodSeconds: number;
}

interface TargetInfo {
  readonly port: number;
  readonly adminPort: number;
}

interface MemoryUsage {
  readonly rss: number;
  readonly heapUsed: number;
  readonly maxRssKb: number;
}

/** overhead's proxy process: Shortline, aging-srtf, one catch-all function, request features on (the defaults). */
const targetMain = (): string => join(repositoryRoot(), 'bench', 'dist', 'overhead', 'target-main.js');
const PLAIN_PATH = '/plain';
const SHORTLINE_SERIES = 'shortline_';

async function text(url: string): Promise<{ status: number; body: string }> {
  const { statusCode, body } = await request(url);
  return { status: statusCode, body: await body.text() };
}

async function learnt(adminPort: number): Promise<FloodResult['classes']> {
  const { body } = await text(`http://127.0.0.1:${adminPort}/debug/queue`);
  const snapshot = JSON.parse(body) as { functions: { requests?: { classCount: number; evictedClasses: number; samples: number } | null }[] };
  const requests = snapshot.functions[0]?.requests;
  return { count: requests?.classCount ?? 0, evicted: requests?.evictedClasses ?? 0, samples: requests?.samples ?? 0 };
}

/**
 * Sends `count` requests, `connections` at a time, the path of each from `path`; counts answers by
 * status; `onSettled(n)` after the n-th request has settled (n from 1, each once).
 */
async function send(pool: Pool, count: number, connections: number, path: () => string, onSettled: (settled: number) => Promise<void>): Promise<{ statuses: Record<string, number>; unanswered: number }> {
  const statuses: Record<string, number> = {};
  let unanswered = 0;
  let started = 0;
  let settled = 0;
  const worker = async (): Promise<void> => {
    while (started < count) {
      started++;
      try {
        const { statusCode, body } = await pool.request({ path: path(), method: 'GET' });
        await body.dump();
        statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      } catch {
        unanswered++;
      }
      await onSettled(++settled);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { statuses, unanswered };
}

/**
 * The flood: Shortline in a process of its own (aging-srtf, one catch-all function, request features
 * on) in front of the `sleep` sample, warmed up with plain requests, then `requests` requests with
 * random paths and queries, bounded in flight, to 127.0.0.1; the proxy's memory before, during and
 * after; the classes it kept and its metric series; and whether a plain request still gets 200.
 */
export async function runFlood(options: FloodOptions): Promise<FloodResult> {
  const backend = await spawnSampleServer('sleep');
  let proxy: ChildTarget<TargetInfo> | undefined;
  try {
    proxy = await startChildTarget<TargetInfo>(targetMain(), ['aging-srtf', backend.url]);
    const target = proxy;
    const origin = `http://127.0.0.1:${target.info.port}`;
    const pool = new Pool(origin, { connections: options.connections, pipelining: 1 });
    const memory = async (sent: number): Promise<MemoryPoint> => {
      const usage = await target.ask<MemoryUsage>({ kind: 'memory-usage' });
      return { sent, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed };
    };
    try {
      options.log(`warm-up: ${options.warmupRequests} requests to ${PLAIN_PATH}`);
      await send(pool, options.warmupRequests, options.connections, () => PLAIN_PATH, async () => undefined);
      const seriesBefore = await metricSeries(target.info.adminPort, SHORTLINE_SERIES);
      const before = await memory(0);
      const points: MemoryPoint[] = [before];
      const every = Math.max(1, Math.floor(options.requests / options.checkpoints));
      let measuring: Promise<void> = Promise.resolve();
      options.log(`flood: ${options.requests} requests with random paths and queries, ${options.connections} in flight`);
      const startedAt = performance.now();
      const outcome = await send(pool, options.requests, options.connections, createRandomTargets(options.seed), async (settled) => {
        if (settled % every !== 0 || settled === options.requests) return;
        // One question to the proxy at a time: its answers come back on one IPC channel.
        measuring = measuring.then(async () => void points.push(await memory(settled)));
        await measuring;
      });
      const floodSeconds = (performance.now() - startedAt) / 1000;
      await measuring;
      const after = await memory(options.requests);
      points.push(after);
      const usage = await target.ask<MemoryUsage>({ kind: 'memory-usage' });
      return {
        before,
        after,
        points,
        peakRssBytes: usage.maxRssKb * 1024,
        statuses: outcome.statuses,
        unanswered: outcome.unanswered,
        classes: await learnt(target.info.adminPort),
        metricSeries: { before: seriesBefore, after: await metricSeries(target.info.adminPort, SHORTLINE_SERIES) },
        afterwards: await text(`${origin}${PLAIN_PATH}`),
        floodSeconds,
      };
    } finally {
      await pool.close();
    }
  } finally {
    await proxy?.stop();
    await backend.close();
  }
}
