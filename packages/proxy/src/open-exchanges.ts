import { IdIndex } from '@shortline/core';
import type { Exchange } from './exchange/exchange.js';
import type { RefusalReason } from './http-errors.js';

/**
 * Every exchange received and not yet over, by id: what a drain waits for and what a forced
 * shutdown refuses. Not a Set: see IdIndex for what a churned Set costs the garbage collector.
 */
export class OpenExchanges {
  readonly #open = new IdIndex<Exchange>();
  #emptied: (() => void)[] = [];

  get size(): number {
    return this.#open.size;
  }

  add(exchange: Exchange): void {
    this.#open.set(exchange.id, exchange);
  }

  delete(exchange: Exchange): void {
    if (!this.#open.delete(exchange.id) || this.#open.size > 0 || this.#emptied.length === 0) return;
    const waiting = this.#emptied;
    this.#emptied = [];
    for (const resolve of waiting) resolve();
  }

  /** Resolves once no exchange is open (at once if none is). */
  whenEmpty(): Promise<void> {
    if (this.#open.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#emptied.push(resolve));
  }

  /** Gives up on every open exchange (forced shutdown): each is refused with `reason`, its slot freed. */
  abandonAll(reason: RefusalReason): void {
    for (const exchange of [...this.#open.values()]) exchange.abandon(reason);
  }
}
