export { ManualClock, type Clock } from './clock.js';
export { Backend, isAutoCapacity, sameCapacity, type AutoCapacity, type BackendOptions, type BackendState, type CapacitySetting } from './capacity/backend.js';
export type { LoadBalancing } from './capacity/pool.js';
export {
  ConcurrencyController,
  type ConcurrencyBounds,
  type ConcurrencyControllerOptions,
  type ConcurrencyState,
} from './concurrency/concurrency-controller.js';
export { CONTAINER_KINDS, type ContainerKind } from './concurrency/container-verdict.js';
export type { FlightRecord } from './concurrency/flight-record.js';
export { InvalidOptionError, PolicyParameterError, SchedulerUsageError, UnknownPolicyError } from './errors.js';
export { sharedLaneSlots, SHARED_LANE_FRACTION } from './fairness/capped-lanes.js';
export { AT_RISK_SHARE } from './fairness/deadline-risk.js';
export { isPriority, PRIORITIES, TIER_CAP_STRETCH, type Priority } from './fairness/priority.js';
export { CAPPED_KEY_OFFSET, isCappedKey } from './fairness/rank-key.js';
export type { WaitCap } from './fairness/wait-cap.js';
export type { FunctionCounters, FunctionOptions } from './function-state.js';
export {
  ACCEPTED,
  type Accepted,
  type EnqueueResult,
  type Expired,
  type ExpiryReason,
  type InvocationId,
  type InvocationRequest,
  type Rejected,
  type RejectionReason,
} from './invocation.js';
export { AGING_SRTF_DEFAULTS, type AgingSrtfParameters } from './policies/aging-srtf.js';
export { createPolicy, type PolicySpec } from './policies/create-policy.js';
export type { LinearAgingParameters } from './policies/linear-aging.js';
export { isPolicyName, POLICY_NAMES, type Policy, type PolicyName } from './policies/policy.js';
export type { WaitingQueue } from './policies/waiting-queue.js';
export { P2Quantile } from './predictor/p2-quantile.js';
export {
  Predictor,
  SNAPSHOT_CLASSES,
  type PredictionEstimate,
  type PredictionStats,
  type PredictorOptions,
} from './predictor/predictor.js';
export { CANDIDATES, type RequestFeatureName } from './predictor/candidate-choice.js';
export type { ClassLevel } from './predictor/request-class.js';
export { contentLengthOf, queryParameter, RequestFeatures, requestFeatures, UNKNOWN_LENGTH } from './predictor/request-features.js';
export type { RequestClassStats, RequestModelStats } from './predictor/request-model-stats.js';
export type { RequestPrediction } from './predictor/request-prediction.js';
export {
  MIN_PREDICTION_MS,
  Scheduler,
  type Assignment,
  type BackendSnapshot,
  type FunctionSnapshot,
  type PoolOptions,
  type PoolSnapshot,
  type SchedulerLimits,
  type SchedulerOptions,
  type SchedulerSnapshot,
} from './scheduler.js';
export { IdIndex } from './structures/id-index.js';
export type { Queued } from './structures/queued.js';
