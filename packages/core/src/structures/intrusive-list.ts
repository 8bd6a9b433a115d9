import type { Queued } from './queued.js';

/** A doubly linked FIFO list threaded through the items' own `prev`/`next` fields. */
export class IntrusiveList<Q extends Queued> {
  head: Q | undefined = undefined;
  tail: Q | undefined = undefined;
  size = 0;

  push(item: Q): void {
    item.prev = this.tail;
    item.next = undefined;
    if (this.tail === undefined) this.head = item;
    else this.tail.next = item;
    this.tail = item;
    this.size++;
  }

  /**
   * Puts an item back in `seq` order (one that left and returns, such as a retried invocation). It
   * walks from the head: a returning item was near the head when it left.
   */
  insertBySeq(item: Q): void {
    let after: Q | undefined = undefined;
    for (let at = this.head; at !== undefined && at.seq < item.seq; at = at.next) after = at;
    const before = after === undefined ? this.head : after.next;
    item.prev = after;
    item.next = before;
    if (after === undefined) this.head = item;
    else after.next = item;
    if (before === undefined) this.tail = item;
    else before.prev = item;
    this.size++;
  }

  remove(item: Q): void {
    if (item.prev === undefined) this.head = item.next;
    else item.prev.next = item.next;
    if (item.next === undefined) this.tail = item.prev;
    else item.next.prev = item.prev;
    item.prev = undefined;
    item.next = undefined;
    this.size--;
  }

  *[Symbol.iterator](): IterableIterator<Q> {
    for (let item = this.head; item !== undefined; item = item.next) yield item;
  }
}
