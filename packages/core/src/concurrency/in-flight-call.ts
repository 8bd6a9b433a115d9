/**
 * The fields a concurrency controller reads and writes on a call it is told of. They live on the
 * caller's own record (the scheduler's ticket), so tracking a call allocates nothing.
 */
export interface InFlightCall {
  /** What the call was predicted to take: latency is measured against it, not in absolute ms. */
  readonly predictedDurationMs: number;
  flightPrev: this | undefined;
  flightNext: this | undefined;
  /** Calls already in flight on the backend when this one started. */
  flightBefore: number;
  /** The controller counted it as long work. */
  flightLong: boolean;
  /** Long calls already in flight when this one started. */
  flightLongBefore: number;
  flightStartMs: number;
  /** The backend's long-call area (long calls × ms) when this one started: for their mean number over its life. */
  flightLongAreaAtStart: number;
}
