import type { Queued } from '../structures/queued.js';

/**
 * Keys below this are "capped": a starvation cap has promoted the invocation ahead of every uncapped
 * one. Capped keys are `arrivalMs + CAPPED_KEY_OFFSET`, so capped invocations leave in arrival order.
 */
export const CAPPED_KEY_OFFSET = -1e15;

/** Was this rank given by a starvation cap? (Half the offset: arrival times may be negative.) */
export function isCappedKey(key: number): boolean {
  return key < CAPPED_KEY_OFFSET / 2;
}

/**
 * The waiting invocations of one pool, ordered by a policy. `best(now)` names the invocation the policy
 * would start next without removing it, and leaves its rank in `bestKey` (lower is better) so that the
 * scheduler can compare the heads of several pools under a shared in-flight limit.
 */
export interface WaitingQueue<Q extends Queued> {
  readonly size: number;
  readonly bestKey: number;
  /** A new item: it arrived after every item held. */
  add(item: Q): void;
  /** An item that left and comes back (a retry): it takes its place by arrival again. */
  restore(item: Q): void;
  remove(item: Q): void;
  /**
   * With `uncappedOnly`, the best invocation that no starvation cap has promoted, or undefined when
   * there is none (queues of policies without caps ignore it).
   */
  best(now: number, uncappedOnly?: boolean): Q | undefined;
  /** Every held item, in no particular order. */
  items(): Iterable<Q>;
}
