import { CompletionHeap } from './completion-heap.js';
import type { ContainerModel } from './container-model.js';

/** A backend that waits on something else: every call takes its own time, however many run. */
export class IoBoundContainer implements ContainerModel {
  readonly kind = 'io';
  readonly #waiting = new CompletionHeap();
  #admitted = 0;

  get running(): number {
    return this.#waiting.size;
  }

  get nextCompletionMs(): number {
    return this.#waiting.nextTimeMs;
  }

  admit(id: number, workMs: number, now: number): void {
    this.#waiting.push(now + workMs, this.#admitted++, id);
  }

  finishNext(): number {
    return this.#waiting.pop();
  }

  setCapacity(): void {}
}
