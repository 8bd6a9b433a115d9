import type { Tier } from './priority.js';

/**
 * A pool reports the rank of its best waiting call as one number (lower goes first), so that pools
 * sharing a global in-flight limit can be compared. The number encodes the call's standing:
 *
 *     capped  <  high tier: at risk < the policy's order  <  normal: ...  <  low: ...
 *
 * Capped keys are `arrivalMs + CAPPED_KEY_OFFSET` (capped calls leave in arrival order). A tier's keys
 * are `TIER_SPAN · (tier − 1)` plus, for a call at risk of missing its deadline, `AT_RISK_OFFSET` plus
 * its latest start time, else the policy's own key. Policy keys and times must stay within
 * ±AT_RISK_OFFSET / 2 (about 80 years in ms). The normal tier's keys are the policy's keys exactly;
 * in the high and low tiers a key near 10^13 keeps a precision of about 0.002, which only matters
 * between pools.
 */
export const CAPPED_KEY_OFFSET = -1e15;
const TIER_SPAN = 1e13;
const AT_RISK_OFFSET = -5e12;

/** Was this rank given to a capped call? (Half the offset: arrival times may be negative.) */
export function isCappedKey(key: number): boolean {
  return key < CAPPED_KEY_OFFSET / 2;
}

export function cappedKey(arrivalMs: number): number {
  return arrivalMs + CAPPED_KEY_OFFSET;
}

export function tierKey(tier: Tier, policyKey: number): number {
  return TIER_SPAN * (tier - 1) + policyKey;
}

export function atRiskKey(tier: Tier, latestStartMs: number): number {
  return TIER_SPAN * (tier - 1) + AT_RISK_OFFSET + latestStartMs;
}
