import { seededRandom } from './workload.js';

/**
 * How long one load from memory takes on this machine when it cannot start before the one before it
 * has finished: a walk of a random cycle over `workingSetBytes`, one 64-byte line per step. The
 * cases with 1,000 functions are bound by this (every call reaches state of a function that no call
 * has touched for thousands of cycles), so a figure of theirs means something on another machine
 * only next to this one.
 */
const LINE_BYTES = 64;
export const INTS_PER_LINE = LINE_BYTES / Int32Array.BYTES_PER_ELEMENT;

/**
 * A deterministic cycle through every one of `lines` lines, in an order no prefetcher follows: at the
 * first int of each line, the index of the first int of the next line to visit. One cycle, not
 * several short ones, so that no part of the walk stays in a cache.
 */
export function randomCycle(lines: number): Int32Array {
  const order = new Int32Array(lines);
  for (let i = 0; i < lines; i++) order[i] = i;
  const random = seededRandom(lines);
  for (let i = lines - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  const next = new Int32Array(lines * INTS_PER_LINE);
  for (let i = 0; i < lines; i++) next[(order[i] as number) * INTS_PER_LINE] = (order[(i + 1) % lines] as number) * INTS_PER_LINE;
  return next;
}

/** Wall-clock nanoseconds per dependent load, over `loads` loads after a lap of warm-up. */
export function dependentLoadNs(workingSetBytes: number, loads: number): number {
  const lines = Math.max(2, Math.floor(workingSetBytes / LINE_BYTES));
  const next = randomCycle(lines);
  let at = 0;
  for (let i = 0; i < lines; i++) at = next[at] as number;
  const started = process.hrtime.bigint();
  for (let i = 0; i < loads; i++) at = next[at] as number;
  const elapsed = Number(process.hrtime.bigint() - started);
  // `at` is used so that the walk cannot be optimised away.
  return at < 0 ? NaN : elapsed / loads;
}
