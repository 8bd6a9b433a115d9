import type { Backend, Scheduler } from '@shortline/core';
import type { BackendRegistry } from './backend-registry.js';
import type { Exchange } from './exchange.js';
import type { Upstream } from './upstream.js';

export interface QueueDriverOptions {
  readonly scheduler: Scheduler<Exchange, Upstream>;
  readonly backends: BackendRegistry;
  readonly clock: () => number;
}

/**
 * Drives the core scheduler with real time: every arrival and every completion asks it what may start
 * now, and one timer, set for the earliest queue expiry, answers the requests that waited too long.
 * The scheduler decides; this loop only carries the decisions out.
 */
export class QueueDriver {
  readonly #scheduler: Scheduler<Exchange, Upstream>;
  readonly #backends: BackendRegistry;
  readonly #clock: () => number;
  #pumping = false;
  #pumpAgain = false;
  #expiryTimer: NodeJS.Timeout | undefined = undefined;
  #expiryAtMs = Infinity;

  constructor(options: QueueDriverOptions) {
    this.#scheduler = options.scheduler;
    this.#backends = options.backends;
    this.#clock = options.clock;
  }

  /** Puts a classified exchange in its function's queue, or refuses it; it starts as soon as a slot is free. */
  admit(exchange: Exchange): void {
    const result = this.#scheduler.enqueue(exchange, this.#clock());
    if (!result.accepted) {
      exchange.refuse(result.reason);
      return;
    }
    exchange.admitted();
    this.pump();
  }

  /** Starts everything the scheduler says may start now. Re-entrant calls fold into the running one. */
  pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        const now = this.#clock();
        for (const assignment of this.#scheduler.dispatch(now)) {
          assignment.invocation.start(assignment.backend, now);
        }
      } while (this.#pumpAgain);
    } finally {
      this.#pumping = false;
    }
    this.#armExpiry();
  }

  /** A started exchange is over; its duration, when given, teaches the predictor. Frees its slot. */
  release(exchange: Exchange, observedMs: number | undefined): void {
    if (this.#scheduler.complete(exchange.id, observedMs)) this.pump();
  }

  /** The client of a waiting exchange went away. */
  cancel(exchange: Exchange): void {
    this.#scheduler.cancel(exchange.id);
  }

  /**
   * The backend refused the connection before anything was sent: eject it, free the slot without
   * learning, and queue the exchange again if another backend of the pool has a free slot now.
   * Returns false (the caller answers 502) when there is none.
   */
  retryElsewhere(exchange: Exchange, failed: Backend<Upstream>): boolean {
    this.#backends.eject(failed);
    this.#scheduler.complete(exchange.id);
    if (!this.#backends.hasFreeSlot(failed.pool)) {
      this.pump();
      return false;
    }
    const result = this.#scheduler.enqueue(exchange, this.#clock());
    if (!result.accepted) {
      this.pump();
      return false;
    }
    exchange.queued();
    this.pump();
    return true;
  }

  /** Answers every waiting exchange whose max queue wait or deadline has passed. */
  expireNow(): void {
    for (const expired of this.#scheduler.expire(this.#clock())) expired.invocation.refuse(expired.reason);
    this.#armExpiry();
  }

  close(): void {
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    this.#expiryAtMs = Infinity;
  }

  /** Keeps the one expiry timer set no later than the earliest expiry; a timer that fires early re-arms. */
  #armExpiry(): void {
    const next = this.#scheduler.nextExpiryMs();
    if (next === Infinity || next >= this.#expiryAtMs) return;
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer);
    this.#expiryAtMs = next;
    this.#expiryTimer = setTimeout(this.#onExpiryTimer, Math.max(1, Math.ceil(next - this.#clock())));
  }

  readonly #onExpiryTimer = (): void => {
    this.#expiryTimer = undefined;
    this.#expiryAtMs = Infinity;
    this.expireNow();
  };
}
