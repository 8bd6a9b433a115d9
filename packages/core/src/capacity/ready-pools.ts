/** What a ReadyPools member carries: whether it is in the set now. */
export interface ReadyFlagged {
  ready: boolean;
}

/**
 * The pools with a waiting invocation and a free slot, in the order they became ready. Each pool
 * carries its own membership flag, so adding and removing one writes a flag and a short array and
 * never rebuilds a hash table, as a Set under this churn would (see IdIndex for what that costs).
 * Removal is linear in the number of ready pools, which is small.
 */
export class ReadyPools<P extends ReadyFlagged> {
  readonly #pools: P[] = [];

  get size(): number {
    return this.#pools.length;
  }

  /** The ready pools, for an indexed loop (no iterator allocated); do not change it while looping. */
  get members(): readonly P[] {
    return this.#pools;
  }

  add(pool: P): void {
    if (pool.ready) return;
    pool.ready = true;
    this.#pools.push(pool);
  }

  delete(pool: P): void {
    if (!pool.ready) return;
    pool.ready = false;
    this.#pools.splice(this.#pools.indexOf(pool), 1);
  }

  clear(): void {
    const pools = this.#pools;
    for (let i = 0; i < pools.length; i++) (pools[i] as P).ready = false;
    pools.length = 0;
  }
}
