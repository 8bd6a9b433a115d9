import { InvalidOptionError } from '../errors.js';
import { DurationEstimate } from './duration-estimate.js';

export type PredictionEstimate = 'ewma' | 'p50' | 'p90';

export interface PredictorOptions {
  /** Prediction for a function never seen and without a configured expectation. Default 1000 ms. */
  priorMs?: number;
  /** EWMA weight of the newest observation. Default 0.05. */
  ewmaWeight?: number;
  /** Which estimate to predict with once a function has samples. Default `ewma` (a mean). */
  estimate?: PredictionEstimate;
}

export interface PredictionStats {
  readonly samples: number;
  readonly ewmaMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly mape: number;
}

/** Separates a function name from a request-class key; cannot occur in either (names are config keys). */
const CLASS_SEPARATOR = '\u0000';

/**
 * Online duration prediction per function, and optionally per request class within a function.
 * A class with no samples yet borrows its function's estimate; a function with none uses its prior.
 */
export class Predictor {
  readonly #estimates = new Map<string, DurationEstimate>();
  readonly #priors = new Map<string, number>();
  #priorMs: number;
  #ewmaWeight: number;
  #estimate: PredictionEstimate;

  constructor(options: PredictorOptions = {}) {
    this.#priorMs = 1000;
    this.#ewmaWeight = 0.05;
    this.#estimate = 'ewma';
    this.configure(options);
  }

  configure(options: PredictorOptions): void {
    const priorMs = options.priorMs ?? this.#priorMs;
    const ewmaWeight = options.ewmaWeight ?? this.#ewmaWeight;
    if (!(priorMs >= 0 && Number.isFinite(priorMs))) throw new InvalidOptionError('predictor.priorMs', priorMs, 'a finite number >= 0');
    if (!(ewmaWeight > 0 && ewmaWeight <= 1)) throw new InvalidOptionError('predictor.ewmaWeight', ewmaWeight, 'in (0, 1]');
    this.#priorMs = priorMs;
    this.#ewmaWeight = ewmaWeight;
    this.#estimate = options.estimate ?? this.#estimate;
  }

  /** Sets (or with undefined, clears) the configured expectation for a function never seen. */
  setPrior(functionName: string, expectedMs: number | undefined): void {
    if (expectedMs === undefined) this.#priors.delete(functionName);
    else this.#priors.set(functionName, expectedMs);
  }

  predict(functionName: string, classKey?: string): number {
    if (classKey !== undefined) {
      const classEstimate = this.#estimates.get(functionName + CLASS_SEPARATOR + classKey);
      if (classEstimate !== undefined && classEstimate.samples > 0) return this.#pick(classEstimate);
    }
    const estimate = this.#estimates.get(functionName);
    if (estimate !== undefined && estimate.samples > 0) return this.#pick(estimate);
    return this.#priors.get(functionName) ?? this.#priorMs;
  }

  /** Learns an observed duration, and scores the prediction that was made for it. */
  observe(functionName: string, classKey: string | undefined, predictedMs: number, observedMs: number): void {
    const estimate = this.#estimateFor(functionName);
    estimate.score(predictedMs, observedMs);
    estimate.observe(observedMs, this.#ewmaWeight);
    if (classKey !== undefined) this.#estimateFor(functionName + CLASS_SEPARATOR + classKey).observe(observedMs, this.#ewmaWeight);
  }

  stats(functionName: string, classKey?: string): PredictionStats | undefined {
    return this.#estimates.get(classKey === undefined ? functionName : functionName + CLASS_SEPARATOR + classKey);
  }

  forget(functionName: string): void {
    this.#priors.delete(functionName);
    for (const key of this.#estimates.keys()) {
      if (key === functionName || key.startsWith(functionName + CLASS_SEPARATOR)) this.#estimates.delete(key);
    }
  }

  #pick(estimate: DurationEstimate): number {
    switch (this.#estimate) {
      case 'ewma':
        return estimate.ewmaMs;
      case 'p50':
        return estimate.p50Ms;
      case 'p90':
        return estimate.p90Ms;
    }
  }

  #estimateFor(key: string): DurationEstimate {
    let estimate = this.#estimates.get(key);
    if (estimate === undefined) {
      estimate = new DurationEstimate();
      this.#estimates.set(key, estimate);
    }
    return estimate;
  }
}
