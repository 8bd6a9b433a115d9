import type { FunctionMetrics } from './metrics/proxy-metrics.js';

/** What the request path reads from the configuration, replaced or updated in place on reload. */
export interface ProxySettings {
  retryAfterSeconds: number;
  /** 0 = off. Enforced by undici as its headers timeout. */
  responseStartMs: number;
  /** 0 = off. Enforced by undici as its body timeout. */
  idleMs: number;
  /** Set once drain starts: responses ask clients to close their connections. */
  draining: boolean;
  /** Headers set on every upstream request, flat `[lowercase name, value, ...]`. */
  readonly upstreamHeaders: readonly string[];
}

/** Per function, resolved once per configuration so a request looks it up once. */
export interface FunctionRuntime {
  readonly name: string;
  readonly pool: string;
  /** Whole request, queue wait included; 0 = none. */
  readonly timeoutMs: number;
  readonly metrics: FunctionMetrics;
}
