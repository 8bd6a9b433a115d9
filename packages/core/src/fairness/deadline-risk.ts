/**
 * A call with a deadline counts as at risk once it has waited this share of its slack (deadline −
 * predicted duration): from then on it goes ahead of its tier's other calls, least slack first.
 * Earlier would reorder calls that were going to make it anyway; later leaves too little room to
 * find a slot (bench/RESULTS.md, "Deadlines").
 */
export const AT_RISK_SHARE = 0.5;

/** The last moment a call can start and still meet its function's deadline (0: none), by its prediction. */
export function latestStartMs(arrivalMs: number, deadlineMs: number, predictedDurationMs: number): number {
  return deadlineMs === 0 ? Infinity : arrivalMs + deadlineMs - predictedDurationMs;
}

/**
 * When a call becomes at risk of missing its deadline. A call whose prediction alone exceeds the
 * deadline never is: promoting it would cost the others and save nothing.
 */
export function atRiskAtMs(arrivalMs: number, deadlineMs: number, predictedDurationMs: number): number {
  const slackMs = deadlineMs - predictedDurationMs;
  return deadlineMs === 0 || slackMs < 0 ? Infinity : arrivalMs + AT_RISK_SHARE * slackMs;
}
