import type { Random, Workload } from '@shortline/sim';

export interface TwoRouteWorkloadOptions {
  /** Work of a call to the short route, ms. */
  readonly shortMs: number;
  /** Work of a call to the long route, ms. */
  readonly longMs: number;
  /** Share of calls that go to the long route, in (0, 1). */
  readonly longShare: number;
}

/** Function 0 is the short route, function 1 the long one. */
export const SHORT_ROUTE = 0;
export const LONG_ROUTE = 1;

/**
 * The mix as two functions (two routes of one service, each its own function in the proxy's
 * configuration): every call of a route does the same work, so after a few calls the predictor knows
 * each route exactly and whatever the backend does to latency is the backend's doing.
 */
export function createTwoRouteWorkload(options: TwoRouteWorkloadOptions): Workload {
  const { shortMs, longMs, longShare } = options;
  if (!(shortMs > 0 && longMs > 0 && Number.isFinite(shortMs) && Number.isFinite(longMs))) throw new RangeError(`route work must be ms > 0, got ${shortMs} and ${longMs}`);
  if (!(longShare > 0 && longShare < 1)) throw new RangeError(`longShare must be in (0, 1), got ${longShare}`);
  return {
    functions: [
      { name: 'short', averageMs: shortMs },
      { name: 'long', averageMs: longMs },
    ],
    meanDurationMs: (1 - longShare) * shortMs + longShare * longMs,
    drawFunction: (random: Random) => (random.next() < longShare ? LONG_ROUTE : SHORT_ROUTE),
    drawDuration: (fn: number) => (fn === LONG_ROUTE ? longMs : shortMs),
  };
}
