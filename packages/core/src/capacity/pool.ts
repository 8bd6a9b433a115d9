import type { PoolQueue, PoolQueued } from '../fairness/pool-queue.js';
import { VirtualFifo } from '../fairness/virtual-fifo.js';
import { Backend } from './backend.js';
import type { ReadyFlagged } from './ready-pools.js';

export type LoadBalancing = 'first-available' | 'least-loaded';

/**
 * Backends that share the invocations of some functions (in Kubernetes: a revision's pods), and the
 * queue of those invocations. Free capacity is kept as a running count so that asking "is a slot
 * free?" on the hot path is O(1).
 */
export class Pool<Q extends PoolQueued, B> implements ReadyFlagged {
  readonly name: string;
  loadBalancing: LoadBalancing;
  queue: PoolQueue<Q>;
  /** What FIFO would make each arriving call wait: the reference of the starvation bound. */
  readonly fifo = new VirtualFifo();
  readonly backends: Backend<B>[] = [];
  inFlight = 0;
  /** In the scheduler's ReadyPools: it has a waiting invocation and a free slot. */
  ready = false;
  /** Invocations in flight that started on a slot of the capped share, and of those, on its top lane (capped-lanes.ts). */
  cappedInFlight = 0;
  topLaneInFlight = 0;
  /** Invocations in flight that started ahead of others because they were at risk of missing their deadline. */
  atRiskInFlight = 0;
  #limitedFreeSlots = 0;
  /** Slots of the active backends with a capacity (an unlimited one makes the pool unlimited). */
  #limitedSlots = 0;
  #unlimitedBackends = 0;

  constructor(name: string, loadBalancing: LoadBalancing, queue: PoolQueue<Q>) {
    this.name = name;
    this.loadBalancing = loadBalancing;
    this.queue = queue;
  }

  get hasFreeSlot(): boolean {
    return this.#unlimitedBackends > 0 || this.#limitedFreeSlots > 0;
  }

  /** Slots of its active backends; Infinity when one of them is unlimited. */
  get slots(): number {
    return this.#unlimitedBackends > 0 ? Infinity : this.#limitedSlots;
  }

  add(backend: Backend<B>): void {
    this.backends.push(backend);
    this.#count(backend, +1);
  }

  /** Takes a backend out of rotation; its in-flight invocations may still complete. */
  retire(backend: Backend<B>, state: 'draining' | 'removed'): void {
    if (backend.state === 'active') this.#count(backend, -1);
    backend.state = state;
    if (state === 'removed') {
      const index = this.backends.indexOf(backend);
      if (index >= 0) this.backends.splice(index, 1);
    }
  }

  setCapacity(backend: Backend<B>, capacity: number): void {
    if (backend.state === 'active') this.#count(backend, -1);
    backend.capacity = capacity;
    if (backend.state === 'active') this.#count(backend, +1);
  }

  /** Tells a split queue whether a long call could start now, before it is asked for its best. */
  updateLongRoom(): void {
    if (!this.queue.isSplit) return;
    let room = false;
    for (const backend of this.backends) {
      if (backend.state === 'active' && backend.hasLongRoom) {
        room = true;
        break;
      }
    }
    this.queue.longRoom = room;
  }

  /** The backend the next invocation should go to, or undefined when every backend is full. */
  pickBackend(long = false): Backend<B> | undefined {
    let chosen: Backend<B> | undefined;
    for (const backend of this.backends) {
      if (backend.state !== 'active') continue;
      if (!backend.unlimited && backend.inFlight >= backend.capacity) continue;
      if (long && backend.longInFlight >= backend.longBudget) continue;
      if (this.loadBalancing === 'first-available') return backend;
      if (chosen === undefined || backend.inFlight < chosen.inFlight) chosen = backend;
    }
    return chosen;
  }

  occupy(backend: Backend<B>): void {
    if (backend.state === 'active' && !backend.unlimited) this.#limitedFreeSlots--;
    backend.inFlight++;
    this.inFlight++;
  }

  release(backend: Backend<B>): void {
    backend.inFlight--;
    this.inFlight--;
    // A slot freed on an over-full backend (its capacity was lowered) is not yet a free slot.
    if (backend.state === 'active' && !backend.unlimited && backend.inFlight < backend.capacity) this.#limitedFreeSlots++;
  }

  /** May another of a kind of invocation start when `inFlight` of them run and they may hold `share` of the slots? */
  hasShareFor(inFlight: number, share: number): boolean {
    return inFlight < this.slotsFor(share);
  }

  /** The slots a kind of invocation may hold when it may hold `share` of them: at least one; Infinity when the pool is unlimited. */
  slotsFor(share: number): number {
    return this.#unlimitedBackends > 0 ? Infinity : Math.max(1, Math.floor(share * this.#limitedSlots));
  }

  #count(backend: Backend<B>, sign: 1 | -1): void {
    if (backend.unlimited) {
      this.#unlimitedBackends += sign;
      return;
    }
    this.#limitedFreeSlots += sign * Math.max(0, backend.capacity - backend.inFlight);
    this.#limitedSlots += sign * backend.capacity;
  }
}
