import type { Tier } from '../fairness/priority.js';
import type { WaitCap } from '../fairness/wait-cap.js';
import type { Queued } from '../structures/queued.js';
import type { WaitingQueue } from './waiting-queue.js';

export const POLICY_NAMES = ['fifo', 'sept', 'linear-aging', 'hrrn', 'aging-srtf'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** A scheduling policy: a name, its resolved parameters, and a factory for one pool's queue. */
export interface Policy {
  readonly name: PolicyName;
  readonly parameters: Readonly<Record<string, number>>;
  /** When a waiting invocation is capped (the starvation bound); undefined: never. */
  readonly waitCap: WaitCap | undefined;
  /**
   * The largest share of a pool's slots that capped invocations may hold while others wait; 1 where
   * the policy has no caps or no limit. Capped invocations still take any slot that nothing else
   * waits for.
   */
  readonly cappedShare: number;
  /** The queue of one tier of a pool; a policy may order tiers differently (TIER_AGING_SPEEDUP), none needs to. */
  createQueue<Q extends Queued>(tier: Tier): WaitingQueue<Q>;
}

export function isPolicyName(name: string): name is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(name);
}
