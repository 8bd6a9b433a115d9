import type { Backend } from './capacity/backend.js';
import type { WorkSized } from './capacity/long-work-queue.js';
import type { Pool } from './capacity/pool.js';
import type { ConcurrencyController } from './concurrency/concurrency-controller.js';
import type { InFlightCall } from './concurrency/in-flight-call.js';
import type { FunctionState } from './function-state.js';
import type { ExpiryReason } from './invocation.js';

/** The scheduler's record of one accepted invocation, from enqueue until complete, cancel or expiry. */
export class Ticket<T, B> implements WorkSized, InFlightCall {
  prev: this | undefined = undefined;
  next: this | undefined = undefined;
  heapIndex = -1;
  bucket = -1;
  expiryIndex = -1;
  backend: Backend<B> | undefined = undefined;
  /** A starvation cap had promoted it when it started (it counts in its pool's cappedInFlight). */
  startedCapped = false;
  queuedLong = false;
  /** It started as long work (it counts in its backend's longInFlight). */
  startedLong = false;
  /** The controller told of its start, if its backend learns its capacity. */
  controller: ConcurrencyController | undefined = undefined;
  flightPrev: this | undefined = undefined;
  flightNext: this | undefined = undefined;
  flightBefore = 0;
  flightLong = false;
  flightLongBefore = 0;
  flightStartMs = 0;
  flightLongAreaAtStart = 0;

  constructor(
    readonly invocation: T,
    readonly fn: FunctionState,
    public pool: Pool<Ticket<T, B>, B>,
    readonly classKey: string | undefined,
    /** Predicted remaining time, the rank input: predicted duration plus remaining workflow. */
    readonly predictedMs: number,
    /** Predicted duration of this call alone, scored against the observed one. */
    readonly predictedDurationMs: number,
    readonly arrivalMs: number,
    readonly seq: number,
    readonly expiresAtMs: number,
    readonly expiryReason: ExpiryReason,
  ) {}
}
