import { build, type Histogram } from 'hdr-histogram-js';
import {
  createTraceReplaySource,
  HttpClient,
  InvocationRunner,
  runOpenLoop,
  ScheduleStream,
  UNBOUNDED,
  type HttpCall,
  type InvocationTrace,
} from '@shortline/load';

/** What a request sends besides its path, when it is not a plain GET. */
export interface RequestShape {
  readonly method: string;
  /** Sent with the options' `headers`, and winning over them. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: Buffer | undefined;
}

export interface ScheduledLoadOptions {
  /** e.g. http://127.0.0.1:8012 */
  readonly origin: string;
  /** When each request is due, in ms after the start, non-decreasing. */
  readonly dueMs: Float64Array;
  /** Path and query of request `index`. */
  path(index: number): string;
  /** Headers sent with every request, e.g. the revision a gateway should route to. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Method, headers and body of request `index`; default: GET with `headers`, no body. */
  shape?(index: number): RequestShape;
  /** A response header to keep for each request (lower case), e.g. `x-shortline-reason`. */
  readonly captureHeader?: string | undefined;
  /** Give up on an answer after this long: status 0, an error. */
  readonly timeoutMs: number;
  /** At most this many requests in flight (and connections); default: as many as are due. */
  readonly connections?: number | undefined;
  /**
   * Requests sent (a few at a time, not timed) before the schedule starts, so that connections are
   * open and the client's code is compiled before the first timed send. Pick a path the target
   * answers without side effects (Shortline: one that matches no function, answered 404).
   */
  readonly warmup?: { readonly path: string; readonly requests: number } | undefined;
  /**
   * Called once, as the first request is sent, with the `performance.now()` instant that due time 0
   * stands for: what runs beside the load (a change to the backend, a watch on the proxy) keeps to
   * the schedule's clock with it.
   */
  readonly onStart?: ((originMs: number) => void) | undefined;
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
  /** Server-Timing `queue` and `upstream` (a Shortline in the path); NaN when absent. */
  readonly queueMs: Float64Array;
  readonly upstreamMs: Float64Array;
  readonly captured: readonly (string | undefined)[];
  /** Latencies of the answered requests in microseconds (HdrHistogram, 3 significant digits). */
  readonly histogram: Histogram;
  /** From the first due time to the last answer. */
  readonly wallMs: number;
}

const PROGRESS_EVERY_MS = 200;

function call(origin: string, path: string, headers: Readonly<Record<string, string>> | undefined, shape?: RequestShape): HttpCall {
  const query = path.indexOf('?');
  const route = query < 0 ? path : path.slice(0, query);
  if (shape === undefined) return { origin, path, route, method: 'GET', headers, body: undefined };
  return { origin, path, route, method: shape.method, headers: shape.headers === undefined ? headers : { ...headers, ...shape.headers }, body: shape.body };
}

/**
 * The benchmarks' view of `shortline load`'s injector (packages/load): the schedule `dueMs` sent open
 * loop — each request at its due time whatever became of the ones before it, its latency counted
 * from that due time — and the outcomes gathered into arrays indexed like the schedule. Every request
 * is bounded by `timeoutMs`, so the run ends within the schedule's span plus that.
 */
export async function runScheduledLoad(options: ScheduledLoadOptions): Promise<ScheduledLoadResult> {
  const n = options.dueMs.length;
  const lagMs = new Float64Array(n);
  const latencyMs = new Float64Array(n).fill(NaN);
  const status = new Uint16Array(n);
  const queueMs = new Float64Array(n).fill(NaN);
  const upstreamMs = new Float64Array(n).fill(NaN);
  const captured: (string | undefined)[] = new Array<string | undefined>(n).fill(undefined);
  const histogram = build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
  const trace: InvocationTrace = {
    file: options.origin,
    functions: [''],
    functionIndex: new Uint32Array(n),
    startMs: options.dueMs,
    durationMs: new Float64Array(n).fill(NaN),
    bodyBytes: new Float64Array(n).fill(NaN),
  };
  const client = new HttpClient({ connections: options.connections, timeoutMs: options.timeoutMs, captureHeader: options.captureHeader });
  let answered = 0;
  let progressAt = 0;
  let started = false;
  const runner = new InvocationRunner({
    client,
    request: (invocation) => {
      if (!started) {
        started = true;
        options.onStart?.(runner.origin);
      }
      return call(options.origin, options.path(invocation.id), options.headers, options.shape?.(invocation.id));
    },
    onSettled: (invocation, result) => {
      const i = invocation.id;
      lagMs[i] = result.sentMs - invocation.scheduledMs;
      if (typeof result.status === 'number') {
        status[i] = result.status;
        latencyMs[i] = result.latencyMs;
        histogram.recordValue(Math.max(1, Math.round(result.latencyMs * 1000)));
      }
      queueMs[i] = result.queueMs;
      upstreamMs[i] = result.upstreamMs;
      captured[i] = result.captured;
      answered++;
      const now = performance.now();
      if (options.onProgress !== undefined && (now - progressAt >= PROGRESS_EVERY_MS || answered === n)) {
        progressAt = now;
        options.onProgress(runner.counts().sent, answered, histogram);
      }
    },
  });
  const warmup = options.warmup;
  await runOpenLoop({
    schedule: new ScheduleStream(createTraceReplaySource({ trace, timeScale: 1, bodyBytes: NaN }), UNBOUNDED),
    runner,
    maxInFlight: options.connections,
    graceMs: 0,
    warmup: warmup === undefined ? undefined : { client, call: call(options.origin, warmup.path, options.headers), requests: warmup.requests },
  });
  const wallMs = n === 0 ? 0 : runner.clockMs() - (options.dueMs[0] as number);
  await client.close();
  return { lagMs, latencyMs, status, queueMs, upstreamMs, captured, histogram, wallMs };
}
