import { ManualTimers, type TimerHandle } from '@shortline/proxy';
import { Changes } from '../../../proxy/test/support/changes.js';

/**
 * ManualTimers that also let a test await the code under test setting a timer: once it has, that
 * code is waiting on time, and the test may move time on. (Real I/O runs between the steps, so the
 * test cannot know otherwise when, say, a failed probe has scheduled the next one.)
 */
export class AwaitableTimers extends ManualTimers {
  readonly #changes = new Changes();

  override setTimeout<A>(callback: (arg: A) => void, delayMs: number, arg: A): TimerHandle {
    const handle = super.setTimeout<A>(callback, delayMs, arg);
    this.#changes.notify();
    return handle;
  }

  /** Resolves once some timer pending falls due within `ms` from now. */
  dueWithin(ms: number): Promise<void> {
    return this.#changes.when(() => this.nextDueMs() <= this.now() + ms);
  }
}
