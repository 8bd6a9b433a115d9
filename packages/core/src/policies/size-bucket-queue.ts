import { IntrusiveList } from '../structures/intrusive-list.js';
import type { Queued } from '../structures/queued.js';
import type { WaitingQueue } from './waiting-queue.js';

/** Ranks an invocation that has waited `waitMs`; lower goes first. */
export type TimeDependentRank = (predictedMs: number, waitMs: number) => number;

const BUCKET_COUNT = 64;

/** Bucket b holds predictions in (√2^(b-1), √2^b] ms; bucket 0 holds everything up to 1 ms. */
function bucketOf(predictedMs: number): number {
  if (!(predictedMs > 1)) return 0;
  const bucket = Math.ceil(2 * Math.log2(predictedMs));
  return bucket < BUCKET_COUNT ? bucket : BUCKET_COUNT - 1;
}

/**
 * A queue for policies whose order changes as invocations wait (HRRN, aging-SRTF). Invocations are
 * kept in arrival order within buckets of predicted size that are a factor √2 wide. Within a bucket
 * the oldest invocation has waited longest against a nearly equal prediction, so it is the only one
 * that can rank best; `best(now)` therefore ranks just the head of each non-empty bucket (at most 64).
 * The price of that shortcut: two invocations whose predictions lie within √2 of each other in one
 * bucket leave in arrival order.
 */
export class SizeBucketQueue<Q extends Queued> implements WaitingQueue<Q> {
  readonly #buckets: IntrusiveList<Q>[] = Array.from({ length: BUCKET_COUNT }, () => new IntrusiveList<Q>());
  // Non-empty buckets as a 64-bit mask split in two words, so best() visits only occupied buckets.
  #lowMask = 0;
  #highMask = 0;
  #size = 0;
  bestKey = 0;
  readonly #rank: TimeDependentRank;

  constructor(rank: TimeDependentRank) {
    this.#rank = rank;
  }

  get size(): number {
    return this.#size;
  }

  add(item: Q): void {
    this.#listFor(item).push(item);
    this.#size++;
  }

  restore(item: Q): void {
    this.#listFor(item).insertBySeq(item);
    this.#size++;
  }

  /** The item's bucket list, marked non-empty: it is about to take the item. */
  #listFor(item: Q): IntrusiveList<Q> {
    const bucket = bucketOf(item.predictedMs);
    item.bucket = bucket;
    if (bucket < 32) this.#lowMask |= 1 << bucket;
    else this.#highMask |= 1 << (bucket - 32);
    return this.#buckets[bucket] as IntrusiveList<Q>;
  }

  remove(item: Q): void {
    const bucket = item.bucket;
    const list = this.#buckets[bucket] as IntrusiveList<Q>;
    list.remove(item);
    item.bucket = -1;
    this.#size--;
    if (list.size === 0) {
      if (bucket < 32) this.#lowMask &= ~(1 << bucket);
      else this.#highMask &= ~(1 << (bucket - 32));
    }
  }

  best(now: number): Q | undefined {
    const rank = this.#rank;
    let best: Q | undefined;
    let bestKey = Infinity;
    for (let word = 0; word < 2; word++) {
      let mask = word === 0 ? this.#lowMask : this.#highMask;
      while (mask !== 0) {
        const lowest = mask & -mask;
        mask ^= lowest;
        const bucket = 31 - Math.clz32(lowest) + word * 32;
        const head = (this.#buckets[bucket] as IntrusiveList<Q>).head as Q;
        const key = rank(head.predictedMs, now - head.arrivalMs);
        if (key < bestKey || (key === bestKey && best !== undefined && head.seq < best.seq)) {
          best = head;
          bestKey = key;
        }
      }
    }
    this.bestKey = bestKey;
    return best;
  }

  *items(): Iterable<Q> {
    for (const list of this.#buckets) yield* list;
  }
}
