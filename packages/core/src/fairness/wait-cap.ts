/**
 * The starvation bound's parameters. Each arrival sets its pool's cap delay in force, the lesser of
 *
 * - `fifoFactor` × the longest FIFO wait of the recent past (× TIER_CAP_STRETCH for the low tier) (VirtualFifo: a FIFO queue on the pool's
 *   slots fed with the same arrivals and predicted durations, whose waits fade by a factor e every
 *   `fifoMemoryMs`; the arriving call's own FIFO wait is among them);
 * - `maxWaitMs`, a backstop for predictions that are far off;
 *
 * and a waiting call is capped — it may take one of the slots of the pool's capped share, in arrival
 * order among the capped calls — once its wait reaches the cap delay in force (PoolQueue, ArrivalOrder).
 * Infinity switches a term off.
 */
export interface WaitCap {
  readonly fifoFactor: number;
  readonly fifoMemoryMs: number;
  readonly maxWaitMs: number;
}

/**
 * The cap delay an arrival puts in force for a tier, given the recent longest FIFO wait as of that
 * arrival: the relative term is stretched by the tier's TIER_CAP_STRETCH; maxWaitMs, a backstop, is not.
 */
export function capDelayMs(cap: WaitCap, longestFifoWaitMs: number, stretch: number): number {
  // fifoFactor Infinity means no relative cap, even where FIFO would not have waited at all.
  const relative = cap.fifoFactor === Infinity ? Infinity : stretch * cap.fifoFactor * longestFifoWaitMs;
  return Math.min(cap.maxWaitMs, relative);
}
