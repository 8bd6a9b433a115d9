/** What ArrivalOrder reads and writes on a waiting call: its own links, so holding it allocates nothing. */
export interface ArrivalLinked {
  readonly arrivalMs: number;
  /** Enqueue order: the list's order. */
  readonly seq: number;
  arrivalPrev: this | undefined;
  arrivalNext: this | undefined;
  /** When its wait cap passed; Infinity while it has not. */
  cappedAtMs: number;
}

/**
 * The waiting calls of one tier of a pool in arrival order, of which the oldest ones are capped: a
 * call is capped once the tier's cap delay in force covers it (its arrival is at or before now − cap
 * delay), and that delay is the same for every call of the tier at any moment, so the capped calls
 * are always a prefix of this list. The capped share takes them from the head; capping walks a pointer to the
 * first uncapped call forward, so each call is capped once, in O(1), and every operation is O(1)
 * except `restore` (a retried call walks in from the head).
 */
export class ArrivalOrder<Q extends ArrivalLinked> {
  #head: Q | undefined = undefined;
  #tail: Q | undefined = undefined;
  /** The oldest call not capped yet; undefined when every call held is capped. */
  #firstUncapped: Q | undefined = undefined;
  /** Calls that arrived by this time are capped. */
  #cappedThroughMs = -Infinity;

  /** The oldest waiting call, if it is capped. */
  get oldestCapped(): Q | undefined {
    return this.#head === this.#firstUncapped ? undefined : this.#head;
  }

  /** A new call, the latest to arrive. A call that comes already capped (a queue rebuilt) stays so only behind capped ones. */
  add(item: Q): void {
    item.arrivalPrev = this.#tail;
    item.arrivalNext = undefined;
    if (this.#tail === undefined) this.#head = item;
    else this.#tail.arrivalNext = item;
    this.#tail = item;
    if (this.#firstUncapped !== undefined) item.cappedAtMs = Infinity;
    else if (item.cappedAtMs === Infinity) this.#firstUncapped = item;
  }

  /**
   * A call that left and comes back (a retry, or a move from another pool): it takes its place by
   * arrival; if the cap in force covers it and it was not capped before, it is capped at `cappedAtMs`.
   */
  restore(item: Q, cappedAtMs: number): void {
    let after: Q | undefined = undefined;
    for (let at = this.#head; at !== undefined && at.seq < item.seq; at = at.arrivalNext) after = at;
    const before = after === undefined ? this.#head : after.arrivalNext;
    item.arrivalPrev = after;
    item.arrivalNext = before;
    if (after === undefined) this.#head = item;
    else after.arrivalNext = item;
    if (before === undefined) this.#tail = item;
    else before.arrivalPrev = item;
    const inCappedPrefix = this.#firstUncapped === undefined || item.seq < this.#firstUncapped.seq;
    if (inCappedPrefix && item.arrivalMs <= this.#cappedThroughMs) {
      if (item.cappedAtMs === Infinity) item.cappedAtMs = cappedAtMs;
      return;
    }
    item.cappedAtMs = Infinity;
    if (inCappedPrefix) this.#firstUncapped = item;
  }

  remove(item: Q): void {
    if (item === this.#firstUncapped) this.#firstUncapped = item.arrivalNext;
    if (item.arrivalPrev === undefined) this.#head = item.arrivalNext;
    else item.arrivalPrev.arrivalNext = item.arrivalNext;
    if (item.arrivalNext === undefined) this.#tail = item.arrivalPrev;
    else item.arrivalNext.arrivalPrev = item.arrivalPrev;
    item.arrivalPrev = undefined;
    item.arrivalNext = undefined;
  }

  /**
   * Caps every call that arrived by `throughMs` (the cap in force never moves back). A call whose
   * cap passed since `sinceMs`, when the cap delay `capDelayMs` came into force, was capped when
   * its wait reached that delay; one it already exceeded then was capped at `sinceMs`.
   */
  capThrough(throughMs: number, capDelayMs: number, sinceMs: number): void {
    if (throughMs < this.#cappedThroughMs) return;
    this.#cappedThroughMs = throughMs;
    let item = this.#firstUncapped;
    while (item !== undefined && item.arrivalMs <= throughMs) {
      item.cappedAtMs = Math.max(sinceMs, item.arrivalMs + capDelayMs);
      item = item.arrivalNext;
    }
    this.#firstUncapped = item;
  }

  /** Takes over another list's cap in force (a queue rebuilt under a new policy). */
  adoptCapsFrom(other: ArrivalOrder<Q>): void {
    this.#cappedThroughMs = other.#cappedThroughMs;
  }
}
