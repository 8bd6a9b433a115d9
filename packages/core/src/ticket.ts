import type { Backend } from './capacity/backend.js';
import type { Pool } from './capacity/pool.js';
import type { PoolQueued } from './fairness/pool-queue.js';
import type { Tier } from './fairness/priority.js';
import type { FlightRecord } from './concurrency/flight-record.js';
import type { FunctionState } from './function-state.js';
import type { ExpiryReason } from './invocation.js';
import type { RequestPrediction } from './predictor/request-prediction.js';

/** The scheduler's record of one accepted invocation, from enqueue until complete, cancel or expiry. */
export class Ticket<T, B> implements PoolQueued {
  prev: this | undefined = undefined;
  next: this | undefined = undefined;
  heapIndex = -1;
  bucket = -1;
  expiryIndex = -1;
  arrivalPrev: this | undefined = undefined;
  arrivalNext: this | undefined = undefined;
  cappedAtMs = Infinity;
  riskIndex = -1;
  backend: Backend<B> | undefined = undefined;
  startedAtMs = 0;
  /** It started on a slot of the capped share (it counts in its pool's cappedInFlight). */
  startedCapped = false;
  /** Of those, on the top lane (it also counts in its pool's topLaneInFlight). */
  startedOnTopLane = false;
  /** It started ahead of others, at risk of missing its deadline (it counts in its pool's atRiskInFlight). */
  startedAtRisk = false;
  queuedLong = false;
  /** Its record in the controller of the backend it started on, if that backend learns its capacity. */
  flight: FlightRecord | undefined = undefined;

  constructor(
    readonly invocation: T,
    readonly fn: FunctionState,
    public pool: Pool<Ticket<T, B>, B>,
    /** The request-level prediction, scored and learnt from at completion; undefined without features. */
    readonly request: RequestPrediction | undefined,
    /** Predicted remaining time, the rank input: predicted duration plus remaining workflow. */
    readonly predictedMs: number,
    /** Predicted duration of this call alone, scored against the observed one. */
    readonly predictedDurationMs: number,
    readonly arrivalMs: number,
    readonly seq: number,
    readonly expiresAtMs: number,
    readonly expiryReason: ExpiryReason,
    readonly tier: Tier,
    readonly atRiskAtMs: number,
    readonly latestStartMs: number,
  ) {}
}
