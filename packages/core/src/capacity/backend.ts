import type { ConcurrencyController } from '../concurrency/concurrency-controller.js';
import type { ConcurrencyBounds } from '../concurrency/concurrency-controller.js';

export type BackendState = 'active' | 'draining' | 'removed';

/** A capacity learnt by a concurrency controller, within optional bounds. */
export interface AutoCapacity extends ConcurrencyBounds {
  readonly auto: true;
}

/** A fixed number of concurrent invocations (0 = unlimited), or `{ auto: true }` to learn it. */
export type CapacitySetting = number | AutoCapacity;

export function isAutoCapacity(capacity: CapacitySetting): capacity is AutoCapacity {
  return typeof capacity === 'object';
}

/** Are two capacity settings the same (a number, or auto with the same bounds)? */
export function sameCapacity(a: CapacitySetting, b: CapacitySetting): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a.min === b.min && a.max === b.max;
}

export interface BackendOptions<B> {
  /** Unique across all pools (an address, a pod name). */
  readonly id: string;
  /** Concurrent invocations this backend accepts: a number (0 = unlimited) or learnt (`{ auto: true }`). */
  readonly capacity: CapacitySetting;
  /** The caller's handle for this backend (a connection pool); handed back with each assignment. */
  readonly target?: B;
}

/** One address that serves invocations, with a concurrency capacity. */
export class Backend<B = unknown> {
  readonly id: string;
  readonly pool: string;
  readonly target: B | undefined;
  /** The capacity in force: the fixed one, or what the controller allows now; 0 = unlimited. */
  capacity = 0;
  inFlight = 0;
  state: BackendState = 'active';
  /** Learns the capacity of an `auto` backend; undefined for a fixed one. */
  controller: ConcurrencyController | undefined = undefined;
  /** Long calls it may run at once (a shared backend's budget); Infinity: no such budget. */
  longBudget = Infinity;
  longInFlight = 0;

  constructor(pool: string, options: BackendOptions<B>) {
    this.id = options.id;
    this.pool = pool;
    this.target = options.target;
  }

  get unlimited(): boolean {
    return this.capacity === 0;
  }

  /** Slots this backend can still take; Infinity when unlimited, 0 unless active. */
  get freeSlots(): number {
    if (this.state !== 'active') return 0;
    return this.capacity === 0 ? Infinity : Math.max(0, this.capacity - this.inFlight);
  }

  /** Could a long call start here now? */
  get hasLongRoom(): boolean {
    return this.longInFlight < this.longBudget && this.freeSlots > 0;
  }
}
