/**
 * Past this many slots the virtual queue stops growing (8 bytes a slot): it then estimates FIFO on
 * this many slots, which overstates the wait in a larger pool, so caps come later, never earlier.
 */
export const MAX_VIRTUAL_SLOTS = 4096;

/**
 * What FIFO would do with a pool's calls: a FIFO queue on the pool's slots, fed with the same
 * arrivals and their predicted durations, that keeps only when each slot frees (a min-heap). A call's
 * virtual wait is exactly its wait under FIFO if the predictions are exact — a policy-independent
 * quantity, unlike the work waiting in the real queue, which a size-based policy changes (on 16 slots
 * shortest-first piles up long calls, and with them work, that FIFO would have finished already).
 * Calls that are cancelled or expire stay in it: it then overstates FIFO. O(log slots) per arrival.
 *
 * It also keeps the longest virtual wait of the recent past, each wait fading by a factor e every
 * `memoryMs`: the wait cap's reference (see WaitCap).
 */
export class VirtualFifo {
  #freeAtMs = new Float64Array(0);
  #slots = 0;
  #longestWaitMs = 0;
  #lastArrivalMs = 0;

  /**
   * A call arriving now that FIFO would run for `predictedMs`: the longest FIFO wait of the recent
   * past, its own included. Infinity while the pool has no slot at all; 0 for an unlimited pool.
   */
  arrive(now: number, predictedMs: number, slots: number, memoryMs: number): number {
    const waitMs = this.#wait(now, predictedMs, slots);
    // A pool without slots waits forever; that is no wait to remember once slots return.
    if (waitMs === Infinity) return Infinity;
    const faded = this.#longestWaitMs === 0 ? 0 : this.#longestWaitMs * Math.exp((this.#lastArrivalMs - now) / memoryMs);
    this.#lastArrivalMs = now;
    this.#longestWaitMs = Math.max(waitMs, faded);
    return this.#longestWaitMs;
  }

  #wait(now: number, predictedMs: number, slots: number): number {
    if (slots === Infinity) return 0;
    this.#resize(Math.min(slots, MAX_VIRTUAL_SLOTS));
    if (this.#slots === 0) return Infinity;
    const heap = this.#freeAtMs;
    const startMs = Math.max(now, heap[0] as number);
    heap[0] = startMs + predictedMs;
    this.#down(0);
    return startMs - now;
  }

  /** Slots added are free; slots taken away are the ones that free first, so no queued work is lost. */
  #resize(slots: number): void {
    while (this.#slots > slots) {
      this.#slots--;
      this.#freeAtMs[0] = this.#freeAtMs[this.#slots] as number;
      this.#down(0);
    }
    if (this.#slots === slots) return;
    if (this.#freeAtMs.length < slots) {
      const grown = new Float64Array(Math.min(MAX_VIRTUAL_SLOTS, Math.max(slots, 2 * this.#freeAtMs.length)));
      grown.set(this.#freeAtMs.subarray(0, this.#slots));
      this.#freeAtMs = grown;
    }
    // A free slot (-Infinity) is below everything: moving it to the root keeps the heap order.
    while (this.#slots < slots) {
      let at = this.#slots++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        this.#freeAtMs[at] = this.#freeAtMs[parent] as number;
        at = parent;
      }
      this.#freeAtMs[0] = -Infinity;
    }
  }

  #down(index: number): void {
    const heap = this.#freeAtMs;
    const size = this.#slots;
    const value = heap[index] as number;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && (heap[right] as number) < (heap[left] as number) ? right : left;
      if ((heap[child] as number) >= value) break;
      heap[index] = heap[child] as number;
      index = child;
    }
    heap[index] = value;
  }
}
