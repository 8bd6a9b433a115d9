import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { build, type Histogram } from 'hdr-histogram-js';
import { Pool } from 'undici';

export interface ScheduledLoadOptions {
  /** e.g. http://127.0.0.1:8012 */
  readonly origin: string;
  /** When each request is due, in ms after the start, non-decreasing. */
  readonly dueMs: Float64Array;
  /** Path and query of request `index`. */
  path(index: number): string;
  /** Headers sent with every request, e.g. the revision a gateway should route to. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** A response header to keep for each request (lower case), e.g. `server-timing`. */
  readonly captureHeader?: string | undefined;
  /** Give up on an answer after this long: status 0, an error. */
  readonly timeoutMs: number;
  /**
   * Requests sent (a few at a time, not timed) before the schedule starts, so that connections are
   * open and the client's code is compiled before the first timed send. Pick a path the target
   * answers without side effects (Shortline: one that matches no function, answered 404).
   */
  readonly warmup?: { readonly path: string; readonly requests: number } | undefined;
  /** Called at most every PROGRESS_EVERY_MS with the requests sent and answered so far. */
  readonly onProgress?: ((sent: number, answered: number, histogram: Histogram) => void) | undefined;
}

/** Per request, indexed like `dueMs`. Times are ms. */
export interface ScheduledLoadResult {
  /** How late the request was handed to the client after its due time. */
  readonly lagMs: Float64Array;
  /** From the due time (not the send time) to the end of the response body; NaN when it failed. */
  readonly latencyMs: Float64Array;
  /** HTTP status; 0 when no response came (connection error or timeout). */
  readonly status: Uint16Array;
  readonly captured: readonly (string | undefined)[];
  /** Latencies of the answered requests in microseconds (HdrHistogram, 3 significant digits). */
  readonly histogram: Histogram;
  /** From the start of the schedule to the last answer. */
  readonly wallMs: number;
}

const PROGRESS_EVERY_MS = 200;
const WARMUP_CONCURRENCY = 8;
/** Time to set up the first sends before the first due time. */
const LEAD_MS = 20;

/**
 * Open-loop load on a schedule: request i goes out at start + dueMs[i] whatever has happened to the
 * ones before it, and its latency counts from that due time, so a slow target shows up as latency
 * instead of quietly slowing the sender ("coordinated omission"). The pool opens as many connections
 * as there are requests in flight, so no request waits for a connection. Every request is bounded by
 * `timeoutMs`, so the run ends within the schedule's span plus that.
 */
export async function runScheduledLoad(options: ScheduledLoadOptions): Promise<ScheduledLoadResult> {
  const n = options.dueMs.length;
  const pool = new Pool(options.origin, { pipelining: 1 });
  const lagMs = new Float64Array(n);
  const latencyMs = new Float64Array(n).fill(NaN);
  const status = new Uint16Array(n);
  const captured: (string | undefined)[] = new Array<string | undefined>(n).fill(undefined);
  const histogram = build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
  const header = options.captureHeader;
  const headers = options.headers ?? {};
  let next = 0;
  let answered = 0;
  let progressAt = 0;
  const progress = (): void => {
    if (options.onProgress === undefined) return;
    const now = performance.now();
    if (now - progressAt < PROGRESS_EVERY_MS && answered < n) return;
    progressAt = now;
    options.onProgress(next, answered, histogram);
  };

  // One request, start to end of body. The warm-up goes through it too, so that it is compiled.
  const exchange = async (path: string): Promise<{ statusCode: number; value: string | undefined }> => {
    const response = await pool.request({ path, method: 'GET', headers, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
    const value = header === undefined ? undefined : response.headers[header];
    await response.body.dump();
    return { statusCode: response.statusCode, value: Array.isArray(value) ? value.join(', ') : value };
  };

  const send = async (index: number, dueAt: number): Promise<void> => {
    try {
      const { statusCode, value } = await exchange(options.path(index));
      const latency = performance.now() - dueAt;
      latencyMs[index] = latency;
      status[index] = statusCode;
      captured[index] = value;
      histogram.recordValue(Math.max(1, Math.round(latency * 1000)));
    } catch {
      status[index] = 0;
    }
    answered++;
    progress();
  };

  const warmup = options.warmup;
  for (let sent = 0; warmup !== undefined && sent < warmup.requests; sent += WARMUP_CONCURRENCY) {
    const batch = Math.min(WARMUP_CONCURRENCY, warmup.requests - sent);
    await Promise.all(Array.from({ length: batch }, () => exchange(warmup.path)));
  }
  const pending: Promise<void>[] = [];
  const start = performance.now() + LEAD_MS;
  while (next < n) {
    const now = performance.now();
    while (next < n && start + (options.dueMs[next] as number) <= now) {
      const dueAt = start + (options.dueMs[next] as number);
      lagMs[next] = performance.now() - dueAt;
      pending.push(send(next, dueAt));
      next++;
    }
    progress();
    if (next < n) await sleep(Math.max(0, start + (options.dueMs[next] as number) - performance.now()));
  }
  await Promise.all(pending);
  await pool.close();
  return { lagMs, latencyMs, status, captured, histogram, wallMs: performance.now() - start };
}
