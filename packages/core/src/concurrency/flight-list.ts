import { FlightRecord } from './flight-record.js';
import { TOP_LEVEL } from './level-stats.js';

/** Records kept for reuse at most: enough for the calls in flight at a busy moment. */
const SPARE_RECORDS = 1024;
/**
 * An older call is a rival of a newer one when it is predicted to run on for at least this many times
 * the newer one's prediction. Side by side (on I/O, or sharing a CPU, where the call with less work
 * left ends first) the newer call then ends first, with room for predictions that are off by a third.
 */
const RIVAL_MARGIN = 1.5;
/** Older calls looked at, at most: as far as levels are tracked. */
const WALK = TOP_LEVEL;

/**
 * An older call is a rival only while at least this share of its own prediction is left: near its end
 * what it has done so far (which a shared CPU may have sped up or slowed down) could turn the order
 * round. A quarter, not a half: k sequential workers are told apart only by calls that find k rivals,
 * and a stricter rule makes those rare (four workers took twice as long to learn in the simulator).
 */
const RIVAL_LEFT = 0.25;

/** Does `older` (in flight when `call` started) look set to end well after it, were the two to run side by side? */
function isRival(older: FlightRecord, call: FlightRecord): boolean {
  const left = older.startMs + older.predictedDurationMs - call.startMs;
  return left >= RIVAL_MARGIN * call.predictedDurationMs && left >= RIVAL_LEFT * older.predictedDurationMs;
}

/**
 * One backend's calls in flight, in the order they started, and spare records to reuse. Besides
 * holding them it answers the questions that tell a container's kind apart: which older calls a new
 * one should overtake if calls ran side by side, and which of those, and how many older calls in
 * all, still run when it ends.
 */
export class FlightList {
  #head: FlightRecord | undefined = undefined;
  #tail: FlightRecord | undefined = undefined;
  #size = 0;
  #serial = 0;
  readonly #spare: FlightRecord[] = [];

  get size(): number {
    return this.#size;
  }

  /** A record at the end of the list (a fresh one, or a spare), with its serial. */
  push(): FlightRecord {
    const record = this.#spare.pop() ?? new FlightRecord();
    record.serial = ++this.#serial;
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
   * Counts `record`'s rivals among the calls ahead of it (it was just pushed, with its start and
   * prediction set) into `record.rivals`, and notes how far back it looked.
   */
  countRivals(record: FlightRecord): void {
    let rivals = 0;
    let from = record.serial;
    let steps = 0;
    for (let at = record.prev; at !== undefined && steps < WALK; at = at.prev, steps++) {
      if (isRival(at, record)) rivals++;
      from = at.serial;
    }
    record.rivals = rivals;
    record.rivalsFromSerial = from;
  }

  /**
   * Calls that started before `record` and still run (up to as far as levels are tracked), call
   * before it ends; of those, its rivals go into `record.rivalsLeft`. A call that waits for the ones
   * ahead of it (k sequential workers) never finds k of them still running when it ends, whatever it
   * found at its start; one that shares a CPU or waits on I/O overtakes its rivals.
   */
  olderStillRunning(record: FlightRecord): number {
    let count = 0;
    let rivals = 0;
    for (let at = record.prev; at !== undefined && count < WALK; at = at.prev) {
      count++;
      if (at.serial >= record.rivalsFromSerial && isRival(at, record)) rivals++;
    }
    record.rivalsLeft = rivals;
    return count;
  }
}
