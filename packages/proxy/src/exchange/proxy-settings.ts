import type { FunctionMetrics } from '../metrics/proxy-metrics.js';

/** What the request path reads from the configuration, replaced or updated in place on reload. */
export interface ProxySettings {
  retryAfterSeconds: number;
  /** From dispatch until the response head: 504 if nothing was written. 0 = off. */
  responseStartMs: number;
  /** Longest silence in the response body: 504, or the connection cut. 0 = off. */
  idleMs: number;
  /** Headers set on every upstream request, flat `[lowercase name, value, ...]`. */
  readonly upstreamHeaders: readonly string[];
}

/** A function requests can be admitted to, resolved once per configuration so a request looks it up once. */
export interface FunctionEntry {
  readonly name: string;
  readonly pool: string;
  /** Whole request, queue wait included; 0 = none. */
  readonly timeoutMs: number;
  readonly metrics: FunctionMetrics;
}
