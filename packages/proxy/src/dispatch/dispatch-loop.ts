import {
  isAutoCapacity,
  sameCapacity,
  Scheduler,
  type Backend,
  type CapacitySetting,
  type FunctionOptions,
  type LoadBalancing,
  type PolicySpec,
  type PredictorOptions,
  type SchedulerLimits,
  type SchedulerSnapshot,
} from '@shortline/core';
import type { Logger } from 'pino';
import type { TimerHandle, Timers } from '../timers/timers.js';
import { BackendRegistry, type BackendRecord, type BackendSpec } from './backend-registry.js';
import type { Dispatchable, DispatchEvents } from './dispatchable.js';
import type { Upstream } from './upstream.js';

/** How long a backend that refused a connection is kept out of rotation before it gets traffic again. */
export const DEFAULT_EJECTION_MS = 1_000;

export interface DispatchLoopOptions {
  readonly timers: Timers;
  readonly logger: Logger;
  readonly policy: PolicySpec;
  readonly predictor: PredictorOptions;
  readonly limits: SchedulerLimits;
  readonly ejectionMs?: number;
}

export interface BackendView {
  readonly id: string;
  readonly pool: string;
  readonly url: string;
  /** The capacity in force (0 = unlimited): the one configured, or with auto what was learnt so far. */
  readonly capacity: number;
  /** Whether the capacity is learnt (`concurrency: auto`) or fixed. */
  readonly concurrency: 'auto' | 'fixed';
  readonly inFlight: number;
  readonly state: string;
  readonly ejected: boolean;
}

/** What may be read of the scheduler from outside the loop; changes go through the loop. */
export type SchedulerView<T extends Dispatchable> = Pick<Scheduler<T, Upstream>, 'waiting' | 'inFlight' | 'policy' | 'snapshot' | 'stateOf' | 'counters'>;

/**
 * The one place that talks to the scheduler and the backend registry. Facts come in — an invocation
 * arrived, completed, left, found its backend unreachable; a pool, function or backend changed; a
 * queue deadline passed — and commands go out to invocations: start on this backend, refuse for this
 * reason. After any fact that may let something start, the loop runs the scheduler once, in a
 * microtask: every start happens outside the callback that reported the fact, and a burst of facts
 * in one tick costs one dispatch.
 *
 * A backend that refuses a connection is ejected: drained in the scheduler, so that the request that
 * failed (and the ones after it) go to the pool's other backends; after `ejectionMs`, once nothing runs
 * on it, it is put back as a fresh backend. Slot accounting stays exact throughout.
 */
export class DispatchLoop<T extends Dispatchable> implements DispatchEvents<T> {
  readonly #scheduler: Scheduler<T, Upstream>;
  readonly #registry = new BackendRegistry();
  readonly #timers: Timers;
  readonly #logger: Logger;
  readonly #ejectionMs: number;
  #pumpScheduled = false;
  #expiryTimer: TimerHandle | undefined = undefined;
  #expiryAtMs = Infinity;
  #closed = false;

  constructor(options: DispatchLoopOptions) {
    this.#timers = options.timers;
    this.#logger = options.logger;
    this.#ejectionMs = options.ejectionMs ?? DEFAULT_EJECTION_MS;
    this.#scheduler = new Scheduler<T, Upstream>({ policy: options.policy, predictor: options.predictor, ...options.limits });
  }

  get scheduler(): SchedulerView<T> {
    return this.#scheduler;
  }

  // ---- facts from invocations -------------------------------------------------------------------

  arrived(invocation: T): void {
    const result = this.#scheduler.enqueue(invocation, this.#timers.now());
    if (!result.accepted) {
      invocation.refuse(result.reason);
      return;
    }
    this.#armExpiry();
    invocation.queued(false);
    this.#schedulePump();
  }

  completed(invocation: T, observedMs: number | undefined): void {
    if (this.#scheduler.complete(invocation.id, observedMs, this.#timers.now())) this.#schedulePump();
  }

  left(invocation: T): void {
    const id = invocation.id;
    if (this.#scheduler.cancel(id) || this.#scheduler.complete(id, undefined, this.#timers.now())) this.#schedulePump();
  }

  /**
   * Nothing reached the backend: eject it, and queue the invocation again (keeping its place) if
   * another backend of the pool has a free slot now; else it gets 502.
   */
  unreachable(invocation: T): void {
    const backend = this.#scheduler.backendOf(invocation.id);
    if (backend === undefined) {
      invocation.refuse('upstream-unreachable');
      return;
    }
    this.#eject(backend);
    if (this.#scheduler.hasFreeSlot(backend.pool) && this.#scheduler.retry(invocation.id)) {
      this.#armExpiry();
      invocation.queued(true);
    } else {
      this.#scheduler.complete(invocation.id, undefined, this.#timers.now());
      invocation.refuse('upstream-unreachable');
    }
    this.#schedulePump();
  }

  // ---- facts about the topology -----------------------------------------------------------------

  configure(policy: PolicySpec | undefined, limits: SchedulerLimits, predictor: PredictorOptions): void {
    if (policy !== undefined) this.#scheduler.setPolicy(policy);
    this.#scheduler.setLimits(limits);
    this.#scheduler.predictor.configure(predictor);
    this.#schedulePump();
  }

  upsertPool(name: string, loadBalancing: LoadBalancing): void {
    this.#scheduler.upsertPool({ name, loadBalancing });
  }

  /** Removes a pool no function uses any more, and its backends (their connections close once idle). */
  async removePool(name: string): Promise<void> {
    const closing = this.#registry.ids(name).map((id) => this.removeBackend(id));
    this.#scheduler.removePool(name);
    await Promise.all(closing);
  }

  upsertFunction(options: FunctionOptions): void {
    this.#scheduler.upsertFunction(options);
    this.#schedulePump();
  }

  /** Removes a function: its waiting invocations are refused, its running ones finish. */
  removeFunction(name: string): void {
    for (const { invocation, reason } of this.#scheduler.removeFunction(name, this.#timers.now())) invocation.refuse(reason);
  }

  addBackend(pool: string, spec: BackendSpec): void {
    const record = this.#registry.open(pool, spec);
    this.#scheduler.addBackend(pool, { id: spec.id, capacity: spec.capacity, target: record.upstream });
    this.#schedulePump();
  }

  /** A number (0 = unlimited) puts that capacity in force; `{ auto: true }` starts learning it afresh. */
  setBackendCapacity(id: string, capacity: CapacitySetting): void {
    const record = this.#registry.get(id);
    if (record === undefined) return;
    record.capacity = capacity;
    this.#scheduler.setBackendCapacity(id, capacity);
    this.#schedulePump();
  }

  /** No new requests go to it; what it runs may finish. */
  drainBackend(id: string): void {
    const record = this.#registry.get(id);
    if (record === undefined) return;
    this.#endEjection(record);
    this.#scheduler.drainBackend(id);
  }

  /** Forgets a backend; its connections close once the requests it runs have finished. */
  async removeBackend(id: string): Promise<void> {
    const record = this.#registry.get(id);
    if (record === undefined) return;
    this.#endEjection(record);
    this.#scheduler.removeBackend(id);
    await this.#registry.close(id);
  }

  /** Makes a pool's backends those listed (by id and URL), each with `capacity`: the static configuration. */
  async syncPool(pool: string, specs: readonly BackendSpec[]): Promise<void> {
    const wanted = new Set(specs.map((spec) => spec.id));
    const removals = this.#registry
      .ids(pool)
      .filter((id) => !wanted.has(id))
      .map((id) => this.removeBackend(id));
    for (const spec of specs) {
      const record = this.#registry.get(spec.id);
      if (record === undefined) this.addBackend(pool, spec);
      else if (!sameCapacity(record.capacity, spec.capacity)) this.setBackendCapacity(spec.id, spec.capacity);
    }
    await Promise.all(removals);
  }

  // ---- reads --------------------------------------------------------------------------------------

  snapshot(): SchedulerSnapshot {
    return this.#scheduler.snapshot(this.#timers.now());
  }

  /** What a request of this function arriving now would be predicted to take. */
  predict(functionName: string): number {
    return this.#scheduler.predictor.predict(functionName);
  }

  backendIds(pool?: string): string[] {
    return this.#registry.ids(pool);
  }

  backendViews(): BackendView[] {
    return [...this.#registry.records()].map((record) => {
      const backend = this.#scheduler.backend(record.id);
      return {
        id: record.id,
        pool: record.pool,
        url: record.upstream.url,
        capacity: backend?.capacity ?? (isAutoCapacity(record.capacity) ? 0 : record.capacity),
        concurrency: isAutoCapacity(record.capacity) ? 'auto' : 'fixed',
        inFlight: backend?.inFlight ?? 0,
        state: backend?.state ?? 'removed',
        ejected: record.ejection !== undefined,
      };
    });
  }

  /** The active backend of a pool running the fewest requests (for upgrades, which take no slot). */
  leastBusy(pool: string): Upstream | undefined {
    let chosen: Backend<Upstream> | undefined;
    for (const record of this.#registry.records()) {
      const backend = this.#scheduler.backend(record.id);
      if (record.pool !== pool || backend?.state !== 'active') continue;
      if (chosen === undefined || backend.inFlight < chosen.inFlight) chosen = backend;
    }
    return chosen?.target;
  }

  // ---- shutdown -----------------------------------------------------------------------------------

  /** Stops the loop's timers; nothing starts from now on. */
  close(): void {
    this.#closed = true;
    if (this.#expiryTimer !== undefined) this.#timers.clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    for (const record of this.#registry.records()) this.#endEjection(record);
  }

  /** Closes every backend connection now, running requests or not. */
  destroyConnections(): Promise<void> {
    return this.#registry.destroy();
  }

  // ---- internals ----------------------------------------------------------------------------------

  #schedulePump(): void {
    if (this.#pumpScheduled || this.#closed) return;
    this.#pumpScheduled = true;
    queueMicrotask(this.#pump);
  }

  /** Starts everything the scheduler says may start now, and answers what waited too long. */
  readonly #pump = (): void => {
    this.#pumpScheduled = false;
    if (this.#closed) return;
    const now = this.#timers.now();
    for (const assignment of this.#scheduler.dispatch(now)) {
      assignment.invocation.start(assignment.backend.target as Upstream, now, assignment.predictedMs);
    }
    this.#armExpiry();
  };

  /** Keeps the one expiry timer set no later than the earliest queue deadline. */
  #armExpiry(): void {
    const next = this.#scheduler.nextExpiryMs();
    if (next === Infinity || next >= this.#expiryAtMs) return;
    if (this.#expiryTimer !== undefined) this.#timers.clearTimeout(this.#expiryTimer);
    this.#expiryAtMs = next;
    this.#expiryTimer = this.#timers.setTimeout(DispatchLoop.#expire, Math.max(1, Math.ceil(next - this.#timers.now())), this);
  }

  static #expire<T extends Dispatchable>(loop: DispatchLoop<T>): void {
    loop.#expiryTimer = undefined;
    loop.#expiryAtMs = Infinity;
    for (const { invocation, reason } of loop.#scheduler.expire(loop.#timers.now())) invocation.refuse(reason);
    loop.#armExpiry();
  }

  #eject(backend: Backend<Upstream>): void {
    const record = this.#registry.get(backend.id);
    if (record === undefined || record.ejection !== undefined || backend.state !== 'active') return;
    this.#scheduler.drainBackend(backend.id);
    this.#logger.warn({ backend: backend.id, pool: record.pool, forMs: this.#ejectionMs }, 'backend unreachable: ejected');
    record.ejection = this.#timers.setTimeout(DispatchLoop.#restore, this.#ejectionMs, { loop: this, record }).unref();
  }

  /** The ejection is over: once nothing runs on the drained backend, a fresh one takes its place. */
  static #restore<T extends Dispatchable>({ loop, record }: { loop: DispatchLoop<T>; record: BackendRecord }): void {
    if (loop.#registry.get(record.id) !== record || record.ejection === undefined) return;
    const backend = loop.#scheduler.backend(record.id);
    if (backend !== undefined && backend.inFlight > 0) {
      record.ejection.refresh();
      return;
    }
    record.ejection = undefined;
    loop.#scheduler.removeBackend(record.id);
    loop.#scheduler.addBackend(record.pool, { id: record.id, capacity: record.capacity, target: record.upstream });
    loop.#logger.info({ backend: record.id, pool: record.pool }, 'ejected backend back in rotation');
    loop.#schedulePump();
  }

  #endEjection(record: BackendRecord): void {
    if (record.ejection === undefined) return;
    this.#timers.clearTimeout(record.ejection);
    record.ejection = undefined;
  }
}
