/**
 * The capped share's L slots are two lanes. The shared lane, L_shared = max(1, ⌊L · SHARED_LANE_FRACTION⌋)
 * slots, takes the oldest capped call of any tier; the top lane, the other L − L_shared, takes only
 * the oldest capped call of the highest tier that has a call waiting. So capped calls of a lower tier
 * go ahead of waiting higher-tier calls on at most L_shared slots, which is what their bound needs
 * (docs/scheduling.md, "Priority tiers"), and with one tier (no tiers configured) the two lanes
 * together are the one capped share of before, in arrival order.
 *
 * A quarter (one slot of the default six on 16 slots): with one lane, capped normal and low calls
 * took all six ahead of the high tier, and the high tier's p99 was 1.07× lower than without tiers on
 * azure2019-500 (8 seeds of 200,000 calls, most-work plan); a half gave 1.43×, a quarter 1.68×
 * (bench/RESULTS.md, "Fairness", third pass). The price is the lower tiers' bound, counted on
 * L_shared slots instead of L.
 */
export const SHARED_LANE_FRACTION = 0.25;

/** The shared lane's slots, of a capped share of `cappedSlots` (Infinity: unlimited); the top lane has the rest. */
export function sharedLaneSlots(cappedSlots: number): number {
  return cappedSlots === Infinity ? Infinity : Math.max(1, Math.floor(cappedSlots * SHARED_LANE_FRACTION));
}
