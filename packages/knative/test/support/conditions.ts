interface Waiter {
  readonly condition: () => boolean;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Lets a test await a condition on state that another party changes (a server that received a
 * request, an observer told of an event) instead of polling it: whoever changes the state calls
 * `changed()`, which wakes the waiters whose condition now holds.
 */
export class Conditions {
  #waiters: Waiter[] = [];
  #failure: Error | undefined = undefined;

  /** Resolves once `condition()` holds: at once if it does now, else at the change that makes it true. */
  when(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => this.#waiters.push({ condition, resolve, reject }));
  }

  /** The state changed: wakes every waiter whose condition holds now. */
  changed(): void {
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.condition()) return true;
      waiter.resolve();
      return false;
    });
  }

  /** The state will not change any more (its process exited): waits that cannot end get `error`. */
  fail(error: Error): void {
    this.#failure = error;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }
}
