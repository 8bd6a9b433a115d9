import { CompletionHeap } from './completion-heap.js';
import type { ContainerModel } from './container-model.js';

/**
 * Processor sharing over K cores: with n calls running each gets min(1, K/n) of a core, and a call of
 * work w finishes once it has had w ms of a core. All running calls advance at the same rate, so the
 * model keeps one virtual clock of work done per call: a call admitted at virtual time v finishes when
 * it reaches v + w, and only the rate changes on each arrival and departure.
 */
export class ProcessorSharing implements ContainerModel {
  readonly kind = 'shared';
  readonly #byVirtualFinish = new CompletionHeap();
  #cores: number;
  #virtualMs = 0;
  #lastMs = 0;
  #admitted = 0;

  constructor(cores: number) {
    this.#cores = cores;
  }

  get running(): number {
    return this.#byVirtualFinish.size;
  }

  get nextCompletionMs(): number {
    const n = this.#byVirtualFinish.size;
    if (n === 0) return Infinity;
    return this.#lastMs + (this.#byVirtualFinish.nextTimeMs - this.#virtualMs) / this.#rate(n);
  }

  admit(id: number, workMs: number, now: number): void {
    this.#advance(now);
    this.#byVirtualFinish.push(this.#virtualMs + workMs, this.#admitted++, id);
  }

  finishNext(): number {
    const now = this.nextCompletionMs;
    this.#advance(now);
    // Rounding may leave the virtual clock a hair short of the finishing call's mark: it finishes now.
    this.#virtualMs = Math.max(this.#virtualMs, this.#byVirtualFinish.nextTimeMs);
    return this.#byVirtualFinish.pop();
  }

  setCapacity(cores: number, now: number): void {
    this.#advance(now);
    this.#cores = cores;
  }

  #rate(n: number): number {
    return n <= this.#cores ? 1 : this.#cores / n;
  }

  #advance(now: number): void {
    const n = this.#byVirtualFinish.size;
    if (n > 0 && now > this.#lastMs) this.#virtualMs += (now - this.#lastMs) * this.#rate(n);
    if (now > this.#lastMs) this.#lastMs = now;
  }
}
