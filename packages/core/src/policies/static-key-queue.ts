import { IndexedHeap } from '../structures/indexed-heap.js';
import type { Queued } from '../structures/queued.js';
import type { WaitingQueue } from './waiting-queue.js';

/**
 * A queue for policies whose order never changes while invocations wait: each invocation gets a
 * time-invariant key at enqueue, lowest first, ties in enqueue order. One heap, O(log n) per operation.
 */
export class StaticKeyQueue<Q extends Queued> implements WaitingQueue<Q> {
  readonly #heap: IndexedHeap<Q>;
  bestKey = 0;
  readonly #keyOf: (item: Q) => number;

  constructor(keyOf: (item: Q) => number) {
    this.#keyOf = keyOf;
    this.#heap = new IndexedHeap<Q>(
      (a, b) => {
        const ka = keyOf(a);
        const kb = keyOf(b);
        return ka < kb || (ka === kb && a.seq < b.seq);
      },
      (item) => item.heapIndex,
      (item, index) => {
        item.heapIndex = index;
      },
    );
  }

  get size(): number {
    return this.#heap.size;
  }

  add(item: Q): void {
    this.#heap.push(item);
  }

  /** Keys break ties by `seq`, so a returning item finds its place like a new one. */
  restore(item: Q): void {
    this.#heap.push(item);
  }

  remove(item: Q): void {
    this.#heap.remove(item);
  }

  best(): Q | undefined {
    const top = this.#heap.peek();
    if (top !== undefined) this.bestKey = this.#keyOf(top);
    return top;
  }

  items(): Iterable<Q> {
    return this.#heap;
  }
}
