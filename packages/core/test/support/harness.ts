import { Scheduler, type InvocationRequest, type PolicySpec, type SchedulerOptions } from '@shortline/core';

export interface Call extends InvocationRequest {
  readonly id: number;
}

/**
 * A scheduler with one pool (`p`) of one backend (`b`) of the given capacity, and functions named in
 * `functions` with the given expected durations: the smallest setup in which a policy shows its order.
 */
export function singlePool(
  policy: PolicySpec | string,
  capacity: number,
  functions: Record<string, number>,
  options: Omit<SchedulerOptions, 'policy' | 'pools' | 'functions'> = {},
): Scheduler<Call> {
  const scheduler = new Scheduler<Call>({
    ...options,
    policy,
    pools: [{ name: 'p' }],
    functions: Object.entries(functions).map(([name, expectedDurationMs]) => ({ name, pool: 'p', expectedDurationMs })),
  });
  scheduler.addBackend('p', { id: 'b', capacity });
  return scheduler;
}

let nextId = 0;

export function call(functionName: string, extra: Partial<Omit<Call, 'id' | 'functionName'>> = {}): Call {
  return { id: nextId++, functionName, ...extra };
}

/** Ids of what dispatch(now) starts, in order. */
export function startedIds(scheduler: Scheduler<Call>, now: number): number[] {
  return scheduler.dispatch(now).map((a) => a.invocation.id);
}
