import { FUNCTION_DEFAULTS, type FunctionConfig, type PoolConfig, type ShortlineConfig, type TracingConfig } from '@shortline/proxy';
import type { KnativeEnv } from './knative-env.js';

/** The sidecar's one pool: the user container beside it. */
export const USER_CONTAINER_POOL = 'user-container';

/** Knative's breaker admits this many waiting requests per unit of containerConcurrency. */
export const QUEUE_DEPTH_PER_SLOT = 10;

/** Knative's queue-proxy keeps serving until this long passes without a request once draining starts. */
export const KNATIVE_QUIET_PERIOD_MS = 30_000;

/** The queue-proxy's fixed side ports (Knative does not make them configurable either). */
export const SIDECAR_PORTS = { admin: 8022, autoscalerStats: 9090, userMetrics: 9091 } as const;

const ALL_INTERFACES = '0.0.0.0';

/**
 * Overlays the env contract on a configuration read from file (or the defaults): what Knative sets
 * wins (ports, the backend, its concurrency, the timeouts); what Knative knows nothing about stays
 * (policy, predictor, request classes, limits, and `sidecar.concurrency`: whether the container's
 * concurrency is learnt under CONTAINER_CONCURRENCY or is exactly it). Request classes become functions of the single
 * user-container pool, no longer allowed than the revision timeout; a catch-all function serves
 * whatever matches none, because a queue-proxy must serve every request. A drain quiet period of 0
 * (the file default) becomes Knative's 30 s. Knative's tracing, in a protocol Shortline speaks,
 * replaces the configuration's, named after the Knative Service as its queue-proxy names its spans.
 */
export function applyKnativeEnv(config: ShortlineConfig, env: KnativeEnv): ShortlineConfig {
  const cc = env.containerConcurrency;
  const requestMs = env.revisionTimeoutSeconds * 1000;
  const pool: PoolConfig = {
    name: USER_CONTAINER_POOL,
    backends: [`http://127.0.0.1:${env.userPort}`],
    concurrency: cc,
    // sidecar.concurrency auto (the default): learn what the container turns into throughput, never
    // above CONTAINER_CONCURRENCY when it is set; fixed: exactly Knative's limit (0 = none).
    autoConcurrency: config.sidecar.concurrency === 'auto' ? { min: undefined, max: cc > 0 ? cc : undefined } : undefined,
    loadBalancing: 'first-available',
  };
  const functions: FunctionConfig[] = config.functions.map((fn) => ({
    ...fn,
    pool: USER_CONTAINER_POOL,
    // A class that inherited the file's request timeout inherits the revision's instead.
    timeoutMs: fn.timeoutMs > 0 && fn.timeoutMs !== config.timeouts.requestMs ? Math.min(fn.timeoutMs, requestMs) : requestMs,
  }));
  let defaultFunction = config.defaultFunction;
  if (defaultFunction === undefined || !functions.some((fn) => fn.name === defaultFunction)) {
    defaultFunction = functions.some((fn) => fn.name === env.revision) ? `${env.revision}-default` : env.revision;
    functions.push({
      name: defaultFunction,
      match: {},
      pool: USER_CONTAINER_POOL,
      expectedDurationMs: undefined,
      ...FUNCTION_DEFAULTS,
      timeoutMs: requestMs,
    });
  }
  return {
    ...config,
    mode: 'sidecar',
    listen: { host: ALL_INTERFACES, port: env.servingPort },
    admin: { host: ALL_INTERFACES, port: SIDECAR_PORTS.userMetrics },
    scheduler: { ...config.scheduler, maxQueued: cc > 0 ? QUEUE_DEPTH_PER_SLOT * cc : 0 },
    drain: {
      quietPeriodMs: config.drain.quietPeriodMs > 0 ? config.drain.quietPeriodMs : KNATIVE_QUIET_PERIOD_MS,
      // The kubelet gives the pod the revision timeout to finish (terminationGracePeriodSeconds).
      timeoutMs: Math.max(config.drain.timeoutMs, requestMs),
    },
    timeouts: {
      requestMs,
      responseStartMs: env.responseStartTimeoutSeconds * 1000,
      idleMs: env.idleTimeoutSeconds * 1000,
    },
    tracing: knativeTracing(config.tracing, env),
    pools: [pool],
    functions,
    defaultFunction,
  };
}

function knativeTracing(configured: TracingConfig, env: KnativeEnv): TracingConfig {
  const knative = env.tracing;
  if (knative === undefined || knative.protocol === 'unsupported' || knative.endpoint === '') return configured;
  return {
    protocol: knative.protocol,
    endpoint: knative.endpoint,
    samplingRate: knative.samplingRate,
    serviceName: env.service || env.configuration || env.revision,
  };
}
