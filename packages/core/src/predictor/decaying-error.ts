/** Calls an error average mostly reflects: recent enough to follow a change, long enough to be steady. */
const ERROR_MEMORY = 32;

/**
 * How wrong recent predictions were: mean absolute log error (|ln predicted − ln observed|; 0.1 is
 * about 10% off either way) and mean absolute percentage error, both exponentially weighted over
 * about ERROR_MEMORY calls (a plain mean before that).
 */
export class DecayingError {
  scored = 0;
  male = NaN;
  mape = NaN;

  /** Both in log-milliseconds; durations under 1 ms count as 1 ms (the caller clamps). */
  score(predictedLogMs: number, observedLogMs: number): void {
    this.scoreRatio(predictedLogMs - observedLogMs, Math.exp(predictedLogMs - observedLogMs));
  }

  /**
   * `score` given the log ratio of predicted to observed and the ratio itself, for a caller that
   * has the ratio already (an exponential saved per call).
   */
  scoreRatio(logRatio: number, ratio: number): void {
    this.scored++;
    const weight = this.scored < ERROR_MEMORY ? 1 / this.scored : 1 / ERROR_MEMORY;
    const logError = Math.abs(logRatio);
    const percentageError = Math.abs(ratio - 1);
    this.male = this.scored === 1 ? logError : this.male + weight * (logError - this.male);
    this.mape = this.scored === 1 ? percentageError : this.mape + weight * (percentageError - this.mape);
  }
}
