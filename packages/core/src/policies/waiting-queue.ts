import type { Queued } from '../structures/queued.js';

/**
 * Waiting invocations ordered by a policy (one such queue per priority tier of a pool; see PoolQueue). `best(now)` names the invocation the policy
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
  best(now: number): Q | undefined;
  /** Every held item, in no particular order. */
  items(): Iterable<Q>;
}
