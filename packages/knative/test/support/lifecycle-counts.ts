import type { Shortline } from '@shortline/proxy';
import { Changes } from '../../../proxy/test/support/changes.js';

type Counted = 'arrived' | 'queued' | 'finished';

/**
 * How many requests the proxy has told its observers of, per lifecycle event, so a test awaits
 * "the second request queued" or "three finished" instead of polling the scheduler. Waiters wake
 * once the proxy has done what the event sets off (its dispatch runs a microtask after a request is
 * queued), so what a test reads then is settled: a queued request that could start has started, and
 * the timer of a waiting one's deadline is set.
 */
export class LifecycleCounts {
  readonly #counts: Record<Counted, number> = { arrived: 0, queued: 0, finished: 0 };
  readonly #changes = new Changes();

  constructor(shortline: Shortline) {
    shortline.observe({
      arrived: () => this.#count('arrived'),
      queued: () => this.#count('queued'),
      finished: () => this.#count('finished'),
    });
  }

  get arrived(): number {
    return this.#counts.arrived;
  }

  get queued(): number {
    return this.#counts.queued;
  }

  get finished(): number {
    return this.#counts.finished;
  }

  when(condition: () => boolean): Promise<void> {
    return this.#changes.when(condition);
  }

  #count(event: Counted): void {
    this.#counts[event]++;
    setImmediate(() => this.#changes.notify());
  }
}
