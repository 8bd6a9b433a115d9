/** What a record goes back to once its call has ended: the controller that keeps it. */
export interface FlightKeeper {
  completed(record: FlightRecord, observedMs: number | undefined, now?: number): boolean;
  abandoned(record: FlightRecord): void;
}

/**
 * What a concurrency controller keeps about one call in flight. The controller owns these and reuses
 * them once a call has ended, so tracking calls allocates nothing in a steady state; the caller holds
 * the record from `started` until it hands it back with `completed` or `abandoned`, once.
 */
export class FlightRecord {
  /** The controller that keeps it, to hand it back to. */
  keeper: FlightKeeper | undefined = undefined;
  /** The caller's: the call counts against its backend's long-work budget. */
  heldToBudget = false;
  prev: FlightRecord | undefined = undefined;
  next: FlightRecord | undefined = undefined;
  /** What the call was predicted to take: latency is measured against it, not in absolute ms. */
  predictedDurationMs = 0;
  /** Calls already in flight on the backend when this one started. */
  before = 0;
  /** Counted as long work. */
  long = false;
  /**
   * Calls already in flight when this one started that a container running calls side by side would
   * finish after it (see FlightList.isRival): those it overtakes there, and never on a worker it waits for.
   */
  rivals = 0;
  /** Its place in the order calls started (a reused record gets a new one). */
  serial = 0;
  /** The serial of the oldest call looked at for rivals when it started: older ones are not counted at its end either. */
  rivalsFromSerial = 0;
  /** Its rivals still running when it ended (set by FlightList.olderStillRunning). */
  rivalsLeft = 0;
  startMs = 0;
  /** The backend's long-call area (long calls × ms) when this one started: for their mean number over its life. */
  longAreaAtStart = 0;
}
