import { UnknownPolicyError } from '../errors.js';
import { createAgingSrtfPolicy, type AgingSrtfParameters } from './aging-srtf.js';
import { createFifoPolicy } from './fifo.js';
import { createHrrnPolicy } from './hrrn.js';
import { createLinearAgingPolicy, type LinearAgingParameters } from './linear-aging.js';
import { isPolicyName, POLICY_NAMES, type Policy } from './policy.js';
import { createSeptPolicy } from './sept.js';

export type PolicySpec =
  | { name: 'fifo' }
  | { name: 'sept' }
  | ({ name: 'linear-aging' } & LinearAgingParameters)
  | { name: 'hrrn' }
  | ({ name: 'aging-srtf' } & AgingSrtfParameters);

/** Builds a policy from its name and parameters; an unknown name or a bad parameter throws. */
export function createPolicy(spec: PolicySpec | string): Policy {
  const resolved: { name: string } = typeof spec === 'string' ? { name: spec } : spec;
  if (!isPolicyName(resolved.name)) throw new UnknownPolicyError(resolved.name, POLICY_NAMES);
  const typed = resolved as PolicySpec;
  switch (typed.name) {
    case 'fifo':
      return createFifoPolicy();
    case 'sept':
      return createSeptPolicy();
    case 'linear-aging':
      return createLinearAgingPolicy(typed);
    case 'hrrn':
      return createHrrnPolicy();
    case 'aging-srtf':
      return createAgingSrtfPolicy(typed);
  }
}
