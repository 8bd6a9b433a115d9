// How wrong recent predictions were: mean absolute log error (|ln predicted − ln observed|; 0.1 is
// about 10% off either way) and mean absolute percentage error, both exponentially weighted over
// about ERROR_MEMORY calls (a plain mean before that). The numbers sit from an offset in a state
// array of doubles, so that a fit keeps the error of its predictions in its own block (duration-fit.ts).

/** Calls an error average mostly reflects: recent enough to follow a change, long enough to be steady. */
const ERROR_MEMORY = 32;

// Where each number sits from the error's offset.
const SCORED = 0;
const MALE = 1;
const MAPE = 2;
/** How many numbers an error takes in a state array. */
export const ERROR_STATISTICS = 3;

/** The value of each of an error's numbers before anything is scored. */
export function unscoredError(index: number): number {
  return index === SCORED ? 0 : NaN;
}

/**
 * Scores one prediction into the error at `at` of `s`, given the log ratio of predicted to observed
 * and the ratio itself (a caller that has the ratio saves an exponential): both averages weigh
 * every call alike until ERROR_MEMORY have been scored, then fade.
 */
export function scoreError(s: number[], at: number, logRatio: number, ratio: number): void {
  const scored = (s[at + SCORED] as number) + 1;
  s[at + SCORED] = scored;
  const weight = scored < ERROR_MEMORY ? 1 / scored : 1 / ERROR_MEMORY;
  const logError = Math.abs(logRatio);
  const percentageError = Math.abs(ratio - 1);
  const male = s[at + MALE] as number;
  const mape = s[at + MAPE] as number;
  s[at + MALE] = scored === 1 ? logError : male + weight * (logError - male);
  s[at + MAPE] = scored === 1 ? percentageError : mape + weight * (percentageError - mape);
}

/** The mean absolute log error at `at` of `s` (NaN before any call was scored). */
export function maleOf(s: readonly number[], at: number): number {
  return s[at + MALE] as number;
}

/** The mean absolute percentage error at `at` of `s`, as a fraction (NaN before any call was scored). */
export function mapeOf(s: readonly number[], at: number): number {
  return s[at + MAPE] as number;
}
