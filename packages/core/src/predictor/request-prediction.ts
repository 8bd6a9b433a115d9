import type { RequestClass } from './request-class.js';

/** The model that made a prediction, and learns from the duration observed for it (a FunctionModel). */
export interface PredictionLearner {
  learn(prediction: RequestPrediction, observedMs: number): void;
}

/**
 * What the predictor said about one call before it ran, kept by the scheduler's ticket so that the
 * call can be scored and learnt from when it completes, without looking anything up again.
 */
export class RequestPrediction {
  constructor(
    readonly model: PredictionLearner,
    readonly route: RequestClass,
    /** The route's class refined by the CloudEvent type; the route's own when the call has none. */
    readonly event: RequestClass,
    /** The event's class refined by the query's shape and the operator's features; the event's when it has neither. */
    readonly variant: RequestClass,
    /** Body bytes, NaN when unknown. */
    readonly size: number,
    /** ln(1 + size). */
    readonly logSize: number,
    /**
     * What every candidate predicted, in log ms, indexed like CANDIDATES; then each level's power-law
     * and linear size fits, on which its class judges them.
     */
    readonly estimates: readonly number[],
    /** The candidate that predicted this call. */
    readonly candidate: number,
    readonly predictedMs: number,
  ) {}
}
