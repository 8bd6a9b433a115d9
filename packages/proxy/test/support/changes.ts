/**
 * Something a test waits for without polling: whoever changes the state calls `notify()`, and each
 * `when(condition)` is checked then, resolving the first time its condition holds. A condition that
 * never comes true fails the test at Jest's timeout.
 */
export class Changes {
  #waiters: { condition: () => boolean; resolve: () => void }[] = [];

  notify(): void {
    if (this.#waiters.length === 0) return;
    const still: { condition: () => boolean; resolve: () => void }[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.condition()) waiter.resolve();
      else still.push(waiter);
    }
    this.#waiters = still;
  }

  when(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ condition, resolve }));
  }
}
