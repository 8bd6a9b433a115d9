import type { InvocationRequest } from '@shortline/core';
import type { RefusalReason } from '../http-errors.js';
import type { Upstream } from './upstream.js';

/**
 * What the dispatch loop commands an invocation to do (the proxy's Exchange does it). Commands are
 * the loop's only way out: it never touches a request or a response itself.
 */
export interface Dispatchable extends InvocationRequest {
  readonly id: number;
  /** Accepted into its function's queue (`retried`: back after its backend refused the connection). */
  queued(retried: boolean): void;
  /** The scheduler gave it a slot: send it to `upstream`; it predicts the call takes `predictedMs`. */
  start(upstream: Upstream, now: number, predictedMs: number): void;
  /** Answer it with the proxy's own response for `reason`. Its slot, if it had one, is already free. */
  refuse(reason: RefusalReason): void;
}

/**
 * What an invocation tells the dispatch loop, as facts: each changes what may start, and the loop
 * starts it. `arrived` once; then exactly one of `completed` and `left`, or `unreachable` (after which
 * the loop either queues it again or refuses it), or nothing once the loop refused it.
 */
export interface DispatchEvents<T extends Dispatchable> {
  /** Classified to a known function: into its queue, or refused (queue full, unknown function). */
  arrived(invocation: T): void;
  /** Its call is over, answered or failed; `observedMs` (answers only) teaches the predictor. */
  completed(invocation: T, observedMs: number | undefined): void;
  /** Its client went away (while it waited, or while its call ran), or the proxy gave up on it. */
  left(invocation: T): void;
  /** Its backend refused the connection: nothing was sent, so another backend may take it. */
  unreachable(invocation: T): void;
}
