import { LEVEL_SAMPLES } from './container-verdict.js';
import { TOP_LEVEL, type LevelStats } from './level-stats.js';

/** Long calls a level needs before its slowdown counts here: a mean of long calls is noisier than the order test. */
export const LONG_LEVEL_SAMPLES = 2 * LEVEL_SAMPLES;

/**
 * Does the slowdown rise from `level - 1` to `level` by more than half of what one more sharer costs?
 * False while either level has too few calls to tell.
 */
export function risesAt(longLevels: LevelStats, level: number): boolean {
  if (longLevels.samples(level) < LONG_LEVEL_SAMPLES || longLevels.samples(level - 1) < LONG_LEVEL_SAMPLES) return false;
  const below = longLevels.slowdown(level - 1);
  return below > 0 && longLevels.slowdown(level) / below >= 1 + 1 / (2 * (level + 1));
}

/**
 * How many long calls a shared CPU runs before they slow each other down: its cores, read from long
 * calls alone (one class of work, so the prediction scales them alike) by how many long calls were
 * running when each started. On c cores, up to c long calls each keep a core; the (c+1)-th makes
 * all of them share, a step of about 1/(c+1) in their slowdown, and so does every one after it. The
 * first level that rises by more than half such a step, and the level after it too (one steep step
 * can be noise; two in a row are sharing), is the first budget, read from calls that ran without one.
 * Infinity while no such knee shows: no budget then. Once a budget is in force only the levels
 * below it are visited, so a knee is looked for there alone (`upTo`), and the budget is otherwise
 * moved one step at a time on fresh calls.
 *
 * Why the budget is the core count (a simulated 90% 5 ms / 10% 250 ms mix at load 0.8, mean latency
 * against no limit; bench/RESULTS.md): 1 core: budget 1 −41%, 2 −32%; 2 cores: 1 collapses, 2 −31%,
 * 3 −24%, 4 −19%; 4 cores: 2 collapses, 3 +53%, 4 −19%, 6 −12%, 8 −8%. One above is nearly as good,
 * one below can be ruinous: the long calls no longer keep up.
 */
export function readLongWorkBudget(longLevels: LevelStats, upTo = TOP_LEVEL): number {
  if (longLevels.samples(0) < LONG_LEVEL_SAMPLES) return Infinity;
  for (let level = 1; level < upTo; level++) {
    if (longLevels.samples(level) < LONG_LEVEL_SAMPLES || longLevels.samples(level + 1) < LONG_LEVEL_SAMPLES) return Infinity;
    if (risesAt(longLevels, level) && risesAt(longLevels, level + 1)) return level;
  }
  return Infinity;
}
