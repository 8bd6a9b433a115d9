/** The values that go into and come out of the scheduler. */

import type { RequestFeatures } from './predictor/request-features.js';

export type InvocationId = string | number;

/** What the scheduler needs to know about an invocation; callers pass their own object carrying it. */
export interface InvocationRequest {
  readonly id: InvocationId;
  readonly functionName: string;
  /** The request's features: with them the call is predicted per request, not only per function. */
  readonly features?: RequestFeatures | undefined;
  /** A trusted caller's own estimate of the duration; replaces the predictor's for this call. */
  readonly expectedDurationMs?: number | undefined;
  /** For a step of a multi-function workflow: the predicted rest of the workflow after this step. */
  readonly remainingWorkflowMs?: number | undefined;
  /** Absolute time (scheduler clock) after which waiting is pointless: the request's own timeout. */
  readonly deadlineMs?: number | undefined;
}

export type RejectionReason = 'unknown-function' | 'function-queue-full' | 'queue-full';

export interface Accepted {
  readonly accepted: true;
}

export interface Rejected {
  readonly accepted: false;
  readonly reason: RejectionReason;
  readonly functionName: string;
  /** The limit that was hit (0 for unknown-function). */
  readonly limit: number;
}

export type EnqueueResult = Accepted | Rejected;

/** Returned for every accepted invocation: acceptance carries no data, so nothing is allocated. */
export const ACCEPTED: Accepted = Object.freeze({ accepted: true });

/** Why a waiting invocation left the queue without being started. */
export type ExpiryReason = 'max-queue-wait' | 'deadline' | 'function-removed';

export interface Expired<T> {
  readonly invocation: T;
  readonly reason: ExpiryReason;
  readonly waitedMs: number;
}
