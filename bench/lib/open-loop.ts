import { summarizeLatencies, type LoadResult } from './load-result.js';
import { runScheduledLoad } from './scheduled-load.js';

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
 * Open-loop load at a fixed rate, through the same injector as `shortline load`: request i is due at
 * start + i / rate, whether or not earlier ones have been answered, and its latency runs from that
 * due time, so a stalled target shows up as latency instead of silently lowering the rate.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const intervalMs = 1000 / options.requestsPerSecond;
  const warmupCount = Math.floor(options.warmupMs / intervalMs);
  const total = warmupCount + Math.floor(options.durationMs / intervalMs);
  const path = `${target.pathname}${target.search}`;
  const result = await runScheduledLoad({
    origin: target.origin,
    dueMs: Float64Array.from({ length: total }, (_, i) => i * intervalMs),
    path: () => path,
    timeoutMs: options.timeoutMs ?? 10_000,
    connections: options.connections ?? 64,
  });
  const measured = total - warmupCount;
  const latencies: number[] = [];
  for (let i = warmupCount; i < total; i++) {
    const status = result.status[i] as number;
    if (status >= 200 && status < 300) latencies.push(result.latencyMs[i] as number);
  }
  const seconds = options.durationMs / 1000;
  return {
    generator: 'undici-open-loop',
    requests: measured,
    errors: measured - latencies.length,
    seconds,
    requestsPerSecond: measured / seconds,
    latencyMs: summarizeLatencies(Float64Array.from(latencies)),
  };
}
