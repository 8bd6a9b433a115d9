import type { IncomingMessage } from 'node:http';
import type { Clock } from '@shortline/core';
import type { ConcurrencyStats } from './concurrency-stats.js';

/** The header the activator sets on requests it proxies; their concurrency is reported apart. */
export const PROXIED_BY_ACTIVATOR = 'activator';

/** What the observer reads of a request (the proxy's ObservedExchange has it). */
export interface ObservedRequest {
  readonly req: IncomingMessage;
}

/** Told when a request arrives and when it is over (answered, refused, or its client gone). */
export interface RequestObserver {
  arrived(request: ObservedRequest): void;
  finished(request: ObservedRequest): void;
}

export interface AutoscalerStatsObserverOptions {
  readonly stats: ConcurrencyStats;
  /** The clock of the stats' windows (the proxy's timers are one). */
  readonly clock: Clock;
}

function proxied(request: ObservedRequest): boolean {
  return request.req.headers['k-proxy-request'] === PROXIED_BY_ACTIVATOR;
}

/**
 * Feeds the autoscaler stats from request lifecycles: a request counts from arrival until it is
 * over, waiting in the queue included. Subscribe it after the probe layer, so probes never count.
 */
export function createAutoscalerStatsObserver(options: AutoscalerStatsObserverOptions): RequestObserver {
  const { stats, clock } = options;
  return {
    arrived: (request) => stats.arrived(clock.now(), proxied(request)),
    finished: (request) => stats.finished(clock.now(), proxied(request)),
  };
}
