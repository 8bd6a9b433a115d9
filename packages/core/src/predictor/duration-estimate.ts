import { P2Quantile } from './p2-quantile.js';

/**
 * What has been learnt about one function's (or request class's) durations: a mean that weighs recent
 * calls more, streaming p50 and p90, and how wrong the predictions made for it have been.
 */
export class DurationEstimate {
  #ewmaMs = NaN;
  #samples = 0;
  readonly #p50 = new P2Quantile(0.5);
  readonly #p90 = new P2Quantile(0.9);
  #absolutePercentageErrorSum = 0;
  #scoredPredictions = 0;

  get samples(): number {
    return this.#samples;
  }

  get ewmaMs(): number {
    return this.#ewmaMs;
  }

  get p50Ms(): number {
    return this.#p50.value;
  }

  get p90Ms(): number {
    return this.#p90.value;
  }

  /** Mean absolute percentage error of the predictions scored so far, as a fraction (0.25 = 25%). */
  get mape(): number {
    return this.#scoredPredictions === 0 ? NaN : this.#absolutePercentageErrorSum / this.#scoredPredictions;
  }

  /**
   * Learns one observed duration. Until 1/weight samples have been seen the weight is 1/n, so the EWMA
   * starts as the plain mean of what was seen rather than leaning on its first sample.
   */
  observe(observedMs: number, ewmaWeight: number): void {
    this.#samples++;
    const weight = Math.max(ewmaWeight, 1 / this.#samples);
    this.#ewmaMs = this.#samples === 1 ? observedMs : this.#ewmaMs + weight * (observedMs - this.#ewmaMs);
    this.#p50.observe(observedMs);
    this.#p90.observe(observedMs);
  }

  /** Scores a prediction against the duration it predicted; durations under 1 ms count as 1 ms. */
  score(predictedMs: number, observedMs: number): void {
    this.#absolutePercentageErrorSum += Math.abs(predictedMs - observedMs) / Math.max(observedMs, 1);
    this.#scoredPredictions++;
  }
}
