import { AGING_SRTF_DEFAULTS } from '@shortline/core';
import type { LoadBalancing } from '@shortline/core';
import type { ShortlineConfig } from './shortline-config.js';

/**
 * The value of every key that a configuration leaves out. docs/configuration.md and the commented
 * `config/shortline.yaml` state the same values; a test keeps them in step.
 */
export const CONFIG_DEFAULTS = {
  mode: 'standalone',
  listen: { host: '127.0.0.1', port: 8012 },
  admin: { host: '127.0.0.1', port: 9091 },
  scheduler: {
    policy: 'aging-srtf',
    maxQueued: 10_000,
    maxInFlight: 0,
    agingFactor: AGING_SRTF_DEFAULTS.agingFactor,
    fifoFactor: AGING_SRTF_DEFAULTS.fifoFactor,
    fifoMemoryMs: AGING_SRTF_DEFAULTS.fifoMemoryMs,
    maxWaitMs: AGING_SRTF_DEFAULTS.maxWaitMs,
    cappedShare: AGING_SRTF_DEFAULTS.cappedShare,
    agingRate: 0.1,
  },
  predictor: { priorMs: 1000, ewmaWeight: 0.05, estimate: 'ewma', requestFeatures: true, maxClasses: 256, features: [] },
  timeouts: { requestMs: 300_000, responseStartMs: 0, idleMs: 0 },
  drain: { timeoutMs: 30_000, quietPeriodMs: 0 },
  limits: { maxCloudEventBytes: 1_048_576, retryAfterSeconds: 1 },
  connections: { maxHeaderBytes: 32_768, headersTimeoutMs: 60_000, bodyIdleTimeoutMs: 60_000 },
  trust: {
    trustedSources: [],
    hintHeaders: { expectedDuration: 'x-shortline-expected-ms', workflowRemaining: 'x-shortline-workflow-remaining-ms' },
  },
  logging: { level: 'info' },
  metrics: { process: 'auto' },
  tracing: { protocol: 'none', endpoint: '', samplingRate: 1, serviceName: 'shortline' },
  sidecar: { concurrency: 'auto' },
  pools: [],
  functions: [],
  defaultFunction: undefined,
} as const satisfies ShortlineConfig;

/** Defaults inside each entry of `pools:` (and of a function that gives its backends inline). */
export const POOL_DEFAULTS: { readonly concurrency: number; readonly loadBalancing: LoadBalancing } = {
  concurrency: 0,
  loadBalancing: 'least-loaded',
};

/** Defaults inside each entry of `functions:`; `timeoutMs` defaults to `timeouts.requestMs`. */
export const FUNCTION_DEFAULTS = {
  maxQueued: 0,
  maxQueueWaitMs: 0,
  priority: 'normal',
  deadlineMs: 0,
} as const;
