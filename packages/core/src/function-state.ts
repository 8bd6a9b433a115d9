import { PRIORITIES, tierOf, type Priority, type Tier } from './fairness/priority.js';
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
  /** Its tier: a higher one goes ahead of lower ones among calls not yet capped. Default normal. */
  readonly priority?: Priority | undefined;
  /**
   * The latency objective, ms from arrival to the end of the call; 0 = none. Calls at risk of
   * missing it go ahead of their tier's others; met and missed ones are counted.
   */
  readonly deadlineMs?: number | undefined;
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
  /** Calls of a function with a deadline that completed within it (with a duration reported). */
  deadlinesMet: number;
  /** Calls that completed after the deadline, or expired in the queue. */
  deadlinesMissed: number;
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
    deadlinesMet: 0,
    deadlinesMissed: 0,
  };
}

export class FunctionState {
  waiting = 0;
  inFlight = 0;
  readonly counters: FunctionCounters = emptyCounters();
  tier: Tier = tierOf('normal');
  deadlineMs = 0;

  constructor(
    readonly name: string,
    public pool: string,
    public maxQueued: number,
    public maxQueueWaitMs: number,
  ) {}

  get priority(): Priority {
    return PRIORITIES[this.tier];
  }

  /** A call of this function ended after `latencyMs` from its arrival (Infinity: it never ran). */
  countLatency(latencyMs: number): void {
    if (this.deadlineMs === 0) return;
    if (latencyMs <= this.deadlineMs) this.counters.deadlinesMet++;
    else this.counters.deadlinesMissed++;
  }
}
