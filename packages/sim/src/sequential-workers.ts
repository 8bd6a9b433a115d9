import { CompletionHeap } from './completion-heap.js';
import type { ContainerModel } from './container-model.js';

/** K workers fed first come first served from a backlog: a call's latency is the work admitted before it. */
export class SequentialWorkers implements ContainerModel {
  readonly kind = 'sequential';
  readonly #working = new CompletionHeap();
  #backlogIds = new Uint32Array(64);
  #backlogWork = new Float64Array(64);
  #backlogHead = 0;
  #backlogTail = 0;
  #workers: number;
  #started = 0;

  constructor(workers: number) {
    this.#workers = workers;
  }

  get running(): number {
    return this.#working.size + this.#backlogTail - this.#backlogHead;
  }

  get nextCompletionMs(): number {
    return this.#working.nextTimeMs;
  }

  admit(id: number, workMs: number, now: number): void {
    if (this.#working.size < this.#workers) {
      this.#working.push(now + workMs, this.#started++, id);
      return;
    }
    if (this.#backlogTail === this.#backlogIds.length) this.#compactOrGrow();
    this.#backlogIds[this.#backlogTail] = id;
    this.#backlogWork[this.#backlogTail] = workMs;
    this.#backlogTail++;
  }

  finishNext(): number {
    const now = this.#working.nextTimeMs;
    const id = this.#working.pop();
    this.#fill(now);
    return id;
  }

  setCapacity(workers: number, now: number): void {
    // Fewer workers: those busy finish their call first; more: they start on the backlog at once.
    this.#workers = workers;
    this.#fill(now);
  }

  #fill(now: number): void {
    while (this.#working.size < this.#workers && this.#backlogHead < this.#backlogTail) {
      const at = this.#backlogHead++;
      this.#working.push(now + (this.#backlogWork[at] as number), this.#started++, this.#backlogIds[at] as number);
    }
  }

  #compactOrGrow(): void {
    const waiting = this.#backlogTail - this.#backlogHead;
    const capacity = waiting * 2 > this.#backlogIds.length ? this.#backlogIds.length * 2 : this.#backlogIds.length;
    const ids = new Uint32Array(capacity);
    const work = new Float64Array(capacity);
    ids.set(this.#backlogIds.subarray(this.#backlogHead, this.#backlogTail));
    work.set(this.#backlogWork.subarray(this.#backlogHead, this.#backlogTail));
    this.#backlogIds = ids;
    this.#backlogWork = work;
    this.#backlogHead = 0;
    this.#backlogTail = waiting;
  }
}
