/**
 * Time enters the core only as a number of milliseconds passed to each call. Drivers own the clock:
 * the proxy reads a monotonic one, the simulator and the tests advance a manual one.
 */
export interface Clock {
  now(): number;
}

export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  /** Moves time forward; time never runs backwards. */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: expected ms >= 0, got ${ms}`);
    this.#nowMs += ms;
    return this.#nowMs;
  }

  set(ms: number): number {
    if (!(ms >= this.#nowMs)) throw new RangeError(`ManualClock.set: ${ms} is before now (${this.#nowMs})`);
    this.#nowMs = ms;
    return this.#nowMs;
  }
}
