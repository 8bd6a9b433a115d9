import { PolicyParameterError } from '../errors.js';
import type { Queued } from '../structures/queued.js';
import type { Policy } from './policy.js';
import { StaticKeyQueue } from './static-key-queue.js';

export interface LinearAgingParameters {
  /** ms of rank lost per ms waited. */
  alpha?: number;
}

/**
 * Classic aging SRTF: rank = predicted − alpha·wait, lowest first. Because
 * predicted − alpha·(now − arrival) orders invocations exactly as predicted + alpha·arrival does, the
 * rank is time-invariant and a heap suffices.
 */
export function createLinearAgingPolicy(parameters: LinearAgingParameters = {}): Policy {
  const alpha = parameters.alpha ?? 0.1;
  if (!(alpha >= 0 && Number.isFinite(alpha))) {
    throw new PolicyParameterError('linear-aging', 'alpha', alpha, 'a finite number >= 0');
  }
  return {
    name: 'linear-aging',
    parameters: { alpha },
    cappedShare: 1,
    createQueue: <Q extends Queued>() => new StaticKeyQueue<Q>((item) => item.predictedMs + alpha * item.arrivalMs),
  };
}
