import { Counter, Histogram, type Registry } from 'prom-client';
import type { RefusalReason } from '../http-errors.js';

/** Seconds; from sub-millisecond queue waits to Knative's default 300 s request timeout. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

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
  readonly accepted: Incrementer;
  readonly #responses: Incrementer[];

  constructor(queueWait: Observer, serviceTime: Observer, accepted: Incrementer, responses: Incrementer[]) {
    this.queueWait = queueWait;
    this.serviceTime = serviceTime;
    this.accepted = accepted;
    this.#responses = responses;
  }

  responded(status: number): void {
    this.#responses[Math.min(4, Math.max(0, Math.floor(status / 100) - 1))]?.inc();
  }
}

/** The counters and histograms the request path updates; gauges are read at scrape time elsewhere. */
export class ProxyMetrics {
  readonly #queueWait: Histogram<'function'>;
  readonly #serviceTime: Histogram<'function'>;
  readonly #accepted: Counter<'function'>;
  readonly #responses: Counter<'function' | 'class'>;
  readonly #rejections: Counter<'function' | 'reason'>;
  readonly #disconnects: Counter<'function' | 'phase'>;
  readonly #reloads: Counter<'result'>;
  readonly #functions = new Map<string, FunctionMetrics>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.#queueWait = new Histogram({
      name: 'shortline_queue_wait_seconds',
      help: 'Time from arrival until the request was sent to a backend.',
      labelNames: ['function'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#serviceTime = new Histogram({
      name: 'shortline_service_time_seconds',
      help: 'Time from sending the request to the end of the backend response (what the predictor learns).',
      labelNames: ['function'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#accepted = new Counter({
      name: 'shortline_requests_accepted_total',
      help: 'Requests accepted into a queue.',
      labelNames: ['function'],
      registers,
    });
    this.#responses = new Counter({
      name: 'shortline_responses_total',
      help: 'Responses by status class, the backend answers and the proxy refusals together.',
      labelNames: ['function', 'class'],
      registers,
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
        this.#queueWait.labels(labels),
        this.#serviceTime.labels(labels),
        this.#accepted.labels(labels),
        STATUS_CLASSES.map((statusClass) => this.#responses.labels({ function: name, class: statusClass })),
      );
      this.#functions.set(name, metrics);
    }
    return metrics;
  }

  refused(functionName: string, reason: RefusalReason, status: number): void {
    this.#rejections.inc({ function: functionName, reason });
    this.forFunction(functionName).responded(status);
  }

  disconnected(functionName: string, phase: 'queued' | 'in-flight'): void {
    this.#disconnects.inc({ function: functionName, phase });
  }

  configReloaded(result: 'ok' | 'invalid'): void {
    this.#reloads.inc({ result });
  }
}
