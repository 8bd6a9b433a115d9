import type { Policy } from '../policies/policy.js';
import type { WaitingQueue } from '../policies/waiting-queue.js';
import { IndexedHeap } from '../structures/indexed-heap.js';
import type { Queued } from '../structures/queued.js';
import { TIER_COUNT, type Tier } from './priority.js';
import { atRiskKey, cappedKey, tierKey } from './rank-key.js';

/** What a pool's queue reads and writes on a waiting call, beyond what a policy's queue needs. */
export interface PoolQueued extends Queued {
  readonly tier: Tier;
  /** When its wait cap passes and it goes ahead of every uncapped call; Infinity: never. */
  readonly capAtMs: number;
  /** When it counts as at risk of missing its function's deadline; Infinity: never. */
  readonly atRiskAtMs: number;
  /** The last moment it can start and still meet its deadline, by its prediction. */
  readonly latestStartMs: number;
  capIndex: number;
  riskIndex: number;
}

function heap<Q extends PoolQueued>(
  less: (a: Q, b: Q) => boolean,
  index: 'capIndex' | 'riskIndex',
): IndexedHeap<Q> {
  return new IndexedHeap<Q>(
    less,
    (item) => item[index],
    (item, at) => {
      item[index] = at;
    },
  );
}

/**
 * The waiting calls of one pool, and which should start next. Every call waits in its tier's policy
 * queue; the next call is
 *
 * - while capped calls hold less than their share of the slots (`laneOpen`): the capped call that
 *   arrived first. A call is capped once its wait cap has passed; this is the starvation bound.
 * - otherwise by tier, high before normal before low, and within a tier: the calls at risk of
 *   missing their deadline, least slack first (earliest latest start), then the policy's order.
 *   Capped calls take part here too, so that being capped never puts a call behind where it stood.
 *
 * A call at risk whose latest start has passed can no longer meet its deadline: it stops counting as
 * at risk and waits in the policy's order like any other, so it is not promoted at the others'
 * expense. Calls become capped or at risk only as time passes; each such change happens once, when
 * `best(now)` first looks after it is due: heaps of pending caps and risks make that O(log n) per
 * call over its whole stay. The capped calls and those at risk are second indices (heaps) into the
 * policy queues, not separate queues.
 */
export class PoolQueue<Q extends PoolQueued> {
  readonly #tiers: WaitingQueue<Q>[];
  readonly #atRisk: IndexedHeap<Q>[];
  readonly #capped = heap<Q>((a, b) => a.seq < b.seq, 'capIndex');
  readonly #capsDue = heap<Q>((a, b) => a.capAtMs < b.capAtMs || (a.capAtMs === b.capAtMs && a.seq < b.seq), 'capIndex');
  readonly #risksDue = heap<Q>((a, b) => a.atRiskAtMs < b.atRiskAtMs || (a.atRiskAtMs === b.atRiskAtMs && a.seq < b.seq), 'riskIndex');
  readonly #capsApply: boolean;
  #size = 0;
  /** The rank of the call the last `best` returned (see rank-key.ts); Infinity when none. */
  bestKey = Infinity;

  constructor(policy: Policy) {
    this.#tiers = Array.from({ length: TIER_COUNT }, () => policy.createQueue<Q>());
    this.#atRisk = Array.from({ length: TIER_COUNT }, () =>
      heap<Q>((a, b) => a.latestStartMs < b.latestStartMs || (a.latestStartMs === b.latestStartMs && a.seq < b.seq), 'riskIndex'),
    );
    this.#capsApply = policy.waitCap !== undefined;
  }

  get size(): number {
    return this.#size;
  }

  /** A new call: it arrived after every call held. */
  add(item: Q): void {
    (this.#tiers[item.tier] as WaitingQueue<Q>).add(item);
    this.#track(item);
  }

  /** A call that left and comes back (a retry): it takes its place by arrival again. */
  restore(item: Q): void {
    (this.#tiers[item.tier] as WaitingQueue<Q>).restore(item);
    this.#track(item);
  }

  #track(item: Q): void {
    this.#size++;
    if (this.#capsApply && item.capAtMs !== Infinity) this.#capsDue.push(item);
    if (item.atRiskAtMs !== Infinity) this.#risksDue.push(item);
  }

  remove(item: Q): void {
    this.#size--;
    (this.#tiers[item.tier] as WaitingQueue<Q>).remove(item);
    if (!this.#capsDue.remove(item)) this.#capped.remove(item);
    if (!this.#risksDue.remove(item)) (this.#atRisk[item.tier] as IndexedHeap<Q>).remove(item);
  }

  /**
   * The call to start next, without removing it; `bestKey` is left at its rank, a capped key
   * (isCappedKey) when it is the capped call taking a slot of the capped share.
   */
  best(now: number, laneOpen: boolean): Q | undefined {
    this.#advance(now);
    if (laneOpen) {
      const capped = this.#capped.peek();
      if (capped !== undefined) {
        this.bestKey = cappedKey(capped.arrivalMs);
        return capped;
      }
    }
    for (let t = 0; t < TIER_COUNT; t++) {
      const tier = t as Tier;
      const atRisk = this.#atRisk[tier] as IndexedHeap<Q>;
      let risky = atRisk.peek();
      while (risky !== undefined && risky.latestStartMs < now) {
        atRisk.pop();
        risky = atRisk.peek();
      }
      if (risky !== undefined) {
        this.bestKey = atRiskKey(tier, risky.latestStartMs);
        return risky;
      }
      const queue = this.#tiers[tier] as WaitingQueue<Q>;
      if (queue.size > 0) {
        const best = queue.best(now);
        this.bestKey = tierKey(tier, queue.bestKey);
        return best;
      }
    }
    this.bestKey = Infinity;
    return undefined;
  }

  /** Caps and risks that have come due since the last look. */
  #advance(now: number): void {
    let due = this.#capsDue.peek();
    while (due !== undefined && due.capAtMs <= now) {
      this.#capsDue.pop();
      this.#capped.push(due);
      due = this.#capsDue.peek();
    }
    let risky = this.#risksDue.peek();
    while (risky !== undefined && risky.atRiskAtMs <= now) {
      this.#risksDue.pop();
      if (risky.latestStartMs >= now) (this.#atRisk[risky.tier] as IndexedHeap<Q>).push(risky);
      risky = this.#risksDue.peek();
    }
  }

  /** Every waiting call, in no particular order. */
  items(): Iterable<Q> {
    return (function* (tiers) {
      for (const queue of tiers) yield* queue.items();
    })(this.#tiers);
  }
}
