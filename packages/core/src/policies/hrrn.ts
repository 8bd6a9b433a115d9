import type { Queued } from '../structures/queued.js';
import type { Policy } from './policy.js';
import { SizeBucketQueue } from './size-bucket-queue.js';

/**
 * Highest response ratio next: (wait + predicted) / predicted, highest first. A fresh invocation has
 * ratio 1 whatever its size; short ones gain faster as they wait, and long ones are never starved.
 * The key is the inverse ratio, predicted / (wait + predicted), so that lower is better.
 */
export function createHrrnPolicy(): Policy {
  return {
    name: 'hrrn',
    parameters: {},
    waitCap: undefined,
    cappedShare: 1,
    createQueue: <Q extends Queued>() =>
      new SizeBucketQueue<Q>((predictedMs, waitMs) => predictedMs / (predictedMs + waitMs)),
  };
}
