/**
 * The invocations running in the simulation, earliest completion first, ties broken by the order in
 * which they started (so runs are reproducible). Parallel typed arrays: pushing and popping allocate
 * nothing once the heap has grown to the pool's size.
 */
export class CompletionHeap {
  #times = new Float64Array(16);
  #seqs = new Float64Array(16);
  #ids = new Uint32Array(16);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** When the earliest running invocation completes; Infinity when none runs. */
  get nextTimeMs(): number {
    return this.#size === 0 ? Infinity : (this.#times[0] as number);
  }

  push(timeMs: number, seq: number, id: number): void {
    if (this.#size === this.#times.length) this.#grow();
    const times = this.#times;
    const seqs = this.#seqs;
    const ids = this.#ids;
    let index = this.#size++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime < timeMs || (parentTime === timeMs && (seqs[parent] as number) < seq)) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent] as number;
      ids[index] = ids[parent] as number;
      index = parent;
    }
    times[index] = timeMs;
    seqs[index] = seq;
    ids[index] = id;
  }

  /** Removes the earliest completion and returns its invocation id; call only when size > 0. */
  pop(): number {
    const times = this.#times;
    const seqs = this.#seqs;
    const ids = this.#ids;
    const top = ids[0] as number;
    const size = --this.#size;
    const time = times[size] as number;
    const seq = seqs[size] as number;
    const id = ids[size] as number;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && ((times[right] as number) < (times[child] as number) || ((times[right] as number) === (times[child] as number) && (seqs[right] as number) < (seqs[child] as number)))) {
        child = right;
      }
      const childTime = times[child] as number;
      if (time < childTime || (time === childTime && seq < (seqs[child] as number))) break;
      times[index] = childTime;
      seqs[index] = seqs[child] as number;
      ids[index] = ids[child] as number;
      index = child;
    }
    times[index] = time;
    seqs[index] = seq;
    ids[index] = id;
    return top;
  }

  #grow(): void {
    const capacity = this.#times.length * 2;
    const times = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    const ids = new Uint32Array(capacity);
    times.set(this.#times);
    seqs.set(this.#seqs);
    ids.set(this.#ids);
    this.#times = times;
    this.#seqs = seqs;
    this.#ids = ids;
  }
}
