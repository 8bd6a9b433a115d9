import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { LatencyRecorder, type LoadResult } from './load-result.js';

export interface ClosedLoopOptions {
  /** Full URL of the request, e.g. http://127.0.0.1:8012/ */
  readonly url: string;
  readonly connections: number;
  readonly durationMs: number;
  /** Load before measuring, so that connections, JIT and caches are warm. */
  readonly warmupMs: number;
}

/**
 * Closed-loop load with undici, for machines without wrk: each connection sends its next request as
 * soon as the previous answer has arrived. The generator shares the machine with what it measures,
 * so it caps the rate it can show; wrk is the better tool when present.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1 });
  const path = `${target.pathname}${target.search}`;
  const latencies = new LatencyRecorder();
  let errors = 0;
  const started = performance.now();
  const measureFrom = started + options.warmupMs;
  const stopAt = measureFrom + options.durationMs;

  const worker = async (): Promise<void> => {
    for (;;) {
      const sentAt = performance.now();
      if (sentAt >= stopAt) return;
      let ok = false;
      try {
        const { statusCode, body } = await pool.request({ path, method: 'GET' });
        await body.dump();
        ok = statusCode >= 200 && statusCode < 300;
      } catch {
        ok = false;
      }
      const doneAt = performance.now();
      if (sentAt < measureFrom || doneAt > stopAt) continue;
      if (ok) latencies.record(doneAt - sentAt);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  await pool.close();
  const seconds = options.durationMs / 1000;
  return {
    generator: 'undici-closed-loop',
    requests: latencies.count + errors,
    errors,
    seconds,
    requestsPerSecond: (latencies.count + errors) / seconds,
    latencyMs: latencies.summary(),
  };
}
