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
