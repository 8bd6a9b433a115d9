import type { CapacitySetting, ConcurrencyState, PolicySpec, PredictorOptions } from '@shortline/core';
import type { ContainerModelSpec } from './container-model.js';
import { createContainerModel } from './create-container-model.js';
import type { Schedule } from './schedule.js';
import { createSimScheduler, SIM_POOL, type PriorSource } from './sim-scheduler.js';

/** The backend's workers or cores change to `capacity` at `atMs` (a neighbour takes half the node). */
export interface CapacityChange {
  readonly atMs: number;
  readonly capacity: number;
}

export interface ContainerRunOptions {
  readonly container: ContainerModelSpec;
  /** The backend's capacity in the scheduler: 0 = no limit (Knative's CC=0), N, or `{ auto: true }`. */
  readonly concurrency: CapacitySetting;
  readonly policy: PolicySpec;
  readonly prior?: PriorSource | undefined;
  readonly predictor?: PredictorOptions | undefined;
  readonly capacityChange?: CapacityChange | undefined;
}

/** The limit in force from `atMs` on (0 = none), and the long-work budget (0 = none). */
export interface LimitStep {
  readonly atMs: number;
  readonly limit: number;
  readonly longBudget: number;
}

/** What happened to each invocation of the schedule, indexed like it. */
export interface ContainerRun {
  /** From arrival at the proxy to the end of the call in the container. */
  readonly latencyMs: Float64Array;
  readonly finishedAtMs: Float64Array;
  /** Every change of the limit, in time order, starting with the initial one. */
  readonly limits: readonly LimitStep[];
  /** What the controller concluded at the end (auto only). */
  readonly concurrency: ConcurrencyState | undefined;
}

const BACKEND = 'container';

/**
 * Plays a schedule through the real core Scheduler in front of one modelled container, on a virtual
 * clock: enqueue at arrival, dispatch after every event, and complete each call with the time it
 * spent in the container (what the proxy measures), so the predictor and an `auto` controller learn
 * from what they would see live. With no limit every call goes straight into the container.
 */
export function runContainer(schedule: Schedule, options: ContainerRunOptions): ContainerRun {
  const scheduler = createSimScheduler(schedule, options.policy, options);
  const backend = scheduler.addBackend(SIM_POOL, { id: BACKEND, capacity: options.concurrency });
  const container = createContainerModel(options.container);
  const { arrivalMs, functionIndex, durationMs } = schedule;
  const names = schedule.functions.map((fn) => fn.name);
  const n = arrivalMs.length;
  const latencyMs = new Float64Array(n);
  const finishedAtMs = new Float64Array(n);
  const startedAtMs = new Float64Array(n);
  const limits: LimitStep[] = [];
  const noteLimit = (atMs: number): void => {
    const longBudget = backend.longBudget === Infinity ? 0 : backend.longBudget;
    const last = limits[limits.length - 1];
    if (last === undefined || last.limit !== backend.capacity || last.longBudget !== longBudget) limits.push({ atMs, limit: backend.capacity, longBudget });
  };
  noteLimit(0);
  let changeAtMs = options.capacityChange?.atMs ?? Infinity;
  let next = 0;
  while (next < n || container.running > 0 || scheduler.waiting > 0) {
    if (next === n && container.running === 0) throw new Error(`simulation: ${scheduler.waiting} invocations wait with nothing running`);
    const arrivalAt = next < n ? (arrivalMs[next] as number) : Infinity;
    const completionAt = container.nextCompletionMs;
    let now: number;
    // A completion at the same instant as an arrival goes first: the freed slot is there to be had.
    if (completionAt <= arrivalAt && completionAt <= changeAtMs) {
      now = completionAt;
      const id = container.finishNext();
      finishedAtMs[id] = now;
      latencyMs[id] = now - (arrivalMs[id] as number);
      scheduler.complete(id, now - (startedAtMs[id] as number), now);
      noteLimit(now);
    } else if (changeAtMs <= arrivalAt) {
      now = changeAtMs;
      container.setCapacity((options.capacityChange as CapacityChange).capacity, now);
      changeAtMs = Infinity;
    } else {
      now = arrivalAt;
      const id = next++;
      const result = scheduler.enqueue({ id, functionName: names[functionIndex[id] as number] as string }, now);
      if (!result.accepted) throw new Error(`simulation: invocation ${id} was rejected (${result.reason})`);
    }
    for (const assignment of scheduler.dispatch(now)) {
      const id = assignment.invocation.id;
      startedAtMs[id] = now;
      container.admit(id, durationMs[id] as number, now);
    }
  }
  return { latencyMs, finishedAtMs, limits, concurrency: backend.controller?.state() };
}
