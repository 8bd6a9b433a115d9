import type { IncomingMessage } from 'node:http';
import type { ClientResponse } from './exchange/client-response.js';

/** What an observer may read about a request. */
export interface ObservedExchange {
  readonly req: IncomingMessage;
  /** What the client is sent (its `status`: tracing and the live queue page read it). */
  readonly response: ClientResponse;
  readonly requestId: string;
  /** '' until classified. */
  readonly functionName: string;
  /** Clock time (ms) the request arrived. */
  readonly arrivedAtMs: number;
  /** A trusted caller's estimate of its duration (a scheduling hint), once taken; it replaces the prediction. */
  readonly expectedDurationMs: number | undefined;
  /** What the scheduler predicted it takes (the hint, if trusted), once it started; undefined before. */
  readonly predictedMs: number | undefined;
}

/**
 * Told about every request that reaches classification (after the extra layers, so probes they
 * answer are not seen): `arrived`, `classified` once its function is known (not for a request no
 * function takes), `queued` once its function's queue took it, `started` when it is sent to a
 * backend (again on a retry), then `finished`
 * exactly once when its answer is complete or its client gone. Between arrived and finished a
 * request counts as concurrency, queued or not — what Knative's autoscaler stats need.
 */
export interface ExchangeObserver {
  arrived?(exchange: ObservedExchange): void;
  classified?(exchange: ObservedExchange): void;
  queued?(exchange: ObservedExchange): void;
  started?(exchange: ObservedExchange): void;
  finished?(exchange: ObservedExchange): void;
}

export class Lifecycle {
  readonly observers: ExchangeObserver[] = [];

  get observed(): boolean {
    return this.observers.length > 0;
  }

  arrived(exchange: ObservedExchange): void {
    for (const observer of this.observers) observer.arrived?.(exchange);
  }

  classified(exchange: ObservedExchange): void {
    for (const observer of this.observers) observer.classified?.(exchange);
  }

  queued(exchange: ObservedExchange): void {
    for (const observer of this.observers) observer.queued?.(exchange);
  }

  started(exchange: ObservedExchange): void {
    for (const observer of this.observers) observer.started?.(exchange);
  }

  finished(exchange: ObservedExchange): void {
    for (const observer of this.observers) observer.finished?.(exchange);
  }
}
