import { InvalidOptionError } from '../errors.js';
import { DurationEstimate } from './duration-estimate.js';
import { FunctionModel } from './function-model.js';
import { PredictionPool } from './prediction-pool.js';
import type { RequestFeatures } from './request-features.js';
import type { RequestModelStats } from './request-model-stats.js';
import type { RequestPrediction } from './request-prediction.js';

export type PredictionEstimate = 'ewma' | 'p50' | 'p90';

export interface PredictorOptions {
  /** Prediction for a function never seen and without a configured expectation. Default 1000 ms. */
  priorMs?: number;
  /** EWMA weight of the newest observation. Default 0.05. */
  ewmaWeight?: number;
  /** Which estimate to predict with once a function has samples. Default `ewma` (a mean). */
  estimate?: PredictionEstimate;
  /** Request classes learnt per function at most; the least recently used goes first. Default 256. */
  maxClasses?: number;
}

export interface PredictionStats {
  readonly samples: number;
  readonly ewmaMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly mape: number;
}

/** Beyond this many classes per function a limit is a typo, and the memory is no longer small. */
const MAX_CLASSES = 100_000;
/** Classes a snapshot lists per function: enough to read, bounded whatever was learnt. */
export const SNAPSHOT_CLASSES = 20;

/**
 * Online duration prediction per function, and, for calls that carry their request's features,
 * per request within a function (FunctionModel): the function's estimate is what every request
 * class backs off to while it is young. A function with no samples uses its prior.
 */
export class Predictor {
  readonly #estimates = new Map<string, DurationEstimate>();
  readonly #models = new Map<string, FunctionModel>();
  readonly #priors = new Map<string, number>();
  readonly #predictionPool = new PredictionPool();
  #priorMs: number;
  #ewmaWeight: number;
  #estimate: PredictionEstimate;
  #maxClasses: number;

  constructor(options: PredictorOptions = {}) {
    this.#priorMs = 1000;
    this.#ewmaWeight = 0.05;
    this.#estimate = 'ewma';
    this.#maxClasses = 256;
    this.configure(options);
  }

  configure(options: PredictorOptions): void {
    const priorMs = options.priorMs ?? this.#priorMs;
    const ewmaWeight = options.ewmaWeight ?? this.#ewmaWeight;
    const maxClasses = options.maxClasses ?? this.#maxClasses;
    if (!(priorMs >= 0 && Number.isFinite(priorMs))) throw new InvalidOptionError('predictor.priorMs', priorMs, 'a finite number >= 0');
    if (!(ewmaWeight > 0 && ewmaWeight <= 1)) throw new InvalidOptionError('predictor.ewmaWeight', ewmaWeight, 'in (0, 1]');
    if (!(Number.isInteger(maxClasses) && maxClasses >= 1 && maxClasses <= MAX_CLASSES)) {
      throw new InvalidOptionError('predictor.maxClasses', maxClasses, `an integer from 1 to ${MAX_CLASSES}`);
    }
    this.#priorMs = priorMs;
    this.#ewmaWeight = ewmaWeight;
    this.#estimate = options.estimate ?? this.#estimate;
    if (maxClasses !== this.#maxClasses) for (const model of this.#models.values()) model.setMaxClasses(maxClasses);
    this.#maxClasses = maxClasses;
  }

  /** Sets (or with undefined, clears) the configured expectation for a function never seen. */
  setPrior(functionName: string, expectedMs: number | undefined): void {
    if (expectedMs === undefined) this.#priors.delete(functionName);
    else this.#priors.set(functionName, expectedMs);
  }

  /** The function's estimate: what a call without request features is predicted to take. */
  predict(functionName: string): number {
    const estimate = this.#estimates.get(functionName);
    if (estimate !== undefined && estimate.samples > 0) return this.#pick(estimate);
    return this.#priors.get(functionName) ?? this.#priorMs;
  }

  /** Predicts one call from its request's features; keep the result to pass to `observe`. */
  predictRequest(functionName: string, features: RequestFeatures): RequestPrediction {
    let model = this.#models.get(functionName);
    if (model === undefined) {
      model = new FunctionModel(this.#maxClasses, this.#predictionPool);
      this.#models.set(functionName, model);
    }
    return model.predict(features, this.predict(functionName));
  }

  /**
   * Learns an observed duration, and scores the prediction that was made for it; with the call's
   * request prediction, its request classes learn and its candidates are scored too.
   */
  observe(functionName: string, predictedMs: number, observedMs: number, request?: RequestPrediction): void {
    const estimate = this.#estimateFor(functionName);
    estimate.score(predictedMs, observedMs);
    estimate.observe(observedMs, this.#ewmaWeight);
    request?.model.learn(request, observedMs);
  }

  stats(functionName: string): PredictionStats | undefined {
    return this.#estimates.get(functionName);
  }

  /** What the function's request-level predictor has learnt; undefined before a call with features. */
  requestStats(functionName: string, topClasses = SNAPSHOT_CLASSES): RequestModelStats | undefined {
    return this.#models.get(functionName)?.stats(topClasses);
  }

  forget(functionName: string): void {
    this.#priors.delete(functionName);
    this.#estimates.delete(functionName);
    this.#models.delete(functionName);
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
