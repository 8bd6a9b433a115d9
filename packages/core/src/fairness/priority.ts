/** A function's priority tier: a higher tier goes ahead of lower ones among calls not yet capped. */
export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Tiers are numbered in the order they are served: 0 is the highest. */
export type Tier = 0 | 1 | 2;
export const TIER_COUNT = PRIORITIES.length;

export function isPriority(value: string): value is Priority {
  return (PRIORITIES as readonly string[]).includes(value);
}

export function tierOf(priority: Priority): Tier {
  return PRIORITIES.indexOf(priority) as Tier;
}

/**
 * A tier's wait cap, as a multiple of the pool's cap delay in force: a low call is capped only once
 * it has waited this many times as long as a high or normal one would be. Capped calls take the
 * capped share ahead of every tier, so a low tier starved by design would otherwise fill that share
 * and take it from the high tier: on azure2019-500 with 30% of the work high and 30% low, 2,029 low
 * calls were capped against 416 normal and 32 high ones, and the high tier's p99 was 5× *longer*
 * with tiers than without (bench/RESULTS.md, "Fairness").
 */
export const TIER_CAP_STRETCH: readonly number[] = [1, 1, 4];

/**
 * How many times as fast a waiting call's claim grows with its wait, per tier, under a policy that
 * ages (aging-srtf ranks the high tier with agingFactor ÷ 8). A tier is made high for its tail, not
 * its mean: with the default aging, through a burst, high calls predicted a little longer than others
 * of their tier waited behind a stream of the shorter ones. Tier 0 holds calls only when a function is
 * configured high, so with no tiers the order is the default one (docs/scheduling.md, "Priority tiers").
 */
export const TIER_AGING_SPEEDUP: readonly number[] = [8, 1, 1];
