import { nextMean } from './running-mean.js';

/**
 * The last tracked level: calls that found this many or more already in flight share it. Far enough
 * out that an I/O-bound backend's flat latency is seen as flat, small enough to scan on every decision.
 */
export const TOP_LEVEL = 63;

/** Default weight of the newest slowdown in each level's running mean: about the last 32 count (calls differ). */
const SLOWDOWN_WEIGHT = 1 / 32;
/** Weight of the newest trial: about the last 4 count (a trial's outcome hardly varies at one level). */
const TRIAL_WEIGHT = 1 / 4;

/** What a probe saved of one level, to put back if the probe found too little traffic to judge. */
export interface SavedLevel {
  readonly level: number;
  readonly samples: number;
  readonly slowdown: number;
  readonly trials: number;
  readonly overtook: number;
  readonly comparedTrials: number;
  readonly logTrialsVsIdle: number;
}


/**
 * Per in-flight level (how many calls a call found running when it started): how slow calls at that
 * level were against their prediction; and per rival level (how many *rivals*, older calls predicted
 * to end well after it, a *trial* found running), how many trials ended before all of those, and how
 * much slower trials were than the calls they are judged against (those that found the backend idle,
 * see referenceSlowdown) as those were when each trial ended. A level keeps what it learnt while no
 * call visits it (a limit below it stops the visits), so a verdict once reached stays until calls
 * there say otherwise. That is why trials keep a ratio and not their own slowdown: the idle level is
 * visited throughout, and its slowdown moves as predictions settle (held to one call, a sequential
 * backend's calls no longer carry the queue they waited in before), so a slowdown kept from before
 * could not be compared with it later.
 */
export class LevelStats {
  readonly #samples = new Float64Array(TOP_LEVEL + 1);
  /** Running mean of observed / predicted duration. */
  readonly #slowdown = new Float64Array(TOP_LEVEL + 1);
  readonly #trials = new Float64Array(TOP_LEVEL + 1);
  /** Running share of trials that overtook every rival they had found. */
  readonly #overtook = new Float64Array(TOP_LEVEL + 1);
  /** Trials that ended while calls that found the backend idle had a slowdown to compare them with... */
  readonly #comparedTrials = new Float64Array(TOP_LEVEL + 1);
  /**
   * ...and the running mean of the log of their slowdown over that one, as it was when each ended: a
   * mean of ratios would be ruled by a few trials that waited in a deep queue before a limit came in,
   * at 20 to 50 times, over dozens after it on a free worker.
   */
  readonly #logTrialsVsIdle = new Float64Array(TOP_LEVEL + 1);
  readonly #slowdownWeight: number;

  /** `slowdownWeight`: of the newest call in a level's mean slowdown. */
  constructor(slowdownWeight = SLOWDOWN_WEIGHT) {
    this.#slowdownWeight = slowdownWeight;
  }

  static levelOf(inFlightBefore: number): number {
    return inFlightBefore < TOP_LEVEL ? inFlightBefore : TOP_LEVEL;
  }

  record(level: number, slowdown: number): void {
    const samples = (this.#samples[level] as number) + 1;
    this.#samples[level] = samples;
    this.#slowdown[level] = nextMean(this.#slowdown[level] as number, samples, slowdown, this.#slowdownWeight);
  }

  /**
   * `slowdownVsIdle`: the trial's slowdown over that of calls that found the backend idle, then; NaN
   * when there was no such figure yet. A trial without a positive, finite one still counts for the
   * order test.
   */
  recordTrial(level: number, overtookAll: boolean, slowdownVsIdle: number): void {
    const trials = (this.#trials[level] as number) + 1;
    this.#trials[level] = trials;
    this.#overtook[level] = nextMean(this.#overtook[level] as number, trials, overtookAll ? 1 : 0, TRIAL_WEIGHT);
    if (!(slowdownVsIdle > 0 && Number.isFinite(slowdownVsIdle))) return;
    const compared = (this.#comparedTrials[level] as number) + 1;
    this.#comparedTrials[level] = compared;
    this.#logTrialsVsIdle[level] = nextMean(this.#logTrialsVsIdle[level] as number, compared, Math.log(slowdownVsIdle), this.#slowdownWeight);
  }

  samples(level: number): number {
    return this.#samples[level] as number;
  }

  slowdown(level: number): number {
    return this.#slowdown[level] as number;
  }

  trials(level: number): number {
    return this.#trials[level] as number;
  }

  overtook(level: number): number {
    return this.#overtook[level] as number;
  }

  comparedTrials(level: number): number {
    return this.#comparedTrials[level] as number;
  }

  /** How many times slower trials were than calls that found the backend idle at the time (a geometric mean); 0 before any was compared. */
  trialsVsIdle(level: number): number {
    return this.comparedTrials(level) === 0 ? 0 : Math.exp(this.#logTrialsVsIdle[level] as number);
  }

  /** Forgets a level, so that what is learnt next about it is fresh (a probe); returns what it held. */
  clear(level: number): SavedLevel {
    const saved = {
      level,
      samples: this.samples(level),
      slowdown: this.slowdown(level),
      trials: this.trials(level),
      overtook: this.overtook(level),
      comparedTrials: this.comparedTrials(level),
      logTrialsVsIdle: this.#logTrialsVsIdle[level] as number,
    };
    this.#samples[level] = 0;
    this.#slowdown[level] = 0;
    this.#trials[level] = 0;
    this.#overtook[level] = 0;
    this.#comparedTrials[level] = 0;
    this.#logTrialsVsIdle[level] = 0;
    return saved;
  }

  restore(saved: SavedLevel): void {
    this.#samples[saved.level] = saved.samples;
    this.#slowdown[saved.level] = saved.slowdown;
    this.#trials[saved.level] = saved.trials;
    this.#overtook[saved.level] = saved.overtook;
    this.#comparedTrials[saved.level] = saved.comparedTrials;
    this.#logTrialsVsIdle[saved.level] = saved.logTrialsVsIdle;
  }
}
