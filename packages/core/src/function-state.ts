import type { RejectionReason } from './invocation.js';

export interface FunctionOptions {
  readonly name: string;
  /** The pool whose slots this function's invocations compete for. */
  readonly pool: string;
  /** Prediction used until the function has been observed. */
  readonly expectedDurationMs?: number | undefined;
  /** Waiting invocations of this function at most; 0 = no per-function limit. */
  readonly maxQueued?: number | undefined;
  /** Longest an invocation may wait before it expires with reason `max-queue-wait`; 0 = forever. */
  readonly maxQueueWaitMs?: number | undefined;
}

/**
 * Lifetime counts for one function. accepted = dispatched + cancelled + expired + waiting: a retried
 * invocation (sent back to the queue before it reached a backend) is dispatched once it stays started.
 */
export interface FunctionCounters {
  accepted: number;
  dispatched: number;
  /** Started, then put back in the queue because its backend refused the connection. */
  retried: number;
  completed: number;
  cancelled: number;
  expired: number;
  rejected: Record<RejectionReason, number>;
}

export function emptyCounters(): FunctionCounters {
  return {
    accepted: 0,
    dispatched: 0,
    retried: 0,
    completed: 0,
    cancelled: 0,
    expired: 0,
    rejected: { 'unknown-function': 0, 'function-queue-full': 0, 'queue-full': 0 },
  };
}

export class FunctionState {
  waiting = 0;
  inFlight = 0;
  readonly counters: FunctionCounters = emptyCounters();

  constructor(
    readonly name: string,
    public pool: string,
    public maxQueued: number,
    public maxQueueWaitMs: number,
  ) {}
}
