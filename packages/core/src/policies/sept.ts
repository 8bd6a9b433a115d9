import type { Queued } from '../structures/queued.js';
import type { Policy } from './policy.js';
import { StaticKeyQueue } from './static-key-queue.js';

/** Shortest expected processing time first, no aging: best mean latency, but long calls can starve. */
export function createSeptPolicy(): Policy {
  return {
    name: 'sept',
    parameters: {},
    waitCap: undefined,
    cappedShare: 1,
    createQueue: <Q extends Queued>() => new StaticKeyQueue<Q>((item) => item.predictedMs),
  };
}
