import { Counter, type Registry } from 'prom-client';
import { BucketHistogram } from './bucket-histogram.js';
import { REFUSALS, type RefusalReason } from '../http-errors.js';

/** Seconds; from sub-millisecond queue waits to Knative's default 300 s request timeout. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
const DISCONNECT_PHASES = ['queued', 'in-flight'] as const;
const REFUSAL_REASONS = Object.keys(REFUSALS) as RefusalReason[];
/**
 * How an accepted request ended: `answered` (the backend's response passed on whole), `refused` (the
 * proxy answered it: a timeout, a backend failure, removal, shutdown), `cut` (its connection was cut
 * after the response had started), `disconnected` (its client left first).
 */
const FINISH_OUTCOMES = ['answered', 'refused', 'cut', 'disconnected'] as const;
export type FinishOutcome = (typeof FINISH_OUTCOMES)[number];
const HINT_NAMES = ['expected-duration', 'workflow-remaining'] as const;
export type HintName = (typeof HINT_NAMES)[number];
/** `honoured`; `untrusted`: the client is not in trust.trustedSources; `invalid`: not whole milliseconds. */
const HINT_OUTCOMES = ['honoured', 'untrusted', 'invalid'] as const;
export type HintOutcome = (typeof HINT_OUTCOMES)[number];

interface Observer {
  observe(value: number): void;
}

interface Incrementer {
  inc(value?: number): void;
}

/**
 * One function's request-path metrics, resolved once (prom-client hashes labels on every un-cached
 * call), so that a request pays one array index per observation.
 */
export class FunctionMetrics {
  readonly queueWait: Observer;
  readonly serviceTime: Observer;
  readonly accepted: DeferredCount;
  readonly #responses: DeferredCount[];
  readonly #finished: Readonly<Record<FinishOutcome, DeferredCount>>;

  constructor(
    queueWait: Observer,
    serviceTime: Observer,
    accepted: DeferredCount,
    responses: DeferredCount[],
    finished: Readonly<Record<FinishOutcome, DeferredCount>>,
  ) {
    this.queueWait = queueWait;
    this.serviceTime = serviceTime;
    this.accepted = accepted;
    this.#responses = responses;
    this.#finished = finished;
  }

  /** Hands the counts made since the last scrape to prom-client. */
  flush(): void {
    this.accepted.flush();
    for (const count of this.#responses) count.flush();
    for (const outcome of FINISH_OUTCOMES) this.#finished[outcome].flush();
  }

  responded(status: number): void {
    this.#responses[Math.min(4, Math.max(0, Math.floor(status / 100) - 1))]?.inc();
  }

  /** An accepted request is over; called exactly once for each. */
  finished(outcome: FinishOutcome): void {
    this.#finished[outcome].inc();
  }
}

/**
 * A counter child counted in a plain number and handed to prom-client when it collects (every
 * scrape): prom-client hashes a child's labels on every `inc`, which costs the hot path an
 * allocation per call.
 */
class DeferredCount implements Incrementer {
  #pending = 0;
  readonly #child: Incrementer;

  constructor(child: Incrementer) {
    this.#child = child;
  }

  inc(value = 1): void {
    this.#pending += value;
  }

  flush(): void {
    if (this.#pending === 0) return;
    this.#child.inc(this.#pending);
    this.#pending = 0;
  }
}

function byLabel<K extends string, V>(keys: readonly K[], make: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((key) => [key, make(key)])) as Record<K, V>;
}

/** The counters and histograms the request path updates; gauges are read at scrape time elsewhere. */
export class ProxyMetrics {
  readonly #queueWait: BucketHistogram;
  readonly #serviceTime: BucketHistogram;
  readonly #accepted: Counter<'function'>;
  readonly #responses: Counter<'function' | 'class'>;
  readonly #rejections: Counter<'function' | 'reason'>;
  readonly #disconnects: Counter<'function' | 'phase'>;
  readonly #resends: Counter<'function'>;
  readonly #reloads: Counter<'result'>;
  readonly #connectionRefusals: Counter<'reason'>;
  readonly #finished: Counter<'function' | 'outcome'>;
  readonly #hints: Readonly<Record<HintName, Readonly<Record<HintOutcome, Incrementer>>>>;
  readonly #functions = new Map<string, FunctionMetrics>();
  readonly #flushDeferred = (): void => {
    for (const metrics of this.#functions.values()) metrics.flush();
  };

  constructor(registry: Registry) {
    const registers = [registry];
    this.#queueWait = new BucketHistogram({
      name: 'shortline_queue_wait_seconds',
      help: 'Time from arrival until the request was sent to a backend.',
      labelName: 'function',
      buckets: DURATION_BUCKETS,
      registry,
    });
    this.#serviceTime = new BucketHistogram({
      name: 'shortline_service_time_seconds',
      help: 'Time from sending the request to the end of the backend response (what the predictor learns).',
      labelName: 'function',
      buckets: DURATION_BUCKETS,
      registry,
    });
    this.#accepted = new Counter({
      name: 'shortline_requests_accepted_total',
      help: 'Requests accepted into a queue.',
      labelNames: ['function'],
      registers,
      collect: this.#flushDeferred,
    });
    this.#responses = new Counter({
      name: 'shortline_responses_total',
      help: 'Responses by status class, the backend answers and the proxy refusals together.',
      labelNames: ['function', 'class'],
      registers,
      collect: this.#flushDeferred,
    });
    this.#rejections = new Counter({
      name: 'shortline_rejections_total',
      help: 'Requests the proxy answered itself or cut off, by reason (queue full, expired, timeouts, backend failures).',
      labelNames: ['function', 'reason'],
      registers,
    });
    this.#disconnects = new Counter({
      name: 'shortline_client_disconnects_total',
      help: 'Clients that went away before their answer: while queued (never forwarded) or in flight (upstream aborted).',
      labelNames: ['function', 'phase'],
      registers,
    });
    this.#resends = new Counter({
      name: 'shortline_upstream_resends_total',
      help:
        'Requests sent to their backend a second time because the kept-alive connection they went out on closed before any ' +
        'answer (the keep-alive race); only bodiless requests with an idempotent method, and at most once each.',
      labelNames: ['function'],
      registers,
    });
    this.#finished = new Counter({
      name: 'shortline_requests_finished_total',
      help:
        'Accepted requests that are over, by how: answered (the backend response passed on whole), refused (the proxy answered: ' +
        'timeout, backend failure, removal, shutdown), cut (connection cut mid-response), disconnected (the client left first). ' +
        'accepted = finished + queued + in flight, so with nothing queued or in flight the two totals are equal.',
      labelNames: ['function', 'outcome'],
      registers,
      collect: this.#flushDeferred,
    });
    const hints = new Counter({
      name: 'shortline_scheduling_hints_total',
      help:
        'Scheduling hint headers seen, by hint and outcome: honoured (a trusted source, whole milliseconds), untrusted ' +
        '(ignored and kept from the backend: the client is not in trust.trustedSources), invalid (ignored: not whole milliseconds).',
      labelNames: ['hint', 'outcome'],
      registers,
    });
    this.#hints = byLabel(HINT_NAMES, (hint) => byLabel(HINT_OUTCOMES, (outcome) => hints.labels({ hint, outcome })));
    this.#connectionRefusals = new Counter({
      name: 'shortline_connection_refusals_total',
      help:
        'Bytes refused before they became a request, by reason: malformed-request (400), headers-timeout (408), ' +
        'chunk-extensions-too-large (413), header-too-large (431), connect-not-supported (405). The connection closes after each.',
      labelNames: ['reason'],
      registers,
    });
    this.#reloads = new Counter({
      name: 'shortline_config_reloads_total',
      help: 'Configuration reloads, applied (ok) or refused and the last good one kept (invalid).',
      labelNames: ['result'],
      registers,
    });
  }

  forFunction(name: string): FunctionMetrics {
    let metrics = this.#functions.get(name);
    if (metrics === undefined) {
      const labels = { function: name };
      metrics = new FunctionMetrics(
        this.#queueWait.series(name),
        this.#serviceTime.series(name),
        new DeferredCount(this.#accepted.labels(labels)),
        STATUS_CLASSES.map((statusClass) => new DeferredCount(this.#responses.labels({ function: name, class: statusClass }))),
        byLabel(FINISH_OUTCOMES, (outcome) => new DeferredCount(this.#finished.labels({ function: name, outcome }))),
      );
      this.#functions.set(name, metrics);
    }
    return metrics;
  }

  /**
   * Drops every series of a function that is gone (a removed revision, a reload without it), so that
   * revision churn in gateway mode does not grow the scrape without bound. What its requests still in
   * flight count from now on is not exported.
   */
  removeFunction(name: string): void {
    if (!this.#functions.delete(name)) return;
    this.#queueWait.remove(name);
    this.#serviceTime.remove(name);
    this.#accepted.remove({ function: name });
    for (const statusClass of STATUS_CLASSES) this.#responses.remove({ function: name, class: statusClass });
    for (const outcome of FINISH_OUTCOMES) this.#finished.remove({ function: name, outcome });
    for (const reason of REFUSAL_REASONS) this.#rejections.remove({ function: name, reason });
    for (const phase of DISCONNECT_PHASES) this.#disconnects.remove({ function: name, phase });
    this.#resends.remove({ function: name });
  }

  refused(functionName: string, reason: RefusalReason, status: number): void {
    this.#rejections.inc({ function: functionName, reason });
    this.forFunction(functionName).responded(status);
  }

  disconnected(functionName: string, phase: (typeof DISCONNECT_PHASES)[number]): void {
    this.#disconnects.inc({ function: functionName, phase });
  }

  /** Rare (a race per kept-alive connection at most), so counted straight into prom-client. */
  resent(functionName: string): void {
    this.#resends.inc({ function: functionName });
  }

  hint(hint: HintName, outcome: HintOutcome): void {
    this.#hints[hint][outcome].inc();
  }

  /** A refusal on the connection, before any function was known (it counts in no function's series). */
  connectionRefused(reason: string): void {
    this.#connectionRefusals.inc({ reason });
  }

  configReloaded(result: 'ok' | 'invalid'): void {
    this.#reloads.inc({ result });
  }
}
