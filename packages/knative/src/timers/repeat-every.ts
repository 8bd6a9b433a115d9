import type { TimerHandle, Timers } from '@shortline/proxy';

class Repeat {
  readonly #tick: () => void;
  readonly handle: TimerHandle;

  constructor(timers: Timers, periodMs: number, tick: () => void) {
    this.#tick = tick;
    this.handle = timers.setTimeout(Repeat.#fire, periodMs, this).unref();
  }

  static #fire(repeat: Repeat): void {
    repeat.handle.refresh();
    repeat.#tick();
  }
}

/**
 * Calls `tick` every `periodMs` on `timers` until the returned function stops it: one timer that
 * restarts itself when it fires, so a manual clock sees each period as one due time. It does not
 * keep the process alive.
 */
export function repeatEvery(timers: Timers, periodMs: number, tick: () => void): () => void {
  const repeat = new Repeat(timers, periodMs, tick);
  return () => timers.clearTimeout(repeat.handle);
}
