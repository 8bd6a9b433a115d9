/**
 * The starvation bound's parameters. A waiting call is capped — it may take one of the slots of the
 * pool's capped share, in arrival order among the capped calls — once its wait reaches the lesser of
 *
 * - `fifoFactor` × the longest FIFO wait of the recent past when it arrived (VirtualFifo: a FIFO
 *   queue on the pool's slots fed with the same arrivals and predicted durations, whose waits fade
 *   by a factor e every `fifoMemoryMs`; the call's own FIFO wait is among them);
 * - `maxWaitMs`, a backstop for predictions that are far off.
 *
 * Infinity switches a term off.
 */
export interface WaitCap {
  readonly fifoFactor: number;
  readonly fifoMemoryMs: number;
  readonly maxWaitMs: number;
}

/** How long a call may wait before it is capped, given the recent longest FIFO wait at its arrival. */
export function capDelayMs(cap: WaitCap, longestFifoWaitMs: number): number {
  // fifoFactor Infinity means no relative cap, even where FIFO would not have waited at all.
  const relative = cap.fifoFactor === Infinity ? Infinity : cap.fifoFactor * longestFifoWaitMs;
  return Math.min(cap.maxWaitMs, relative);
}
