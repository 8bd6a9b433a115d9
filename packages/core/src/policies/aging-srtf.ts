import { PolicyParameterError } from '../errors.js';
import type { Queued } from '../structures/queued.js';
import type { Policy } from './policy.js';
import { cappedKey, SizeBucketQueue } from './size-bucket-queue.js';

export interface AgingSrtfParameters {
  /**
   * How fast a waiting invocation's claim grows with its slowdown so far (wait / predicted): its rank
   * is predicted / (1 + slowdown / agingFactor). Larger means closer to pure shortest-first.
   */
  agingFactor?: number;
  /** Hard cap: an invocation that has waited this long goes ahead of every uncapped one. */
  maxWaitMs?: number;
  /** Size-relative cap: an invocation whose wait reaches maxSlowdown × predicted goes ahead too. */
  maxSlowdown?: number;
}

export const AGING_SRTF_DEFAULTS: Required<AgingSrtfParameters> = {
  agingFactor: 1,
  maxWaitMs: 60_000,
  maxSlowdown: 2,
};

/**
 * The default policy: shortest predicted remaining time first, with size-relative aging and two
 * starvation caps. Capped invocations leave in arrival order ahead of all others.
 *
 * Worst-case wait. Take an invocation that finds Q invocations queued before it in a pool of m slots
 * whose calls last at most D. Once it has waited maxWaitMs it is capped; from then on only capped
 * invocations that arrived before it — at most those Q — can start ahead of it, so it starts within
 * maxWaitMs + ceil((Q + 1) / m) · D. That is FIFO's own worst case plus maxWaitMs.
 */
export function createAgingSrtfPolicy(parameters: AgingSrtfParameters = {}): Policy {
  const { agingFactor, maxWaitMs, maxSlowdown } = { ...AGING_SRTF_DEFAULTS, ...parameters };
  if (!(agingFactor > 0)) throw new PolicyParameterError('aging-srtf', 'agingFactor', agingFactor, '> 0 (Infinity: no aging)');
  if (!(maxWaitMs > 0)) throw new PolicyParameterError('aging-srtf', 'maxWaitMs', maxWaitMs, '> 0 (Infinity: no cap)');
  if (!(maxSlowdown > 0)) throw new PolicyParameterError('aging-srtf', 'maxSlowdown', maxSlowdown, '> 0 (Infinity: no cap)');
  const rank = (predictedMs: number, waitMs: number, arrivalMs: number): number => {
    if (waitMs >= maxWaitMs || waitMs >= maxSlowdown * predictedMs) return cappedKey(arrivalMs);
    return predictedMs / (1 + waitMs / (agingFactor * predictedMs));
  };
  return {
    name: 'aging-srtf',
    parameters: { agingFactor, maxWaitMs, maxSlowdown },
    createQueue: <Q extends Queued>() => new SizeBucketQueue<Q>(rank),
  };
}
