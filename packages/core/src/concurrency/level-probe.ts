import { LEVEL_SAMPLES, waitedAt } from './container-verdict.js';
import type { LevelStats, SavedLevel } from './level-stats.js';

/** A limit that was reached is widened by one to look at the level beyond it this often (calls)... */
const PROBE_EVERY = 256;
/**
 * ...and, while probes keep finding nothing there, twice as long after each, up to this: a container
 * that holds its capacity pays for one probe in thousands of calls, and one that gained capacity is
 * still seen to within a few minutes at tens of calls a second.
 */
const PROBE_EVERY_AT_MOST = 16 * PROBE_EVERY;
/** A probe gives up (too little traffic to fill the extra slot) after this many calls. */
const PROBE_TIMEOUT = 512;

/**
 * Now and then, a learnt limit is opened by one so that calls run at the level just beyond it again:
 * what that level said when it was last visited (queued, or sharing) may no longer be true once the
 * backend gained capacity, and a limit never lets a call there otherwise. The level is cleared, so the
 * verdict after the probe rests on fresh calls; a probe that finds too little traffic puts back what
 * the level held. Probes happen only while the limit is reached, and the controller backs them off
 * geometrically while they find nothing beyond a limit (`backOff`, `rearm`), so they cost little: a
 * few calls that may wait inside the backend, every few hundred calls at first and every few
 * thousand once the limit has held.
 */
export class LevelProbe {
  #saved: SavedLevel | undefined = undefined;
  #levels: LevelStats | undefined = undefined;
  #byTrials = false;
  #needed = LEVEL_SAMPLES;
  #startedAt = 0;
  #every = PROBE_EVERY;
  #nextAt = PROBE_EVERY;
  #reached = false;
  #judged = -1;

  get active(): boolean {
    return this.#saved !== undefined;
  }

  /** Calls between one probe and the next, now. */
  get every(): number {
    return this.#every;
  }

  /** The limit being probed was reached: calls were ready to use one more slot. */
  noteReached(): void {
    this.#reached = true;
  }

  /**
   * Starts probing `level` of `levels` if one is due; `count` is calls seen so far. The level is
   * judged once it has `needed` trials (`byTrials`, the order test) or calls (their slowdown).
   */
  maybeStart(levels: LevelStats, level: number, count: number, byTrials: boolean, needed: number): boolean {
    if (!this.#reached || count < this.#nextAt) return false;
    this.#saved = levels.clear(level);
    this.#levels = levels;
    this.#byTrials = byTrials;
    this.#needed = needed;
    this.#startedAt = count;
    this.#nextAt = count + this.#every;
    this.#reached = false;
    return true;
  }

  /** The probe that just ended found nothing beyond the limit: the next one waits twice as long. */
  backOff(): void {
    this.#every = Math.min(PROBE_EVERY_AT_MOST, 2 * this.#every);
    this.#nextAt = this.#startedAt + this.#every;
  }

  /**
   * What the limit stands on changed, `count` calls in (a probe found more, or the limit came down):
   * probes are back to their first pace.
   */
  rearm(count: number): void {
    this.#every = PROBE_EVERY;
    this.#nextAt = Math.min(this.#nextAt, count + PROBE_EVERY);
  }

  /** The level the last probe judged on fresh calls, once (-1 if none since the last call). */
  takeJudged(): number {
    const judged = this.#judged;
    this.#judged = -1;
    return judged;
  }

  /** While active: is the probe over (judged, or given up) once `count` calls have been seen? */
  isOverAt(count: number): boolean {
    return this.#judgement() !== 'open' || count - this.#startedAt >= PROBE_TIMEOUT;
  }

  /**
   * Ends the probe. A level judged on enough fresh calls keeps them; one whose calls plainly waited
   * inside the backend, or that too few calls reached in time, gets back what it held (queued, then).
   */
  end(): void {
    const saved = this.#saved;
    const levels = this.#levels;
    if (saved === undefined || levels === undefined) return;
    const judged = this.#judgement() === 'judged';
    if (!judged) levels.restore(saved);
    this.#judged = judged ? saved.level : -1;
    this.#saved = undefined;
    this.#levels = undefined;
  }

  #judgement(): 'judged' | 'waited' | 'open' {
    const saved = this.#saved as SavedLevel;
    const levels = this.#levels as LevelStats;
    const level = saved.level;
    if ((this.#byTrials ? levels.trials(level) : levels.samples(level)) >= this.#needed) return 'judged';
    // Calls at the probed level that plainly waited inside the backend: the level is still queued,
    // and the probe need not wait for trials, which are rarer.
    return this.#byTrials && waitedAt(levels, level) ? 'waited' : 'open';
  }
}
