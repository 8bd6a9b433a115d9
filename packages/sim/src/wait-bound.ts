import { countAtMost } from './count-at-most.js';
import type { PolicyRun } from './run-policy.js';
import type { Schedule } from './schedule.js';

/**
 * The starvation bound of docs/scheduling.md for one call X of a run: with c the moment X's wait cap
 * passed, Q and W the number and true work of the other calls waiting then, L the slots of the capped
 * share X may count on (all of it, or only the shared lane when a higher tier is configured) and D the
 * longest true duration,
 *
 *     wait ≤ capDelay + min(⌈(Q + 1) / L⌉ · D, D + W / L)
 *
 * (A call that started before its cap passed is within it anyway.)
 */
export interface WaitBound {
  /** The bound for call `i`: Infinity when it has no cap. */
  boundMs(i: number): number;
}

/** Events in time order with the running sum of the durations of the calls they concern. */
function timeline(times: Float64Array, durationMs: Float64Array): { at: Float64Array; workBefore: Float64Array } {
  const order = Array.from(times.keys()).sort((a, b) => (times[a] as number) - (times[b] as number));
  const at = new Float64Array(order.length);
  const workBefore = new Float64Array(order.length + 1);
  order.forEach((call, k) => {
    at[k] = times[call] as number;
    workBefore[k + 1] = (workBefore[k] as number) + (durationMs[call] as number);
  });
  return { at, workBefore };
}

/** The bound for every call of a run on one pool, where call i's lanes of the capped share give it `cappedSlotsOf(i)` slots. */
export function createWaitBound(schedule: Schedule, run: PolicyRun, cappedSlotsOf: (i: number) => number): WaitBound {
  const { arrivalMs, durationMs } = schedule;
  const starts = new Float64Array(arrivalMs.length);
  let longestMs = 0;
  for (let i = 0; i < arrivalMs.length; i++) {
    starts[i] = (arrivalMs[i] as number) + (run.waitMs[i] as number);
    longestMs = Math.max(longestMs, durationMs[i] as number);
  }
  const arrived = timeline(arrivalMs, durationMs);
  const started = timeline(starts, durationMs);
  return {
    boundMs(i: number): number {
      const capDelayMs = run.waitCapMs[i] as number;
      if (capDelayMs === Infinity) return Infinity;
      const cappedAt = (arrivalMs[i] as number) + capDelayMs;
      const arrivedCount = countAtMost(arrived.at, cappedAt);
      const startedCount = countAtMost(started.at, cappedAt);
      // The bound counts the other calls waiting at that moment, X itself left out if it still waits.
      const stillWaiting = (run.waitMs[i] as number) > capDelayMs ? 1 : 0;
      const others = arrivedCount - startedCount - stillWaiting;
      const work = (arrived.workBefore[arrivedCount] as number) - (started.workBefore[startedCount] as number) - stillWaiting * (durationMs[i] as number);
      const lane = cappedSlotsOf(i);
      return capDelayMs + Math.min(Math.ceil((others + 1) / lane) * longestMs, longestMs + work / lane);
    },
  };
}
