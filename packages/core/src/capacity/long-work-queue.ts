import type { WaitingQueue } from '../policies/waiting-queue.js';
import type { Queued } from '../structures/queued.js';

/** What a LongWorkQueue reads and writes on the invocations it holds. */
export interface WorkSized extends Queued {
  /** The call's own predicted duration (without any remaining workflow): its work in the container. */
  readonly predictedDurationMs: number;
  /** Held in the long part of its pool's queue. */
  queuedLong: boolean;
}

/**
 * A pool's waiting invocations split by predicted work, both parts in the policy's order: while the
 * pool's backends have no room for another long call, `best` looks at the short part alone, so short
 * calls keep going straight in behind held long ones instead of waiting for them (what pays off on a
 * backend that shares its CPU). With room, the better of the two parts' bests goes first, as in one
 * queue. Whether a call is long is fixed when it is queued.
 */
export class LongWorkQueue<Q extends WorkSized> implements WaitingQueue<Q> {
  /** Calls predicted to take at least this long go to the long part; Infinity: none does. */
  longFromMs = Infinity;
  /** May a long call start now? The pool sets it before asking for the best. */
  longRoom = true;
  bestKey = Infinity;
  readonly #short: WaitingQueue<Q>;
  readonly #long: WaitingQueue<Q>;

  /** `short` may already hold items: they stay short. */
  constructor(short: WaitingQueue<Q>, long: WaitingQueue<Q>) {
    this.#short = short;
    this.#long = long;
    for (const item of short.items()) item.queuedLong = false;
  }

  get size(): number {
    return this.#short.size + this.#long.size;
  }

  add(item: Q): void {
    this.#partFor(item).add(item);
  }

  restore(item: Q): void {
    this.#partFor(item).restore(item);
  }

  remove(item: Q): void {
    (item.queuedLong ? this.#long : this.#short).remove(item);
  }

  best(now: number): Q | undefined {
    const short = this.#short.size > 0 ? this.#short.best(now) : undefined;
    const shortKey = short === undefined ? Infinity : this.#short.bestKey;
    const long = this.longRoom && this.#long.size > 0 ? this.#long.best(now) : undefined;
    const longKey = long === undefined ? Infinity : this.#long.bestKey;
    if (long !== undefined && (short === undefined || longKey < shortKey || (longKey === shortKey && long.seq < short.seq))) {
      this.bestKey = longKey;
      return long;
    }
    this.bestKey = shortKey;
    return short;
  }

  *items(): Iterable<Q> {
    yield* this.#short.items();
    yield* this.#long.items();
  }

  #partFor(item: Q): WaitingQueue<Q> {
    item.queuedLong = item.predictedDurationMs >= this.longFromMs;
    return item.queuedLong ? this.#long : this.#short;
  }
}
