import { PolicyParameterError } from '../errors.js';
import { TIER_AGING_SPEEDUP, type Tier } from '../fairness/priority.js';
import type { Queued } from '../structures/queued.js';
import type { Policy } from './policy.js';
import { SizeBucketQueue } from './size-bucket-queue.js';

export interface AgingSrtfParameters {
  /**
   * How fast a waiting invocation's claim grows with its slowdown so far (wait / predicted): its rank
   * is predicted / (1 + slowdown / agingFactor). Larger means closer to pure shortest-first.
   */
  agingFactor?: number;
  /**
   * The starvation bound relative to the load: an invocation is capped once it has waited fifoFactor
   * times the longest wait FIFO would have had in the recent past, as of the latest arrival in its pool.
   */
  fifoFactor?: number;
  /** How fast that recent past fades: a FIFO wait counts e times less every fifoMemoryMs. */
  fifoMemoryMs?: number;
  /** Hard cap, a backstop for predictions that are far off: an invocation that waited this long is capped. */
  maxWaitMs?: number;
  /**
   * The largest share of a pool's slots (at least one slot) that capped invocations take ahead of
   * the others, in (0, 1]; 1 lets capped invocations take every slot.
   */
  cappedShare?: number;
}

export const AGING_SRTF_DEFAULTS: Required<AgingSrtfParameters> = {
  agingFactor: 16,
  fifoFactor: 2,
  fifoMemoryMs: 3_600_000,
  maxWaitMs: 600_000,
  cappedShare: 0.375,
};

/**
 * The default policy: shortest predicted remaining time first, with size-relative aging, and a wait
 * cap per invocation after which it takes a slot of the capped share ahead of the others (in arrival
 * order among capped invocations; the pool's queue and the scheduler enforce that). The bound this
 * gives is stated and proved in docs/scheduling.md and checked per invocation by the property test
 * `aging-srtf starvation bound`; the defaults were tuned in the simulator (bench/RESULTS.md,
 * "Fairness"). agingFactor 16: a waiting invocation's claim has doubled once it has waited 16× its
 * prediction, so the order stays close to shortest-first while invocations whose prediction ran high
 * still get out.
 */
export function createAgingSrtfPolicy(parameters: AgingSrtfParameters = {}): Policy {
  const { agingFactor, fifoFactor, fifoMemoryMs, maxWaitMs, cappedShare } = { ...AGING_SRTF_DEFAULTS, ...parameters };
  if (!(agingFactor > 0)) throw new PolicyParameterError('aging-srtf', 'agingFactor', agingFactor, '> 0 (Infinity: no aging)');
  if (!(fifoFactor > 0)) throw new PolicyParameterError('aging-srtf', 'fifoFactor', fifoFactor, '> 0 (Infinity: no cap)');
  if (!(fifoMemoryMs > 0)) throw new PolicyParameterError('aging-srtf', 'fifoMemoryMs', fifoMemoryMs, '> 0 (Infinity: never forget)');
  if (!(maxWaitMs > 0)) throw new PolicyParameterError('aging-srtf', 'maxWaitMs', maxWaitMs, '> 0 (Infinity: no cap)');
  if (!(cappedShare > 0 && cappedShare <= 1)) throw new PolicyParameterError('aging-srtf', 'cappedShare', cappedShare, 'in (0, 1]');
  const rankAgingBy =
    (factor: number) =>
    (predictedMs: number, waitMs: number): number =>
      predictedMs / (1 + waitMs / (factor * predictedMs));
  const ranks = TIER_AGING_SPEEDUP.map((speedup) => rankAgingBy(agingFactor / speedup));
  return {
    name: 'aging-srtf',
    parameters: { agingFactor, fifoFactor, fifoMemoryMs, maxWaitMs, cappedShare },
    waitCap: { fifoFactor, fifoMemoryMs, maxWaitMs },
    cappedShare,
    createQueue: <Q extends Queued>(tier: Tier) => new SizeBucketQueue<Q>(ranks[tier] as (typeof ranks)[number]),
  };
}
