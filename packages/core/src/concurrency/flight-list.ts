import type { InFlightCall } from './in-flight-call.js';

/**
 * One backend's calls in flight, in the order they started, threaded through the calls' own fields.
 * Besides holding them it answers the question that tells a container's kind apart: how many of the
 * calls that started before this one are still running when it ends.
 */
export class FlightList<C extends InFlightCall> {
  #head: C | undefined = undefined;
  #tail: C | undefined = undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(call: C): void {
    call.flightPrev = this.#tail;
    call.flightNext = undefined;
    if (this.#tail === undefined) this.#head = call;
    else this.#tail.flightNext = call;
    this.#tail = call;
    this.#size++;
  }

  remove(call: C): void {
    if (call.flightPrev === undefined) this.#head = call.flightNext;
    else call.flightPrev.flightNext = call.flightNext;
    if (call.flightNext === undefined) this.#tail = call.flightPrev;
    else call.flightNext.flightPrev = call.flightPrev;
    call.flightPrev = undefined;
    call.flightNext = undefined;
    this.#size--;
  }

  /**
   * Calls that started before `call` and still run, counted up to `cap`: a call that waits for the
   * ones ahead of it (a sequential container) never finds more of them than the container has
   * workers, whatever it found at its start; one that shares (or waits on I/O) overtakes them.
   */
  olderStillRunning(call: C, cap: number): number {
    let count = 0;
    for (let at = call.flightPrev; at !== undefined && count < cap; at = at.flightPrev) count++;
    return count;
  }
}
