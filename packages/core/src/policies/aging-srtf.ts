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
  /**
   * The largest share of a pool's slots (at least one slot) that capped invocations hold while
   * uncapped ones wait, in (0, 1]; 1 lets capped invocations take every slot.
   */
  cappedShare?: number;
}

/**
 * Tuned in the simulator on the Azure Functions 2019 mix (16 slots, load 0.9; bench/RESULTS.md).
 * agingFactor 16: a waiting invocation's claim has doubled once it has waited 16× its prediction, so
 * the order stays close to shortest-first, while invocations whose prediction ran high still get out.
 * The caps are backstops set above the waits that the policy itself produces there: capped
 * invocations go first in arrival order, and when many are capped at once long calls fill every slot
 * and the queue falls back to FIFO (caps of 60–240 s did exactly that at load 0.9). maxSlowdown 1000
 * bounds short calls (a 50 ms call waits at most about 70 s before it is capped); maxWaitMs 600 s
 * (Knative's default max-revision-timeout-seconds) bounds the rest. cappedShare 0.5: when a burst
 * does cap many calls at once (the trace replayed minute by minute), they get half the slots and the
 * other half keep serving shortest-first, which cut the replay's mean latency 2.3× (bench/RESULTS.md).
 */
export const AGING_SRTF_DEFAULTS: Required<AgingSrtfParameters> = {
  agingFactor: 16,
  maxWaitMs: 600_000,
  maxSlowdown: 1000,
  cappedShare: 0.5,
};

/**
 * The default policy: shortest predicted remaining time first, with size-relative aging and two
 * starvation caps. Capped invocations leave in arrival order ahead of all others, on at most
 * cappedShare of the pool's slots while uncapped ones wait (the scheduler enforces the share).
 *
 * Worst-case wait. Take an invocation X with prediction P that finds Q invocations queued before it in
 * a pool of m slots whose calls last at most D, and let L = max(1, ⌊cappedShare · m⌋). X is capped
 * once it has waited maxWaitMs, or maxSlowdown · P — up to √2 times that, because the size-bucket queue ranks only the oldest
 * invocation of each bucket and an older bucket-mate's prediction may be √2 larger. Every older
 * bucket-mate is capped by then as well. From then on only capped invocations that arrived before X —
 * at most those Q — can start ahead of it; capped invocations may hold L slots, each frees within D
 * and passes to the next capped one, so X starts within
 * min(maxWaitMs, √2 · maxSlowdown · P) + ceil((Q + 1) / L) · D: FIFO's worst case on L slots, plus the cap.
 * Under a global in-flight limit shared by several pools, Q counts the earlier invocations of all
 * of them. The bound holds whatever the predictions; what it costs is that under sustained overload,
 * when most waits exceed the caps, cappedShare of the slots serve in arrival order (the rest keep
 * serving shortest-first).
 */
export function createAgingSrtfPolicy(parameters: AgingSrtfParameters = {}): Policy {
  const { agingFactor, maxWaitMs, maxSlowdown, cappedShare } = { ...AGING_SRTF_DEFAULTS, ...parameters };
  if (!(agingFactor > 0)) throw new PolicyParameterError('aging-srtf', 'agingFactor', agingFactor, '> 0 (Infinity: no aging)');
  if (!(maxWaitMs > 0)) throw new PolicyParameterError('aging-srtf', 'maxWaitMs', maxWaitMs, '> 0 (Infinity: no cap)');
  if (!(maxSlowdown > 0)) throw new PolicyParameterError('aging-srtf', 'maxSlowdown', maxSlowdown, '> 0 (Infinity: no cap)');
  if (!(cappedShare > 0 && cappedShare <= 1)) throw new PolicyParameterError('aging-srtf', 'cappedShare', cappedShare, 'in (0, 1]');
  const rank = (predictedMs: number, waitMs: number, arrivalMs: number): number => {
    if (waitMs >= maxWaitMs || waitMs >= maxSlowdown * predictedMs) return cappedKey(arrivalMs);
    return predictedMs / (1 + waitMs / (agingFactor * predictedMs));
  };
  return {
    name: 'aging-srtf',
    parameters: { agingFactor, maxWaitMs, maxSlowdown, cappedShare },
    cappedShare,
    createQueue: <Q extends Queued>() => new SizeBucketQueue<Q>(rank),
  };
}
