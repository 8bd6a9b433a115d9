import { CANDIDATE_COUNT } from './candidate-choice.js';
import type { DurationEstimate } from './duration-estimate.js';
import type { RequestClass } from './request-class.js';

/** The model that made a prediction, and learns from the duration observed for it (a FunctionModel). */
export interface PredictionLearner {
  /** The estimate of the model's function, which every one of its calls teaches as well. */
  readonly estimate: DurationEstimate;
  learn(prediction: RequestPrediction, observedMs: number): void;
}

/** Levels of refinement (function, route, event, variant), each with a power-law and a linear size fit. */
const SIZE_FIT_ESTIMATES = 8;

/**
 * What the predictor said about one call before it ran, kept by the scheduler's ticket so that the
 * call can be scored and learnt from when it completes, without looking anything up again.
 *
 * Learnt from once: then its model may hand the same object to a later call (PredictionPool), so
 * that a prediction held for as long as its call waits costs no allocation and no garbage. A holder
 * reads it until it has passed it to `observe`, not after.
 */
export class RequestPrediction {
  /**
   * What every candidate predicted, in log ms, indexed like CANDIDATES; then each level's power-law
   * and linear size fits, on which its class judges them.
   */
  readonly estimates: number[] = Array.from({ length: CANDIDATE_COUNT + SIZE_FIT_ESTIMATES }, () => 0);
  /** The candidate that predicted this call. */
  candidate = 0;
  predictedMs = 0;
  /** Body bytes, NaN when unknown. */
  size = 0;
  /** ln(1 + size). */
  logSize = 0;
  /** Set once it has been learnt from: a second `learn` of it changes nothing. */
  learnt = false;

  constructor(
    public model: PredictionLearner,
    public route: RequestClass,
    /** The route's class refined by the CloudEvent type; the route's own when the call has none. */
    public event: RequestClass,
    /** The event's class refined by the query's shape and the operator's features; the event's when it has neither. */
    public variant: RequestClass,
  ) {}
}
