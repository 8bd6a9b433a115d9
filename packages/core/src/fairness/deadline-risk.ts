/**
 * A call with a deadline counts as at risk once it has waited this share of its slack (deadline −
 * predicted duration): from then on it may go ahead of its tier's other calls, least slack first.
 * Earlier would reorder calls that were going to make it anyway; later leaves too little room to
 * find a slot.
 */
export const AT_RISK_SHARE = 0.5;

/**
 * The largest share of a pool's slots (at least one) that calls at risk take ahead of the others of
 * their tier; beyond it they wait in the policy's order. Without it a function with a tight deadline
 * and most of the traffic turns its tier into earliest-deadline-first and the others wait behind it
 * (bench/RESULTS.md, "Deadlines").
 */
export const AT_RISK_SLOT_SHARE = 0.25;

/**
 * A call at risk goes ahead only of calls the policy ranks first whose prediction is at least its own
 * divided by this: jumping a much shorter call costs that call more than the deadline saves. With 2
 * the functions without a deadline lost 13% of mean latency on the Azure sample, with 1.5 9%, with 1
 * nothing but the deadlines gained nothing there either (bench/RESULTS.md, "Deadlines").
 */
export const MAX_JUMP_RATIO = 1.5;

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
