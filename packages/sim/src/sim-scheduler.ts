import { Scheduler, type FunctionOptions, type InvocationRequest, type PolicySpec, type PredictorOptions, type RequestFeatures } from '@shortline/core';
import type { Schedule } from './schedule.js';

/** Where each function's prediction starts: the predictor's default prior, or the workload's average. */
export type PriorSource = 'default' | 'trace-average';

/** What a configuration file may say about a function that changes how the simulator schedules it. */
export type FunctionSettings = Pick<FunctionOptions, 'priority' | 'deadlineMs'>;

export interface SimInvocation extends InvocationRequest {
  readonly id: number;
  readonly functionName: string;
  readonly expectedDurationMs?: number | undefined;
  readonly features?: RequestFeatures | undefined;
}

/** The one pool every simulated function shares. */
export const SIM_POOL = 'sim';

/** The core Scheduler a simulation drives: one pool, the schedule's functions, their priors. */
export function createSimScheduler(
  schedule: Schedule,
  policy: PolicySpec | string,
  options: {
    readonly prior?: PriorSource | undefined;
    readonly predictor?: PredictorOptions | undefined;
    readonly functionSettings?: ReadonlyMap<string, FunctionSettings> | undefined;
  },
): Scheduler<SimInvocation> {
  return new Scheduler<SimInvocation>({
    policy,
    predictor: options.predictor,
    pools: [{ name: SIM_POOL }],
    functions: schedule.functions.map((fn) => ({
      name: fn.name,
      pool: SIM_POOL,
      expectedDurationMs: options.prior === 'trace-average' ? fn.averageMs : undefined,
      ...options.functionSettings?.get(fn.name),
    })),
  });
}
