import { PolicyParameterError } from '../errors.js';
import type { Queued } from '../structures/queued.js';
import type { Policy } from './policy.js';
import { StaticKeyQueue } from './static-key-queue.js';

export interface LinearAgingParameters {
  /** ms of rank lost per ms waited. */
  agingRate?: number;
}

/**
 * Classic aging SRTF: rank = predicted − agingRate·wait, lowest first. Because
 * predicted − agingRate·(now − arrival) orders invocations exactly as predicted + agingRate·arrival does, the
 * rank is time-invariant and a heap suffices.
 */
export function createLinearAgingPolicy(parameters: LinearAgingParameters = {}): Policy {
  const agingRate = parameters.agingRate ?? 0.1;
  if (!(agingRate >= 0 && Number.isFinite(agingRate))) {
    throw new PolicyParameterError('linear-aging', 'agingRate', agingRate, 'a finite number >= 0');
  }
  return {
    name: 'linear-aging',
    parameters: { agingRate },
    waitCap: undefined,
    cappedShare: 1,
    createQueue: <Q extends Queued>() => new StaticKeyQueue<Q>((item) => item.predictedMs + agingRate * item.arrivalMs),
  };
}
