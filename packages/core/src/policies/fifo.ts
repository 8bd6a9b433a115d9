import { IntrusiveList } from '../structures/intrusive-list.js';
import type { Queued } from '../structures/queued.js';
import type { Policy } from './policy.js';
import type { WaitingQueue } from './waiting-queue.js';

/** Arrival order: what Knative's queue-proxy and activator do today. */
class FifoQueue<Q extends Queued> implements WaitingQueue<Q> {
  readonly #list = new IntrusiveList<Q>();
  bestKey = 0;

  get size(): number {
    return this.#list.size;
  }

  add(item: Q): void {
    this.#list.push(item);
  }

  restore(item: Q): void {
    this.#list.insertBySeq(item);
  }

  remove(item: Q): void {
    this.#list.remove(item);
  }

  best(): Q | undefined {
    const head = this.#list.head;
    if (head !== undefined) this.bestKey = head.seq;
    return head;
  }

  items(): Iterable<Q> {
    return this.#list;
  }
}

export function createFifoPolicy(): Policy {
  return {
    name: 'fifo',
    parameters: {},
    waitCap: undefined,
    cappedShare: 1,
    createQueue: <Q extends Queued>() => new FifoQueue<Q>(),
  };
}
