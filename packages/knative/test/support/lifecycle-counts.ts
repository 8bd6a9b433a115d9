import type { Shortline } from '@shortline/proxy';
import { Conditions } from './conditions.js';

/**
 * How many requests the proxy has told its observers of, per lifecycle event, so a test awaits
 * "the second request queued" or "three finished" instead of polling the scheduler. Waiters wake
 * once the proxy has done what the event sets off (its dispatch runs a microtask after a request is
 * queued), so what a test reads then is settled: a queued request that could start has started, and
 * the timer of a waiting one's deadline is set.
 */
export class LifecycleCounts {
  arrived = 0;
  queued = 0;
  started = 0;
  finished = 0;
  readonly #conditions = new Conditions();

  constructor(shortline: Shortline) {
    shortline.observe({
      arrived: () => this.#count(() => this.arrived++),
      queued: () => this.#count(() => this.queued++),
      started: () => this.#count(() => this.started++),
      finished: () => this.#count(() => this.finished++),
    });
  }

  when(condition: () => boolean): Promise<void> {
    return this.#conditions.when(condition);
  }

  #count(bump: () => void): void {
    bump();
    setImmediate(() => this.#conditions.changed());
  }
}
