export type BackendState = 'active' | 'draining' | 'removed';

export interface BackendOptions<B> {
  /** Unique across all pools (an address, a pod name). */
  readonly id: string;
  /** Concurrent invocations this backend accepts; 0 = unlimited. */
  readonly capacity: number;
  /** The caller's handle for this backend (a connection pool); handed back with each assignment. */
  readonly target?: B;
}

/** One address that serves invocations, with a concurrency capacity. */
export class Backend<B = unknown> {
  readonly id: string;
  readonly pool: string;
  readonly target: B | undefined;
  capacity: number;
  inFlight = 0;
  state: BackendState = 'active';

  constructor(pool: string, options: BackendOptions<B>) {
    this.id = options.id;
    this.pool = pool;
    this.capacity = options.capacity;
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
}
