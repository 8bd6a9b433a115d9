import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { LatencyRecorder, type LoadResult } from './load-result.js';

export interface OpenLoopOptions {
  /** Full URL of the request, e.g. http://127.0.0.1:8012/ */
  readonly url: string;
  readonly requestsPerSecond: number;
  readonly durationMs: number;
  /** Requests in this first stretch are sent but not measured. */
  readonly warmupMs: number;
  /** Connections available; enough that a slow answer never holds up the next send. Default 64. */
  readonly connections?: number;
  /** Give up on an answer after this long (counted as an error). Default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * Open-loop load with undici: request i is due at start + i / rate, whether or not earlier ones have
 * been answered, and its latency runs from that DUE time, not from when it was actually sent. A
 * stalled target therefore shows up as latency instead of silently lowering the rate (the
 * "coordinated omission" that closed-loop tools suffer). Sends happen on timer ticks; a late tick sends
 * everything that has fallen due, each still timed from its own due time.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.connections ?? 64, pipelining: 1 });
  const path = `${target.pathname}${target.search}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = 1000 / options.requestsPerSecond;
  const warmupCount = Math.floor(options.warmupMs / intervalMs);
  const total = warmupCount + Math.floor(options.durationMs / intervalMs);
  const latencies = new LatencyRecorder();
  let errors = 0;
  const pending: Promise<void>[] = [];

  const send = async (index: number, dueAt: number): Promise<void> => {
    let ok = false;
    try {
      const { statusCode, body } = await pool.request({ path, method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      await body.dump();
      ok = statusCode >= 200 && statusCode < 300;
    } catch {
      ok = false;
    }
    if (index < warmupCount) return;
    if (ok) latencies.record(performance.now() - dueAt);
    else errors++;
  };

  const start = performance.now();
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + next * intervalMs <= now) {
      pending.push(send(next, start + next * intervalMs));
      next++;
    }
    if (next < total) await sleep(Math.max(0, start + next * intervalMs - performance.now()));
  }
  await Promise.all(pending);
  await pool.close();
  const measured = total - warmupCount;
  const seconds = options.durationMs / 1000;
  return {
    generator: 'undici-open-loop',
    requests: measured,
    errors,
    seconds,
    requestsPerSecond: measured / seconds,
    latencyMs: latencies.summary(),
  };
}
