import { createPolicy, type PolicyName, type PolicySpec } from '@shortline/core';
import { CONFIG_DEFAULTS } from '@shortline/proxy';

/**
 * What the proxy and the simulator are both given for one policy. The workload's time is scaled, so
 * every parameter measured in time is scaled by the same factor: the run is then the original
 * workload under the default configuration, played faster. Dimensionless ones (agingFactor,
 * fifoFactor, cappedShare, linear-aging's agingRate in ms per ms) stay as they are.
 */
export interface SchedulingParameters {
  readonly policy: PolicySpec;
  /** The predictor's prior for functions never seen. */
  readonly priorMs: number;
}

/** Parameters measured in time carry the unit in their name. */
const isTimeParameter = (name: string): boolean => name.endsWith('Ms');

export function scaledSchedulingParameters(name: PolicyName, factor: number): SchedulingParameters {
  const defaults = createPolicy(name).parameters;
  const parameters = Object.fromEntries(Object.entries(defaults).map(([key, value]) => [key, isTimeParameter(key) ? value * factor : value]));
  // createPolicy validated the name; the parameters are that policy's own, with some of them scaled.
  const policy = { name, ...parameters } as PolicySpec;
  return { policy, priorMs: CONFIG_DEFAULTS.predictor.priorMs * factor };
}
