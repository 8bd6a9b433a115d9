import type { LoadBalancing, PolicyName, PredictionEstimate, Priority } from '@shortline/core';

/**
 * The validated configuration, as `config/shortline.yaml` and the `config-shortline` ConfigMap give it
 * (same schema). Every field is resolved: defaults are filled in by the loader, so the proxy never
 * has to guess. Times are milliseconds; 0 means "off" or "unlimited" where noted.
 */
export interface ShortlineConfig {
  /** standalone: static pools from this file; sidecar: a Knative queue-proxy; gateway: activator-style. */
  readonly mode: 'standalone' | 'sidecar' | 'gateway';
  readonly listen: ListenAddress;
  readonly admin: ListenAddress;
  readonly scheduler: SchedulerConfig;
  readonly predictor: PredictorConfig;
  readonly timeouts: TimeoutsConfig;
  readonly drain: DrainConfig;
  readonly limits: LimitsConfig;
  readonly connections: ConnectionsConfig;
  readonly trust: TrustConfig;
  readonly logging: LoggingConfig;
  readonly metrics: MetricsConfig;
  readonly tracing: TracingConfig;
  readonly sidecar: SidecarConfig;
  readonly pools: readonly PoolConfig[];
  readonly functions: readonly FunctionConfig[];
  /** Where requests that match no function go; undefined: they get 404. */
  readonly defaultFunction: string | undefined;
}

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface SchedulerConfig {
  readonly policy: PolicyName;
  /** Waiting requests over all functions at most; beyond it 503 with Retry-After. 0 = unlimited. */
  readonly maxQueued: number;
  /** In-flight requests over all pools at most. 0 = unlimited. */
  readonly maxInFlight: number;
  /** aging-srtf: how fast a waiting request's claim grows with its slowdown so far. */
  readonly agingFactor: number;
  /** aging-srtf: a request is capped once it waited fifoFactor × the recent longest FIFO wait. */
  readonly fifoFactor: number;
  /** aging-srtf: a FIFO wait counts e times less in that reference every fifoMemoryMs. */
  readonly fifoMemoryMs: number;
  /** aging-srtf: a request waiting this long is capped whatever FIFO would have done (a backstop). */
  readonly maxWaitMs: number;
  /** aging-srtf: the most of a pool's slots that capped requests take ahead of the others, in (0, 1]. */
  readonly cappedShare: number;
  /** linear-aging: rank lost per ms waited. */
  readonly agingRate: number;
}

export interface PredictorConfig {
  readonly priorMs: number;
  /** Weight of the newest observed duration in the running mean (EWMA), in (0, 1]. */
  readonly ewmaWeight: number;
  readonly estimate: PredictionEstimate;
  /**
   * Predict each request from what it shows before it runs (method, route template, query shape,
   * body size, CloudEvent type), learnt per function. Off: only the operator's `features` are.
   */
  readonly requestFeatures: boolean;
  /** Request classes learnt per function at most; the least recently used goes first. */
  readonly maxClasses: number;
  /** Headers or query parameters whose values the operator adds as request features, in this order. */
  readonly features: readonly PredictorFeature[];
}

/** One operator-chosen feature: a request header's value, or a query parameter's. */
export interface PredictorFeature {
  readonly source: 'header' | 'query';
  /** Header names in lower case; query parameter names as sent. */
  readonly name: string;
}

export interface TimeoutsConfig {
  /** Whole request, queue wait included (Knative's revision timeout): 504. */
  readonly requestMs: number;
  /** From dispatch until the backend's response headers: 504 if nothing was written. 0 = off. */
  readonly responseStartMs: number;
  /** Longest time without a byte from the backend once the response started: connection ended. 0 = off. */
  readonly idleMs: number;
}

export interface DrainConfig {
  /** After SIGTERM, how long queued and in-flight requests may take before the process exits anyway. */
  readonly timeoutMs: number;
  /** Keep accepting requests until this long passes with none arriving (Knative sidecar semantics). */
  readonly quietPeriodMs: number;
}

export interface LimitsConfig {
  /** Largest structured-mode CloudEvent body read to classify a request; larger ones get 413. */
  readonly maxCloudEventBytes: number;
  /** Seconds a client is told to wait in Retry-After when the queue is full. */
  readonly retryAfterSeconds: number;
}

/**
 * What the data listener allows a client before the request is even classified: the size and the
 * pace of what it sends. A reload applies it (the head size limit to connections opened after it).
 */
export interface ConnectionsConfig {
  /** Largest request head (request line and headers) in bytes; a larger one gets 431. */
  readonly maxHeaderBytes: number;
  /** The whole request head must arrive within this; else 408 and the connection closes. */
  readonly headersTimeoutMs: number;
  /**
   * Once a request's body is being read (to classify it, or to send it to a backend), the longest the
   * client may send nothing: then 408 (or the connection cut if the answer had started) and the
   * backend call is stopped. A queued request's body is not being read, so waiting never counts. 0 = off.
   */
  readonly bodyIdleTimeoutMs: number;
}

/** The request headers that carry scheduling hints (lower case). */
export interface HintHeaders {
  /** The caller's own estimate of this call's duration, in ms: replaces the prediction. */
  readonly expectedDuration: string;
  /** For a step of a workflow: the predicted rest of the workflow after this step, in ms. */
  readonly workflowRemaining: string;
}

/**
 * Whose scheduling hints count. A hint changes where a request stands in the queue, so it is taken
 * only from a client whose address (the TCP peer, never a forwarded header) is in `trustedSources`;
 * from anyone else it is ignored, counted and kept from the backend. A reload applies it from the
 * next request on.
 */
export interface TrustConfig {
  /** CIDR ranges (`10.0.0.0/8`, `fd00::/8`) or single addresses; empty: nobody is trusted. */
  readonly trustedSources: readonly string[];
  readonly hintHeaders: HintHeaders;
}

export interface LoggingConfig {
  readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface MetricsConfig {
  /**
   * Node's process metrics (prom-client's defaults: CPU, memory, heap, event-loop lag, GC) on the
   * admin port. `auto`: on, except in sidecar mode, where the kubelet reports the pod's CPU and memory
   * and the event-loop lag monitor would wake an idle process a hundred times a second.
   */
  readonly process: 'auto' | 'on' | 'off';
}

/** Where a span per request goes; `none` (the default) costs the request path nothing. */
export type TracingProtocol = 'none' | 'http/protobuf' | 'zipkin';

/**
 * A span per request (queue wait and upstream time as attributes) sent to an OTLP/HTTP collector
 * (`http/protobuf`, Knative's name for it) or a Zipkin one. In sidecar mode Knative's tracing env wins.
 */
export interface TracingConfig {
  readonly protocol: TracingProtocol;
  /** The collector's URL, e.g. http://otel-collector:4318/v1/traces; '' with protocol none. */
  readonly endpoint: string;
  /** Share of traces started here that are recorded, in [0, 1]; a caller's sampled flag wins. */
  readonly samplingRate: number;
  /** `service.name` of the spans. */
  readonly serviceName: string;
}

/**
 * Sidecar mode: how the user container's concurrency follows Knative's CONTAINER_CONCURRENCY. `auto`
 * learns it (never above CONTAINER_CONCURRENCY when that is set; with 0 nothing caps it); `fixed` is
 * Knative's own behaviour: exactly CONTAINER_CONCURRENCY, 0 = unlimited.
 */
export interface SidecarConfig {
  readonly concurrency: 'auto' | 'fixed';
}

/** `concurrency: auto` (or `autoConcurrency`): learnt per backend, within optional bounds. */
export interface AutoConcurrencyConfig {
  /** Never below this; undefined: 1. */
  readonly min: number | undefined;
  /** Never above this; undefined: no ceiling. */
  readonly max: number | undefined;
}

export interface PoolConfig {
  readonly name: string;
  /** Backend base URLs, e.g. http://127.0.0.1:9101. */
  readonly backends: readonly string[];
  /**
   * Concurrent requests per backend; 0 = unlimited. With `autoConcurrency`, the ceiling it is learnt
   * under (its max, else 0): what a proxy that does not learn would use.
   */
  readonly concurrency: number;
  /** Set for `concurrency: auto`: learn the concurrency per backend within these bounds. */
  readonly autoConcurrency: AutoConcurrencyConfig | undefined;
  readonly loadBalancing: LoadBalancing;
}

/** All given conditions must hold; a rule with none matches every request. */
export interface MatchRule {
  /** Host (or K-Original-Host) without port, compared case-insensitively. */
  readonly host?: string;
  readonly pathPrefix?: string;
  readonly header?: { readonly name: string; readonly value: string };
  /** CloudEvents type: the ce-type header (binary mode) or the type attribute (structured mode). */
  readonly ceType?: string;
}

export interface FunctionConfig {
  readonly name: string;
  readonly match: MatchRule;
  readonly pool: string;
  /** Prediction until the function has been observed; undefined: predictor.priorMs. */
  readonly expectedDurationMs: number | undefined;
  /** Waiting requests of this function at most; 0 = only the global limit. */
  readonly maxQueued: number;
  /** Longest a request may wait in the queue before a 503; 0 = until its timeout. */
  readonly maxQueueWaitMs: number;
  /** Whole-request timeout for this function; overrides timeouts.requestMs. */
  readonly timeoutMs: number;
  /** Its tier: a higher one goes ahead of lower ones (within the starvation bound). */
  readonly priority: Priority;
  /** Latency objective, ms from arrival to the response's end; 0 = none. */
  readonly deadlineMs: number;
}
