import type { RequestPrediction } from './request-prediction.js';

/** Predictions kept for reuse at most: what a burst leaves behind beyond that is garbage collected. */
const DEFAULT_CAPACITY = 1024;

/**
 * Predictions already learnt from, for the next calls to reuse. A prediction lives as long as its
 * call waits, long enough to outlive the young generation, so allocating one per call makes the
 * collector copy and promote it and then sweep it from the old one; a reused one stays put.
 * Shared by a predictor's functions, bounded whatever the load.
 */
export class PredictionPool {
  readonly #free: RequestPrediction[] = [];

  constructor(readonly capacity = DEFAULT_CAPACITY) {}

  /** A learnt prediction to fill in again, or undefined when none is free. */
  take(): RequestPrediction | undefined {
    return this.#free.pop();
  }

  /** Hands back a prediction that has been learnt from. */
  give(prediction: RequestPrediction): void {
    if (this.#free.length < this.capacity) this.#free.push(prediction);
  }
}
