import { TOP_LEVEL, type LevelStats } from './level-stats.js';

/**
 * What a backend turns concurrency into: `sequential` runs calls one after another on a few workers
 * (a call's latency grows with what was admitted before it), `shared` divides its CPU among what it
 * runs (long calls slow each other down once there are more than its cores), `io` lets calls overtake
 * and never slows them; `unknown` until enough calls have been seen.
 */
export type ContainerKind = 'unknown' | 'sequential' | 'shared' | 'io';
export const CONTAINER_KINDS: readonly ContainerKind[] = ['unknown', 'sequential', 'shared', 'io'];

export interface ContainerVerdict {
  readonly kind: ContainerKind;
  /** sequential: how many calls it runs at once (the first level at which short calls queue). */
  readonly workers: number;
}

/** A level's figures count once this many calls (or trials) have been seen at it. */
export const LEVEL_SAMPLES = 12;
/** Trials that overtook at most this often: short calls queue behind long ones here. */
const QUEUED = 0.05;
/** At least this often one level lower: short calls ran at once there, as on a free worker. */
const RAN_AT_ONCE = 0.5;
/**
 * Calls at a level at least this much slower than calls that found the backend idle waited inside it.
 * Sharing a CPU costs about 2× only at twice the cores in flight, and a level is judged so only where
 * its trials stopped overtaking too; waiting behind a long call costs a short one far more.
 */
export const WAITED = 2;

/** Calls at a queued level are at least this much slower than calls that found the backend idle. */
const QUEUED_SLOWER = 1.3;

/** Were calls at `level` `factor` times slower than calls that found the backend idle (or, without those, one level lower)? */
function slowerAt(levels: LevelStats, level: number, factor: number): boolean {
  if (levels.samples(level) < LEVEL_SAMPLES) return false;
  const reference = levels.samples(0) >= LEVEL_SAMPLES ? 0 : level - 1;
  return levels.slowdown(level) >= factor * levels.slowdown(reference);
}

/** Were calls at `level` plainly slower than calls that found the backend idle: did they wait inside? */
export function waitedAt(levels: LevelStats, level: number): boolean {
  return slowerAt(levels, level, WAITED);
}

/**
 * Reads a backend's kind from its level statistics. The test is the order calls end in: a short call
 * that found only long calls running ends before all of them on a free worker, on a shared CPU or
 * while waiting on I/O, and never when it has to wait for a worker. The first level at which such
 * trials stop overtaking (and calls there are slower than on an idle backend), right above one at
 * which they overtook, is the worker count; once a level is
 * seen so, the count is the first level whose trials overtake less than half the time (it moves
 * down as soon as a lower level starts to queue). If trials overtake wherever they were seen, the
 * container runs calls side by side, and `longBudget` (Infinity when long calls never slowed each
 * other) tells a shared CPU from I/O.
 *
 * Without both short and long calls there are no trials, and the kind stays unknown: with calls of
 * one size, holding them in the scheduler could only keep their order, which the backend keeps too.
 */
export function readContainerVerdict(levels: LevelStats, longBudget: number): ContainerVerdict {
  let sawTrials = false;
  let firstSlowed = 0;
  for (let level = 1; level <= TOP_LEVEL; level++) {
    if (levels.trials(level) < LEVEL_SAMPLES) continue;
    sawTrials = true;
    const overtook = levels.overtook(level);
    // Where a knee moves down (the backend lost workers), trials stop overtaking level by level, and
    // calls there take far longer than one level lower: they wait inside.
    if (firstSlowed === 0 && overtook < RAN_AT_ONCE && waitedAt(levels, level)) firstSlowed = level;
    if (overtook > QUEUED) continue;
    // A lower level that started to wait (and was seen to) is where the knee now is.
    if (firstSlowed > 0) return { kind: 'sequential', workers: firstSlowed };
    // Calls that queue are also slower than calls that found the backend idle; calls of one size
    // that ran side by side never overtake either, but are not slower.
    const ranAtOnceBelow = level === 1 || (levels.trials(level - 1) >= LEVEL_SAMPLES && levels.overtook(level - 1) >= RAN_AT_ONCE);
    if (ranAtOnceBelow && slowerAt(levels, level, QUEUED_SLOWER)) return { kind: 'sequential', workers: level };
  }
  if (!sawTrials) return { kind: 'unknown', workers: 0 };
  return { kind: longBudget === Infinity ? 'io' : 'shared', workers: 0 };
}
