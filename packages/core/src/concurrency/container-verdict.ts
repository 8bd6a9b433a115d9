import type { EndOrder } from './end-order.js';
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
/** Trials that overtook at most this often: calls queue behind their rivals here. */
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
/**
 * Trials a level's slowdown is read from, at least: fewer than its order test needs, as the slowdown
 * only has to tell calls that waited behind a long one (several times slower) from stray predictions
 * (about as slow); but not one or two, since a trial may have waited only for its rival's last
 * moments. With fewer, one sequential worker was named, then io eight calls later, then sequential.
 */
const COMPARED_TRIALS = LEVEL_SAMPLES / 2;
/** A worker count already named keeps its name while its trials are at least this much slower: half the margin of QUEUED_SLOWER. */
const KEPT_SLOWER = 1 + (QUEUED_SLOWER - 1) / 2;
/**
 * k sequential workers never let a call end while k older ones still run; a share of recent calls
 * above this that did rules them out. Not 0: two calls sent within a moment may reach the container
 * in the other order.
 */
const OUT_OF_ORDER = 0.04;

/** Could the container be `workers` sequential workers, by the order calls end in? */
function endsInOrder(endOrder: EndOrder, workers: number): boolean {
  return endOrder.shareAtLeast(workers) <= OUT_OF_ORDER;
}

/**
 * What calls at `level` are compared with: calls that found the backend idle, or without enough of
 * those, calls one level lower (not the idle level itself, though: a few calls there are mostly the
 * first of each function, predicted at the prior, and would make anything look slow); NaN when
 * neither has enough calls. Live, on an I/O-bound backend of 50 ms calls on two routes at 1,500 a
 * second, the first calls' thin idle level made trials look slow, and it was named sequential.
 */
export function referenceSlowdown(levels: LevelStats, level: number): number {
  if (levels.samples(0) >= LEVEL_SAMPLES) return levels.slowdown(0);
  return level >= 2 && levels.samples(level - 1) >= LEVEL_SAMPLES ? levels.slowdown(level - 1) : NaN;
}

/** Were calls at `level` plainly slower than calls that found the backend idle: did they wait inside? */
export function waitedAt(levels: LevelStats, level: number): boolean {
  return levels.samples(level) >= LEVEL_SAMPLES && levels.slowdown(level) >= WAITED * referenceSlowdown(levels, level);
}

/** Were the trials at rival level `level` `factor` times slower than calls that found the backend idle, when they ended? */
function trialsSlowerAt(levels: LevelStats, level: number, factor: number): boolean {
  return levels.comparedTrials(level) >= COMPARED_TRIALS && levels.trialsVsIdle(level) >= factor;
}

/**
 * Are the queued trials at `level` slow enough for it to be the worker count? To be named, they must
 * be seen to be slower; the count already named (`named`) keeps its name until as many trials as the
 * order test needs show they were hardly slower at all. Calls admitted before a limit came in still
 * end for a while after it, as trials whose rivals' predictions carried the queue they waited in:
 * such a trial queued, yet its rival had little work left, and it was hardly slower. Without the
 * margin a few of those unnamed a worker the order test still saw, and it was named again a few
 * calls later.
 */
function slowAsQueuedAt(levels: LevelStats, level: number, named: number): boolean {
  if (level !== named) return trialsSlowerAt(levels, level, QUEUED_SLOWER);
  return levels.comparedTrials(level) < LEVEL_SAMPLES || levels.trialsVsIdle(level) >= KEPT_SLOWER;
}

/**
 * Reads a backend's kind from its level statistics. The test is the order calls end in. A *trial* is a
 * call that found rivals running: older calls predicted to run on well after it would end if the two
 * ran side by side. It ends before all of them on free workers, on a shared CPU or while waiting on
 * I/O, and never when more of them hold the workers than there are workers: at level r (r rivals),
 * k sequential workers let at least r - k + 1 of them end first. The first level at which trials stop
 * overtaking (and calls there are slower than on an idle backend), right above one at which they
 * overtook, is the worker count; once a level is seen so, the count is the first level whose trials
 * overtake less than half the time (it moves down as soon as a lower level starts to queue). Either
 * count must also agree with `endOrder`: no call ends while that many older ones still run (`named`,
 * the verdict so far, only keeps a count named on fewer slow trials than would undo it). If trials
 * overtake wherever they were seen, the container runs calls side by side, and `longBudget` (Infinity
 * when long calls never slowed each other) tells a shared CPU from I/O.
 *
 * Without calls of different predicted sizes there are no trials, and the kind stays unknown: with
 * calls of one size, holding them in the scheduler could only keep their order, which the backend
 * keeps too.
 */
export function readContainerVerdict(levels: LevelStats, longBudget: number, endOrder: EndOrder, named: ContainerVerdict): ContainerVerdict {
  const namedWorkers = named.kind === 'sequential' ? named.workers : 0;
  let sawTrials = false;
  let firstSlowed = 0;
  for (let level = 1; level <= TOP_LEVEL; level++) {
    if (levels.trials(level) < LEVEL_SAMPLES) continue;
    sawTrials = true;
    const overtook = levels.overtook(level);
    // Where a knee moves down (the backend lost workers), trials stop overtaking level by level, and
    // calls there take far longer than one level lower: they wait inside.
    if (firstSlowed === 0 && overtook < RAN_AT_ONCE && trialsSlowerAt(levels, level, WAITED)) firstSlowed = level;
    if (overtook > QUEUED) continue;
    // A lower level that started to wait (and was seen to) is where the knee now is.
    if (firstSlowed > 0 && endsInOrder(endOrder, firstSlowed)) return { kind: 'sequential', workers: firstSlowed };
    // Trials that queue are also slower than calls that found the backend idle.
    const ranAtOnceBelow = level === 1 || (levels.trials(level - 1) >= LEVEL_SAMPLES && levels.overtook(level - 1) >= RAN_AT_ONCE);
    if (ranAtOnceBelow && slowAsQueuedAt(levels, level, namedWorkers) && endsInOrder(endOrder, level)) return { kind: 'sequential', workers: level };
  }
  if (!sawTrials) return { kind: 'unknown', workers: 0 };
  return { kind: longBudget === Infinity ? 'io' : 'shared', workers: 0 };
}
