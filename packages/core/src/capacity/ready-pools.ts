/** What a ReadyPools member carries: whether it is in the set now. */
export interface ReadyFlagged {
  ready: boolean;
}

/**
 * The pools with a waiting invocation and a free slot, in the order they became ready. Each pool
 * carries its own membership flag, so adding and removing one writes a flag and a short array and
 * never rebuilds a hash table, as a Set under this churn would (see IdIndex for what that costs).
 * Removal is linear in the number of ready pools, which is small.
 *
 * The members are the first `size` slots of an array that keeps its length: every dispatch empties
 * the set, and an emptied JavaScript array gives up its backing store, which the next `add` would
 * allocate again.
 */
export class ReadyPools<P extends ReadyFlagged> {
  readonly #slots: (P | undefined)[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /**
   * The ready pool at `index`, below `size`, for an indexed loop (no iterator allocated). While
   * looping, only `delete` of the pool just read may change the set, and only in a loop that goes
   * backwards.
   */
  at(index: number): P {
    return this.#slots[index] as P;
  }

  add(pool: P): void {
    if (pool.ready) return;
    pool.ready = true;
    this.#slots[this.#size++] = pool;
  }

  delete(pool: P): void {
    if (!pool.ready) return;
    pool.ready = false;
    const slots = this.#slots;
    const size = this.#size;
    let at = 0;
    while (at < size && slots[at] !== pool) at++;
    if (at === size) return;
    for (; at < size - 1; at++) slots[at] = slots[at + 1];
    slots[size - 1] = undefined;
    this.#size = size - 1;
  }

  clear(): void {
    const slots = this.#slots;
    for (let i = 0; i < this.#size; i++) {
      (slots[i] as P).ready = false;
      slots[i] = undefined;
    }
    this.#size = 0;
  }
}
