import type { CapacitySetting } from '@shortline/core';
import type { PoolConfig } from './shortline-config.js';

/**
 * What each backend of a pool gets as its capacity in the scheduler (`Scheduler.addBackend`,
 * `setBackendCapacity`): the fixed number, or `{ auto: true }` with the pool's bounds.
 */
export function poolCapacity(pool: PoolConfig): CapacitySetting {
  const auto = pool.autoConcurrency;
  if (auto === undefined) return pool.concurrency;
  return { auto: true, ...(auto.min === undefined ? {} : { min: auto.min }), ...(auto.max === undefined ? {} : { max: auto.max }) };
}
