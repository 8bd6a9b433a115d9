import type { LimitSample } from './limit-watch.js';

/** What the controller of one live round learnt and when, read from the samples of /debug/queue. */
export interface ControllerLearning {
  /** When it first named the backend's kind (ms after due time 0), and after how many completions. */
  readonly learntAtMs: number | undefined;
  readonly learntAfterCompleted: number | undefined;
  /** Its state when the warm-up ended and when the run ended. */
  readonly atWarmupEnd: LimitSample | undefined;
  readonly atEnd: LimitSample | undefined;
  /** With a capacity change: its state just before, and how long after the change the limit first stood at or below the new capacity. */
  readonly beforeChange: LimitSample | undefined;
  readonly followedAfterMs: number | undefined;
}

export interface CapacityChangeAt {
  readonly atMs: number;
  readonly capacity: number;
}

const lastAtOrBefore = (samples: readonly LimitSample[], atMs: number): LimitSample | undefined => samples.findLast((sample) => sample.atMs <= atMs);

/**
 * Reads the samples of one round. What follows a change is the limit on a sequential backend and the
 * long-work budget on a shared one (there is no limit to follow there), as the simulator reads it.
 */
export function readLearning(samples: readonly LimitSample[], warmupMs: number, change: CapacityChangeAt | undefined): ControllerLearning {
  const learnt = samples.find((sample) => sample.kind !== 'unknown');
  let beforeChange: LimitSample | undefined;
  let followedAfterMs: number | undefined;
  if (change !== undefined) {
    beforeChange = lastAtOrBefore(samples, change.atMs);
    const followed = (sample: LimitSample): number => (sample.kind === 'shared' ? sample.longBudget : sample.limit);
    const first = samples.find((sample) => sample.atMs >= change.atMs && followed(sample) > 0 && followed(sample) <= change.capacity);
    followedAfterMs = first === undefined ? undefined : first.atMs - change.atMs;
  }
  return {
    learntAtMs: learnt?.atMs,
    learntAfterCompleted: learnt?.completed,
    atWarmupEnd: lastAtOrBefore(samples, warmupMs),
    atEnd: samples.at(-1),
    beforeChange,
    followedAfterMs,
  };
}
