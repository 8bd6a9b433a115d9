import type { SchedulerSnapshot } from '@shortline/core';
import { Gauge, type Registry } from 'prom-client';
import { registerDeadlineCounter } from './deadline-counter.js';

export interface SchedulerGaugesOptions {
  readonly registry: Registry;
  readonly snapshot: () => SchedulerSnapshot;
  readonly upgrades: () => number;
  readonly draining: () => boolean;
}

/**
 * Gauges read from one scheduler snapshot at scrape time, and the deadline counter whose counts the
 * core keeps: the request path pays nothing for them.
 * prom-client runs every metric's collect in one synchronous pass, so a snapshot taken by the first
 * and dropped in the next microtask serves the whole scrape.
 */
export function registerSchedulerGauges(options: SchedulerGaugesOptions): void {
  let cached: SchedulerSnapshot | undefined;
  const current = (): SchedulerSnapshot => {
    if (cached === undefined) {
      cached = options.snapshot();
      queueMicrotask(() => {
        cached = undefined;
      });
    }
    return cached;
  };
  const registers = [options.registry];
  registerDeadlineCounter(options.registry, current);
  const perFunction = (name: string, help: string, value: (fn: SchedulerSnapshot['functions'][number]) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['function'],
      registers,
      collect() {
        this.reset();
        for (const fn of current().functions) {
          const v = value(fn);
          if (v !== undefined) this.set({ function: fn.name }, v);
        }
      },
    });
  };
  perFunction('shortline_queue_depth', 'Requests waiting in the queue.', (fn) => fn.waiting);
  perFunction('shortline_in_flight', 'Requests sent to a backend and not yet answered.', (fn) => fn.inFlight);
  perFunction('shortline_oldest_wait_seconds', 'How long the oldest waiting request has waited.', (fn) => fn.oldestWaitMs / 1000);
  perFunction(
    'shortline_predictor_mape',
    'Mean absolute percentage error of the duration predictions scored so far (0.1 = 10%).',
    (fn) => fn.prediction?.mape,
  );
  new Gauge({
    name: 'shortline_predicted_duration_seconds',
    help: 'Duration estimates per function: the prediction in use for a new request, and the EWMA, p50 and p90 behind it.',
    labelNames: ['function', 'estimate'],
    registers,
    collect() {
      this.reset();
      for (const fn of current().functions) {
        this.set({ function: fn.name, estimate: 'current' }, fn.predictedMs / 1000);
        const stats = fn.prediction;
        if (stats === undefined || stats.samples === 0) continue;
        this.set({ function: fn.name, estimate: 'ewma' }, stats.ewmaMs / 1000);
        this.set({ function: fn.name, estimate: 'p50' }, stats.p50Ms / 1000);
        this.set({ function: fn.name, estimate: 'p90' }, stats.p90Ms / 1000);
      }
    },
  });
  new Gauge({
    name: 'shortline_request_prediction_error',
    help:
      'How wrong the request-level predictions used for each function have been over recent calls: mean absolute log error ' +
      '(male; 0.1 ≈ 10% off either way) and mean absolute percentage error (mape, a fraction). Request classes are in /debug/queue, never labels.',
    labelNames: ['function', 'measure'],
    registers,
    collect() {
      this.reset();
      for (const fn of current().functions) {
        const requests = fn.requests;
        if (requests === undefined || requests.samples === 0) continue;
        this.set({ function: fn.name, measure: 'male' }, requests.male);
        this.set({ function: fn.name, measure: 'mape' }, requests.mape);
      }
    },
  });
  perFunction('shortline_request_classes', 'Request classes the predictor has learnt for each function (bounded by predictor.maxClasses).', (fn) => fn.requests?.classCount);
  new Gauge({
    name: 'shortline_pool_in_flight',
    help: 'Requests running on the backends of each pool.',
    labelNames: ['pool'],
    registers,
    collect() {
      this.reset();
      for (const pool of current().pools) this.set({ pool: pool.name }, pool.inFlight);
    },
  });
  new Gauge({
    name: 'shortline_pool_backends',
    help: 'Backends of each pool by state (active, draining).',
    labelNames: ['pool', 'state'],
    registers,
    collect() {
      this.reset();
      for (const pool of current().pools) {
        const byState = new Map<string, number>();
        for (const backend of pool.backends) byState.set(backend.state, (byState.get(backend.state) ?? 0) + 1);
        for (const [state, count] of byState) this.set({ pool: pool.name, state }, count);
      }
    },
  });
  new Gauge({
    name: 'shortline_backend_concurrency_limit',
    help:
      'Requests each backend may run at once (0 = no limit): the configured concurrency, or with concurrency: auto what the proxy has learnt ' +
      'the backend turns into throughput; the rest wait in the queue.',
    labelNames: ['pool', 'backend'],
    registers,
    collect() {
      this.reset();
      for (const pool of current().pools) {
        for (const backend of pool.backends) this.set({ pool: pool.name, backend: backend.id }, backend.capacity);
      }
    },
  });
  new Gauge({
    name: 'shortline_upgrades_active',
    help: 'Upgraded connections (WebSocket) being relayed; they bypass the queue and take no slot.',
    registers,
    collect() {
      this.set(options.upgrades());
    },
  });
  new Gauge({
    name: 'shortline_draining',
    help: '1 once a drain has started (readiness fails), else 0.',
    registers,
    collect() {
      this.set(options.draining() ? 1 : 0);
    },
  });
}
