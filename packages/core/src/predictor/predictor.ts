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
  /** Request classes learnt per function at most; the least recently used (ClassTable) goes first. Default 256. */
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

/** What the predictor holds for one function. */
class KnownFunction {
  readonly estimate = new DurationEstimate();
  /** The request-level model, made at the function's first call with features. */
  model: FunctionModel | undefined = undefined;
}

/**
 * Online duration prediction per function, and, for calls that carry their request's features,
 * per request within a function (FunctionModel): the function's estimate is what every request
 * class backs off to while it is young. A function with no samples uses its prior.
 */
export class Predictor {
  /** One entry per function: a call is predicted and learnt from with one lookup. */
  readonly #functions = new Map<string, KnownFunction>();
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
    if (maxClasses !== this.#maxClasses) for (const known of this.#functions.values()) known.model?.setMaxClasses(maxClasses);
    this.#maxClasses = maxClasses;
  }

  /** Sets (or with undefined, clears) the configured expectation for a function never seen. */
  setPrior(functionName: string, expectedMs: number | undefined): void {
    if (expectedMs === undefined) this.#priors.delete(functionName);
    else this.#priors.set(functionName, expectedMs);
  }

  /** The function's estimate: what a call without request features is predicted to take. */
  predict(functionName: string): number {
    return this.#estimateOf(functionName, this.#functions.get(functionName));
  }

  /** Predicts one call from its request's features; keep the result to pass to `observe`. */
  predictRequest(functionName: string, features: RequestFeatures): RequestPrediction {
    const known = this.#knownFunction(functionName);
    const model = (known.model ??= new FunctionModel(this.#maxClasses, this.#predictionPool, known.estimate));
    return model.predict(features, this.#estimateOf(functionName, known));
  }

  /**
   * Learns an observed duration, and scores the prediction that was made for it; with the call's
   * request prediction, its request classes learn and its candidates are scored too (and the
   * function is the prediction's: no lookup).
   */
  observe(functionName: string, predictedMs: number, observedMs: number, request?: RequestPrediction): void {
    const estimate = request === undefined ? this.#knownFunction(functionName).estimate : request.model.estimate;
    estimate.score(predictedMs, observedMs);
    estimate.observe(observedMs, this.#ewmaWeight);
    request?.model.learn(request, observedMs);
  }

  stats(functionName: string): PredictionStats | undefined {
    const estimate = this.#functions.get(functionName)?.estimate;
    return estimate !== undefined && estimate.samples > 0 ? estimate : undefined;
  }

  /** What the function's request-level predictor has learnt; undefined before a call with features. */
  requestStats(functionName: string, topClasses = SNAPSHOT_CLASSES): RequestModelStats | undefined {
    return this.#functions.get(functionName)?.model?.stats(topClasses);
  }

  forget(functionName: string): void {
    this.#priors.delete(functionName);
    this.#functions.delete(functionName);
  }

  #estimateOf(functionName: string, known: KnownFunction | undefined): number {
    if (known !== undefined && known.estimate.samples > 0) return this.#pick(known.estimate);
    return this.#priors.get(functionName) ?? this.#priorMs;
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

  #knownFunction(functionName: string): KnownFunction {
    let known = this.#functions.get(functionName);
    if (known === undefined) {
      known = new KnownFunction();
      this.#functions.set(functionName, known);
    }
    return known;
  }
}
