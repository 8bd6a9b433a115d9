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
  readonly trialSlowdown: number;
}


/**
 * Per in-flight level (how many calls a call found running when it started): how slow calls at that
 * level were against their prediction; and per rival level (how many *rivals*, older calls predicted
 * to end well after it, a *trial* found running), how many trials ended before all of those, and how
 * slow trials were. A level keeps what it learnt while no call visits it (a limit below it stops the
 * visits), so a verdict once reached stays until calls there say otherwise.
 */
export class LevelStats {
  readonly #samples = new Float64Array(TOP_LEVEL + 1);
  /** Running mean of observed / predicted duration. */
  readonly #slowdown = new Float64Array(TOP_LEVEL + 1);
  readonly #trials = new Float64Array(TOP_LEVEL + 1);
  /** Running share of trials that overtook every rival they had found. */
  readonly #overtook = new Float64Array(TOP_LEVEL + 1);
  /** Running mean of trials' observed / predicted duration. */
  readonly #trialSlowdown = new Float64Array(TOP_LEVEL + 1);
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

  recordTrial(level: number, overtookAll: boolean, slowdown: number): void {
    const trials = (this.#trials[level] as number) + 1;
    this.#trials[level] = trials;
    this.#overtook[level] = nextMean(this.#overtook[level] as number, trials, overtookAll ? 1 : 0, TRIAL_WEIGHT);
    this.#trialSlowdown[level] = nextMean(this.#trialSlowdown[level] as number, trials, slowdown, this.#slowdownWeight);
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

  trialSlowdown(level: number): number {
    return this.#trialSlowdown[level] as number;
  }

  /** Forgets a level, so that what is learnt next about it is fresh (a probe); returns what it held. */
  clear(level: number): SavedLevel {
    const saved = {
      level,
      samples: this.samples(level),
      slowdown: this.slowdown(level),
      trials: this.trials(level),
      overtook: this.overtook(level),
      trialSlowdown: this.trialSlowdown(level),
    };
    this.#samples[level] = 0;
    this.#slowdown[level] = 0;
    this.#trials[level] = 0;
    this.#overtook[level] = 0;
    this.#trialSlowdown[level] = 0;
    return saved;
  }

  restore(saved: SavedLevel): void {
    this.#samples[saved.level] = saved.samples;
    this.#slowdown[saved.level] = saved.slowdown;
    this.#trials[saved.level] = saved.trials;
    this.#overtook[saved.level] = saved.overtook;
    this.#trialSlowdown[saved.level] = saved.trialSlowdown;
  }
}
