import type { PolicySpec, PredictorOptions } from '@shortline/core';
import { CompletionHeap } from './completion-heap.js';
import type { Schedule } from './schedule.js';
import { createSimScheduler, SIM_POOL, type FunctionSettings, type PriorSource, type SimInvocation } from './sim-scheduler.js';

export type { FunctionSettings, PriorSource } from './sim-scheduler.js';

/** Simulator-only: shortest true duration first, the lower bound the real policies are measured against. */
export const ORACLE = 'oracle';

export type SimulatedPolicy = PolicySpec | { readonly name: typeof ORACLE };
export type SimulatedPolicyName = SimulatedPolicy['name'];

export interface RunPolicyOptions {
  /** Slots of the single pool every function shares. */
  readonly slots: number;
  /** Priority and deadline by function name; functions not in it are normal, without a deadline. */
  readonly functionSettings?: ReadonlyMap<string, FunctionSettings> | undefined;
  readonly prior?: PriorSource | undefined;
  readonly predictor?: PredictorOptions | undefined;
  /**
   * Each invocation's trusted duration hint, indexed like the schedule (NaN: none), as a caller's
   * `X-Shortline-Expected-Ms` reaches the proxy: it decides the rank; the predictor still learns.
   */
  readonly hintMs?: Float64Array | undefined;
  /** Called now and then with the number of invocations that have arrived so far. */
  readonly onProgress?: ((arrived: number) => void) | undefined;
}

/** What happened to each invocation of the schedule under one policy, indexed like the schedule. */
export interface PolicyRun {
  readonly name: SimulatedPolicyName;
  readonly parameters: Readonly<Record<string, number>>;
  readonly waitMs: Float64Array;
  /** The prediction the scheduler ranked the invocation by. */
  readonly predictedMs: Float64Array;
  /** How long it could wait before its wait cap passed (Infinity: never). */
  readonly waitCapMs: Float64Array;
}

const PROGRESS_EVERY = 1 << 16;

/**
 * Plays a schedule through the real core Scheduler on a virtual clock: one pool of `slots` slots,
 * enqueue at arrival, dispatch after every event, complete with the true duration so the predictor
 * learns as it would in production; invocations with request features are predicted per request.
 * The oracle is the core's `sept` told each true duration.
 */
export function runPolicy(schedule: Schedule, policy: SimulatedPolicy, options: RunPolicyOptions): PolicyRun {
  const oracle = policy.name === ORACLE;
  const scheduler = createSimScheduler(schedule, policy.name === ORACLE ? 'sept' : policy, options);
  scheduler.addBackend(SIM_POOL, { id: `${SIM_POOL}-slots`, capacity: options.slots });

  const { arrivalMs, functionIndex, durationMs, features } = schedule;
  const names = schedule.functions.map((fn) => fn.name);
  const hints = options.hintMs;
  const hintOf = (id: number): number | undefined => {
    const hint = hints?.[id];
    return hint === undefined || Number.isNaN(hint) ? undefined : hint;
  };
  const n = arrivalMs.length;
  const waitMs = new Float64Array(n);
  const predictedMs = new Float64Array(n);
  const waitCapMs = new Float64Array(n);
  const running = new CompletionHeap();
  let started = 0;
  let next = 0;
  while (next < n || running.size > 0) {
    const arrivalAt = next < n ? (arrivalMs[next] as number) : Infinity;
    let now: number;
    // A completion at the same instant as an arrival goes first: the freed slot is there to be had.
    if (running.nextTimeMs <= arrivalAt) {
      now = running.nextTimeMs;
      const id = running.pop();
      scheduler.complete(id, durationMs[id] as number);
    } else {
      now = arrivalAt;
      const id = next++;
      const invocation: SimInvocation = {
        id,
        functionName: names[functionIndex[id] as number] as string,
        expectedDurationMs: oracle ? (durationMs[id] as number) : hintOf(id),
        features: features?.[id],
      };
      const result = scheduler.enqueue(invocation, now);
      if (!result.accepted) throw new Error(`simulation: invocation ${id} was rejected (${result.reason})`);
      if (options.onProgress !== undefined && next % PROGRESS_EVERY === 0) options.onProgress(next);
    }
    for (const assignment of scheduler.dispatch(now)) {
      const id = assignment.invocation.id;
      waitMs[id] = assignment.waitedMs;
      predictedMs[id] = assignment.predictedMs;
      waitCapMs[id] = assignment.waitCapMs;
      running.push(now + (durationMs[id] as number), started++, id);
    }
  }
  options.onProgress?.(n);
  return { name: policy.name, parameters: oracle ? {} : scheduler.policy.parameters, waitMs, predictedMs, waitCapMs };
}
