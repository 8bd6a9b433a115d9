import type { TimerHandle, Timers } from './timers.js';

class ManualTimer implements TimerHandle {
  dueMs = 0;
  /** Order among timers due at the same time: the order they were set (or refreshed) in. */
  order = 0;
  pending = false;

  constructor(
    readonly owner: ManualTimers,
    readonly callback: (arg: never) => void,
    readonly delayMs: number,
    readonly arg: unknown,
  ) {}

  refresh(): this {
    this.owner.schedule(this);
    return this;
  }

  unref(): this {
    return this;
  }
}

/**
 * Timers that fire only when a test moves time: `advance(ms)` runs every timer that falls due on the
 * way, in due order (those set at the same time in the order they were set), each seeing `now()` at
 * its own due time, including timers that earlier callbacks set within the window.
 */
export class ManualTimers implements Timers {
  #nowMs: number;
  #order = 0;
  readonly #pending = new Set<ManualTimer>();

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  /** Timers set and not yet fired or cleared. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** When the next timer falls due; Infinity when none is pending. */
  nextDueMs(): number {
    let next = Infinity;
    for (const timer of this.#pending) if (timer.dueMs < next) next = timer.dueMs;
    return next;
  }

  setTimeout<A>(callback: (arg: A) => void, delayMs: number, arg: A): TimerHandle {
    const timer = new ManualTimer(this, callback as (arg: never) => void, Math.max(0, delayMs), arg);
    this.schedule(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = handle as ManualTimer;
    timer.pending = false;
    this.#pending.delete(timer);
  }

  /** Moves time forward by `ms`, firing what falls due on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualTimers.advance: expected ms >= 0, got ${ms}`);
    const until = this.#nowMs + ms;
    for (let next = this.#earliest(); next !== undefined && next.dueMs <= until; next = this.#earliest()) {
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.pending = false;
      this.#pending.delete(next);
      (next.callback as (arg: unknown) => void)(next.arg);
    }
    this.#nowMs = until;
  }

  /** @internal (ManualTimer.refresh): (re)starts a timer's delay from now. */
  schedule(timer: ManualTimer): void {
    timer.dueMs = this.#nowMs + timer.delayMs;
    timer.order = this.#order++;
    timer.pending = true;
    this.#pending.add(timer);
  }

  #earliest(): ManualTimer | undefined {
    let earliest: ManualTimer | undefined;
    for (const timer of this.#pending) {
      if (earliest === undefined || timer.dueMs < earliest.dueMs || (timer.dueMs === earliest.dueMs && timer.order < earliest.order)) earliest = timer;
    }
    return earliest;
  }
}
