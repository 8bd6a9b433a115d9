import type { IncomingMessage, ServerResponse } from 'node:http';

/** What an observer may read about a request. */
export interface ObservedExchange {
  readonly req: IncomingMessage;
  /** Its answer: `statusCode` once the head is written (tracing, the live queue page). */
  readonly res: ServerResponse;
  readonly requestId: string;
  /** '' until classified. */
  readonly functionName: string;
  /** Clock time (ms) the request arrived. */
  readonly arrivedAtMs: number;
  /** The request class the predictor keys on within its function, if any. */
  readonly classKey: string | undefined;
  /** A trusted caller's estimate of its duration (a scheduling hint), once taken; it replaces the prediction. */
  readonly expectedDurationMs: number | undefined;
}

/**
 * Told about every request that reaches classification (after the extra layers, so probes they
 * answer are not seen): `arrived`, `classified` once its function is known (not for a request no
 * function takes), `started` when it is sent to a backend (again on a retry), then `finished`
 * exactly once when its answer is complete or its client gone. Between arrived and finished a
 * request counts as concurrency, queued or not — what Knative's autoscaler stats need.
 */
export interface ExchangeObserver {
  arrived?(exchange: ObservedExchange): void;
  classified?(exchange: ObservedExchange): void;
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

  started(exchange: ObservedExchange): void {
    for (const observer of this.observers) observer.started?.(exchange);
  }

  finished(exchange: ObservedExchange): void {
    for (const observer of this.observers) observer.finished?.(exchange);
  }
}
