import { createPolicy, type FunctionOptions, type Policy, type PolicySpec } from '@shortline/core';
import type { FunctionConfig, SchedulerConfig } from '../config/index.js';

/** The core policy the scheduler section describes, with the parameters that policy takes. */
export function policySpec(config: SchedulerConfig): PolicySpec {
  switch (config.policy) {
    case 'aging-srtf':
      return {
        name: 'aging-srtf',
        agingFactor: config.agingFactor,
        fifoFactor: config.fifoFactor,
        fifoMemoryMs: config.fifoMemoryMs,
        maxWaitMs: config.maxWaitMs,
        cappedShare: config.cappedShare,
      };
    case 'linear-aging':
      return { name: 'linear-aging', agingRate: config.agingRate };
    default:
      return { name: config.policy };
  }
}

/** Would switching to `spec` change anything? Switching re-queues every waiting request, so skip it if not. */
export function samePolicy(current: Policy, spec: PolicySpec): boolean {
  const next = createPolicy(spec);
  if (next.name !== current.name) return false;
  const keys = Object.keys(next.parameters);
  return keys.length === Object.keys(current.parameters).length && keys.every((key) => next.parameters[key] === current.parameters[key]);
}

export function functionOptions(fn: FunctionConfig): FunctionOptions {
  return {
    name: fn.name,
    pool: fn.pool,
    expectedDurationMs: fn.expectedDurationMs,
    maxQueued: fn.maxQueued,
    maxQueueWaitMs: fn.maxQueueWaitMs,
    priority: fn.priority,
    deadlineMs: fn.deadlineMs,
  };
}
