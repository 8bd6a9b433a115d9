import { FlightRecord } from './flight-record.js';

/** Records kept for reuse at most: enough for the calls in flight at a busy moment. */
const SPARE_RECORDS = 1024;

/**
 * One backend's calls in flight, in the order they started, and spare records to reuse. Besides
 * holding them it answers the question that tells a container's kind apart: how many of the calls
 * that started before this one are still running when it ends.
 */
export class FlightList {
  #head: FlightRecord | undefined = undefined;
  #tail: FlightRecord | undefined = undefined;
  #size = 0;
  readonly #spare: FlightRecord[] = [];

  get size(): number {
    return this.#size;
  }

  /** A record at the end of the list (a fresh one, or a spare). */
  push(): FlightRecord {
    const record = this.#spare.pop() ?? new FlightRecord();
    record.prev = this.#tail;
    record.next = undefined;
    if (this.#tail === undefined) this.#head = record;
    else this.#tail.next = record;
    this.#tail = record;
    this.#size++;
    return record;
  }

  /** Takes a record out; it becomes a spare, not to be used by the caller again. */
  remove(record: FlightRecord): void {
    if (record.prev === undefined) this.#head = record.next;
    else record.prev.next = record.next;
    if (record.next === undefined) this.#tail = record.prev;
    else record.next.prev = record.prev;
    record.prev = undefined;
    record.next = undefined;
    this.#size--;
    if (this.#spare.length < SPARE_RECORDS) this.#spare.push(record);
  }

  /**
   * Calls that started before `record` and still run, counted up to `cap`: a call that waits for the
   * ones ahead of it (a sequential container) never finds more of them than the container has
   * workers, whatever it found at its start; one that shares (or waits on I/O) overtakes them.
   */
  olderStillRunning(record: FlightRecord, cap: number): number {
    let count = 0;
    for (let at = record.prev; at !== undefined && count < cap; at = at.prev) count++;
    return count;
  }
}
