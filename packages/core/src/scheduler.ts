import { Backend, isAutoCapacity, type BackendOptions, type CapacitySetting } from './capacity/backend.js';
import { Pool, type LoadBalancing } from './capacity/pool.js';
import { ReadyPools } from './capacity/ready-pools.js';
import { ConcurrencyController, type ConcurrencyState } from './concurrency/concurrency-controller.js';
import { InvalidOptionError, SchedulerUsageError } from './errors.js';
import { sharedLaneSlots } from './fairness/capped-lanes.js';
import { AT_RISK_SLOT_SHARE, atRiskAtMs, latestStartMs } from './fairness/deadline-risk.js';
import { PoolQueue } from './fairness/pool-queue.js';
import { isPriority, tierOf, type Priority } from './fairness/priority.js';
import { isCappedKey } from './fairness/rank-key.js';
import { VirtualFifo } from './fairness/virtual-fifo.js';
import { emptyCounters, FunctionState, type FunctionCounters, type FunctionOptions } from './function-state.js';
import {
  ACCEPTED,
  type EnqueueResult,
  type Expired,
  type ExpiryReason,
  type InvocationId,
  type InvocationRequest,
  type Rejected,
  type RejectionReason,
} from './invocation.js';
import { createPolicy, type PolicySpec } from './policies/create-policy.js';
import type { Policy } from './policies/policy.js';
import { Predictor, type PredictionStats, type PredictorOptions } from './predictor/predictor.js';
import type { RequestModelStats } from './predictor/request-model-stats.js';
import { IdIndex } from './structures/id-index.js';
import { IndexedHeap } from './structures/indexed-heap.js';
import { Ticket } from './ticket.js';

/** Predictions below this are raised to it: a slowdown against a sub-millisecond guess means nothing. */
export const MIN_PREDICTION_MS = 1;

export interface PoolOptions {
  readonly name: string;
  /** How a pool with several backends picks one. Default `least-loaded`. */
  readonly loadBalancing?: LoadBalancing | undefined;
}

export interface SchedulerLimits {
  /** Waiting invocations over all functions at most; 0 = unlimited. */
  readonly maxQueued?: number | undefined;
  /** In-flight invocations over all pools at most; 0 = unlimited. */
  readonly maxInFlight?: number | undefined;
}

export interface SchedulerOptions extends SchedulerLimits {
  readonly policy?: PolicySpec | string | undefined;
  readonly predictor?: PredictorOptions | undefined;
  readonly pools?: readonly PoolOptions[] | undefined;
  readonly functions?: readonly FunctionOptions[] | undefined;
}

/** Start `invocation` on `backend` now. */
export interface Assignment<T, B> {
  readonly invocation: T;
  readonly backend: Backend<B>;
  readonly waitedMs: number;
  readonly predictedMs: number;
  /** How long it could have waited before its wait cap promoted it; Infinity under policies without caps. */
  readonly waitCapMs: number;
}

export interface FunctionSnapshot {
  readonly name: string;
  readonly pool: string;
  readonly priority: Priority;
  /** Its latency objective; 0 = none. Attainment is in counters.deadlinesMet / deadlinesMissed. */
  readonly deadlineMs: number;
  readonly waiting: number;
  readonly inFlight: number;
  /** How long the oldest waiting invocation has waited; 0 when none waits. */
  readonly oldestWaitMs: number;
  /** What an invocation arriving now would be predicted to take. */
  readonly predictedMs: number;
  readonly prediction: PredictionStats | undefined;
  /** The request-level predictor's classes and errors; undefined until a call with features came. */
  readonly requests: RequestModelStats | undefined;
  readonly counters: FunctionCounters;
}

export interface PoolSnapshot {
  readonly name: string;
  readonly loadBalancing: LoadBalancing;
  readonly waiting: number;
  readonly inFlight: number;
  readonly backends: readonly BackendSnapshot[];
}

export interface BackendSnapshot {
  readonly id: string;
  /** The capacity in force (for an `auto` backend, its learnt limit); 0 = unlimited. */
  readonly capacity: number;
  readonly inFlight: number;
  readonly state: string;
  /** For an `auto` backend: what its controller has learnt. */
  readonly concurrency?: ConcurrencyState;
}

export interface SchedulerSnapshot {
  readonly policy: { name: string; parameters: Readonly<Record<string, number>> };
  readonly waiting: number;
  readonly inFlight: number;
  readonly maxQueued: number;
  readonly maxInFlight: number;
  readonly pools: readonly PoolSnapshot[];
  readonly functions: readonly FunctionSnapshot[];
}

const NOTHING: readonly never[] = Object.freeze([]);

function nonNegativeInteger(option: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!(Number.isInteger(resolved) && resolved >= 0)) throw new InvalidOptionError(option, resolved, 'an integer >= 0');
  return resolved;
}

function nonNegativeFinite(option: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!(resolved >= 0 && Number.isFinite(resolved))) throw new InvalidOptionError(option, resolved, 'a finite number >= 0');
  return resolved;
}

/**
 * The scheduling engine: a sans-I/O state machine. Callers report facts (an invocation arrived, one
 * completed, a client went away, a backend appeared) and ask for decisions (`dispatch(now)`,
 * `expire(now)`); time comes in as an argument, so the proxy and the simulator drive the same code
 * and every schedule is reproducible.
 *
 * T is the caller's invocation object, handed back in decisions; B is the caller's backend handle.
 */
export class Scheduler<T extends InvocationRequest, B = unknown> {
  #policy: Policy;
  readonly predictor: Predictor;
  #maxQueued = 0;
  #maxInFlight = 0;
  /**
   * What FIFO would do under the global in-flight limit, across pools: with `maxInFlight` set, a
   * pool's own slots may be free while every call waits for the global limit, so the wait cap's
   * reference is the longer of the pool's virtual FIFO and this one.
   */
  readonly #globalFifo = new VirtualFifo();
  readonly #pools = new Map<string, Pool<Ticket<T, B>, B>>();
  readonly #functions = new Map<string, FunctionState>();
  readonly #backends = new Map<string, Backend<B>>();
  readonly #tickets = new IdIndex<Ticket<T, B>>();
  /** Pools with a waiting invocation and a free slot: the only ones dispatch has to look at. */
  readonly #ready = new ReadyPools<Pool<Ticket<T, B>, B>>();
  readonly #expiries = new IndexedHeap<Ticket<T, B>>(
    (a, b) => a.expiresAtMs < b.expiresAtMs || (a.expiresAtMs === b.expiresAtMs && a.seq < b.seq),
    (ticket) => ticket.expiryIndex,
    (ticket, index) => {
      ticket.expiryIndex = index;
    },
  );
  #waiting = 0;
  #inFlight = 0;
  #seq = 0;

  constructor(options: SchedulerOptions = {}) {
    this.#policy = createPolicy(options.policy ?? 'aging-srtf');
    this.predictor = new Predictor(options.predictor);
    this.setLimits(options);
    for (const pool of options.pools ?? []) this.upsertPool(pool);
    for (const fn of options.functions ?? []) this.upsertFunction(fn);
  }

  get policy(): Policy {
    return this.#policy;
  }

  /** Invocations accepted and not yet started. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Invocations started and not yet completed. */
  get inFlight(): number {
    return this.#inFlight;
  }

  // ---- configuration -------------------------------------------------------------------------

  setLimits(limits: SchedulerLimits): void {
    this.#maxQueued = nonNegativeInteger('maxQueued', limits.maxQueued, this.#maxQueued);
    this.#maxInFlight = nonNegativeInteger('maxInFlight', limits.maxInFlight, this.#maxInFlight);
  }

  /** Switches policy; waiting invocations are re-queued under the new one in arrival order. */
  setPolicy(spec: PolicySpec | string): void {
    this.#policy = createPolicy(spec);
    for (const pool of this.#pools.values()) {
      const held = [...pool.queue.items()].sort((a, b) => a.seq - b.seq);
      const previous = pool.queue;
      pool.queue = new PoolQueue<Ticket<T, B>>(this.#policy);
      pool.queue.adoptCapsFrom(previous);
      if (previous.isSplit) {
        pool.queue.splitLongWork();
        pool.queue.longFromMs = previous.longFromMs;
      }
      for (const ticket of held) pool.queue.add(ticket);
    }
  }

  upsertPool(options: PoolOptions): void {
    const loadBalancing = options.loadBalancing ?? 'least-loaded';
    const existing = this.#pools.get(options.name);
    if (existing !== undefined) {
      existing.loadBalancing = loadBalancing;
      return;
    }
    this.#pools.set(options.name, new Pool(options.name, loadBalancing, new PoolQueue<Ticket<T, B>>(this.#policy)));
  }

  /** Removes a pool that no function uses any more; its backends go with it. */
  removePool(name: string): void {
    const pool = this.#pools.get(name);
    if (pool === undefined) return;
    for (const fn of this.#functions.values()) {
      if (fn.pool === name) throw new SchedulerUsageError(`pool ${name} is still used by function ${fn.name}`);
    }
    for (const backend of [...pool.backends]) this.removeBackend(backend.id);
    this.#pools.delete(name);
    this.#ready.delete(pool);
  }

  /**
   * Adds a function or changes one. Invocations already waiting keep their predictions, tier, wait
   * cap, deadline and expiry times; if the function moves to another pool they move with it, in
   * arrival order.
   */
  upsertFunction(options: FunctionOptions): void {
    const pool = this.#poolNamed(options.pool, `function ${options.name}`);
    const maxQueued = nonNegativeInteger(`functions.${options.name}.maxQueued`, options.maxQueued, 0);
    const maxQueueWaitMs = nonNegativeFinite(`functions.${options.name}.maxQueueWaitMs`, options.maxQueueWaitMs, 0);
    if (options.expectedDurationMs !== undefined) {
      nonNegativeFinite(`functions.${options.name}.expectedDurationMs`, options.expectedDurationMs, 0);
    }
    const priority = options.priority ?? 'normal';
    if (!isPriority(priority)) throw new InvalidOptionError(`functions.${options.name}.priority`, priority, 'high, normal or low');
    const deadlineMs = nonNegativeFinite(`functions.${options.name}.deadlineMs`, options.deadlineMs, 0);
    this.predictor.setPrior(options.name, options.expectedDurationMs);
    const existing = this.#functions.get(options.name);
    if (existing === undefined) {
      const fn = new FunctionState(options.name, options.pool, maxQueued, maxQueueWaitMs);
      fn.tier = tierOf(priority);
      fn.deadlineMs = deadlineMs;
      this.#functions.set(options.name, fn);
      return;
    }
    existing.maxQueued = maxQueued;
    existing.maxQueueWaitMs = maxQueueWaitMs;
    existing.tier = tierOf(priority);
    existing.deadlineMs = deadlineMs;
    if (existing.pool !== options.pool) {
      const from = this.#poolNamed(existing.pool, `function ${options.name}`);
      existing.pool = options.pool;
      const moving = [...from.queue.items()].filter((t) => t.fn === existing).sort((a, b) => a.seq - b.seq);
      for (const ticket of moving) {
        from.queue.remove(ticket);
        ticket.pool = pool;
        pool.queue.add(ticket);
      }
      this.#refresh(from);
      this.#refresh(pool);
    }
  }

  /**
   * Removes a function. Its waiting invocations come back as expired with reason `function-removed`
   * (the caller answers them); its in-flight ones may still complete.
   */
  removeFunction(name: string, now: number): readonly Expired<T>[] {
    const fn = this.#functions.get(name);
    if (fn === undefined) return NOTHING;
    const pool = this.#poolNamed(fn.pool, `function ${name}`);
    const removed: Expired<T>[] = [];
    const leaving = [...pool.queue.items()].filter((t) => t.fn === fn).sort((a, b) => a.seq - b.seq);
    for (const ticket of leaving) {
      this.#unqueue(ticket);
      fn.counters.expired++;
      removed.push({ invocation: ticket.invocation, reason: 'function-removed', waitedMs: now - ticket.arrivalMs });
    }
    this.#functions.delete(name);
    this.predictor.forget(name);
    return removed;
  }

  addBackend(poolName: string, options: BackendOptions<B>): Backend<B> {
    const pool = this.#poolNamed(poolName, `backend ${options.id}`);
    if (this.#backends.has(options.id)) throw new SchedulerUsageError(`backend ${options.id} already exists`);
    const backend = new Backend<B>(poolName, options);
    backend.capacity = this.#capacityFrom(pool, backend, options.capacity);
    this.#backends.set(options.id, backend);
    pool.add(backend);
    if (backend.controller === undefined) this.#refresh(pool);
    else this.#applyLearnt(backend);
    return backend;
  }

  /**
   * Changes a backend's capacity. Switching to `{ auto: true }` starts learning afresh (calls already
   * running are not counted by the new controller); switching to a number drops what was learnt.
   */
  setBackendCapacity(id: string, capacity: CapacitySetting): void {
    const backend = this.#backendWithId(id);
    const pool = this.#poolNamed(backend.pool, `backend ${id}`);
    pool.setCapacity(backend, this.#capacityFrom(pool, backend, capacity));
    if (backend.controller === undefined) this.#refresh(pool);
    else this.#applyLearnt(backend);
  }

  /** Stops sending work to a backend; what it is running may still complete. */
  drainBackend(id: string): void {
    const backend = this.#backendWithId(id);
    if (backend.state !== 'active') return;
    const pool = this.#poolNamed(backend.pool, `backend ${id}`);
    pool.retire(backend, 'draining');
    this.#refresh(pool);
  }

  /**
   * Forgets a backend (its pod is gone). Invocations it was running still complete through
   * `complete`, which then frees no slot; waiting invocations stay queued for the other backends.
   */
  removeBackend(id: string): void {
    const backend = this.#backends.get(id);
    if (backend === undefined) return;
    this.#backends.delete(id);
    const pool = this.#pools.get(backend.pool);
    if (pool === undefined) return;
    pool.retire(backend, 'removed');
    this.#refresh(pool);
  }

  backend(id: string): Backend<B> | undefined {
    return this.#backends.get(id);
  }

  // ---- the request path ----------------------------------------------------------------------

  /** Accepts an invocation into its function's queue, or says why not. */
  enqueue(invocation: T, now: number): EnqueueResult {
    const fn = this.#functions.get(invocation.functionName);
    if (fn === undefined) return this.#reject(undefined, invocation.functionName, 'unknown-function', 0);
    if (fn.maxQueued > 0 && fn.waiting >= fn.maxQueued) return this.#reject(fn, fn.name, 'function-queue-full', fn.maxQueued);
    if (this.#maxQueued > 0 && this.#waiting >= this.#maxQueued) return this.#reject(fn, fn.name, 'queue-full', this.#maxQueued);
    if (this.#tickets.has(invocation.id)) throw new SchedulerUsageError(`invocation ${invocation.id} is already scheduled`);

    // A call with features is predicted (and later learnt from) even when a hint overrides the prediction.
    const features = invocation.features;
    const request = features === undefined ? undefined : this.predictor.predictRequest(fn.name, features);
    const predictedDurationMs = invocation.expectedDurationMs ?? request?.predictedMs ?? this.predictor.predict(fn.name);
    const predictedMs = Math.max(MIN_PREDICTION_MS, predictedDurationMs + (invocation.remainingWorkflowMs ?? 0));
    let expiresAtMs = fn.maxQueueWaitMs > 0 ? now + fn.maxQueueWaitMs : Infinity;
    let expiryReason: ExpiryReason = 'max-queue-wait';
    const deadline = invocation.deadlineMs;
    if (deadline !== undefined && deadline < expiresAtMs) {
      expiresAtMs = deadline;
      expiryReason = 'deadline';
    }
    const pool = this.#pools.get(fn.pool) as Pool<Ticket<T, B>, B>;
    const waitCap = this.#policy.waitCap;
    const longestFifoWaitMs = waitCap === undefined ? Infinity : this.#fifoWaitMs(pool, now, predictedDurationMs, waitCap.fifoMemoryMs);
    const ticket = new Ticket<T, B>(
      invocation,
      fn,
      pool,
      request,
      predictedMs,
      predictedDurationMs,
      now,
      this.#seq++,
      expiresAtMs,
      expiryReason,
      fn.tier,
      atRiskAtMs(now, fn.deadlineMs, predictedDurationMs),
      latestStartMs(now, fn.deadlineMs, predictedDurationMs),
    );
    this.#tickets.set(invocation.id, ticket);
    pool.queue.arrived(now, longestFifoWaitMs);
    pool.queue.add(ticket);
    if (expiresAtMs !== Infinity) this.#expiries.push(ticket);
    fn.waiting++;
    fn.counters.accepted++;
    this.#waiting++;
    if (pool.hasFreeSlot) this.#ready.add(pool);
    return ACCEPTED;
  }

  /**
   * Every invocation that may start now, each with its backend, best first, never exceeding a
   * backend's capacity or the global in-flight limit. A full pool does not hold up the others.
   */
  dispatch(now: number): readonly Assignment<T, B>[] {
    if (this.#ready.size === 0 || (this.#maxInFlight > 0 && this.#inFlight >= this.#maxInFlight)) return NOTHING;
    const started: Assignment<T, B>[] = [];
    if (this.#maxInFlight === 0) {
      const ready = this.#ready;
      for (let i = 0; i < ready.size; i++) {
        const pool = ready.at(i);
        while (pool.queue.size > 0 && pool.hasFreeSlot) {
          const ticket = this.#bestOf(pool, now);
          if (ticket === undefined) break;
          this.#start(ticket, pool, now, started);
        }
      }
      this.#ready.clear();
      return started;
    }
    while (this.#inFlight < this.#maxInFlight && this.#ready.size > 0) {
      let chosen: Ticket<T, B> | undefined;
      let chosenKey = Infinity;
      const ready = this.#ready;
      // Backwards, so that a pool with nothing it may start now can leave the set during the loop.
      for (let i = ready.size - 1; i >= 0; i--) {
        const pool = ready.at(i);
        const candidate = this.#bestOf(pool, now);
        if (candidate === undefined) {
          this.#ready.delete(pool);
          continue;
        }
        const key = pool.queue.bestKey;
        if (chosen === undefined || key < chosenKey || (key === chosenKey && candidate.seq < chosen.seq)) {
          chosen = candidate;
          chosenKey = key;
        }
      }
      if (chosen === undefined) break;
      const pool = chosen.pool;
      this.#start(chosen, pool, now, started);
      this.#refresh(pool);
    }
    return started;
  }

  /** Waiting invocations whose max queue wait or deadline has passed, removed from the queue. */
  expire(now: number): readonly Expired<T>[] {
    let top = this.#expiries.peek();
    if (top === undefined || top.expiresAtMs > now) return NOTHING;
    const expired: Expired<T>[] = [];
    while (top !== undefined && top.expiresAtMs <= now) {
      this.#unqueue(top);
      top.fn.counters.expired++;
      top.fn.countLatency(Infinity);
      expired.push({ invocation: top.invocation, reason: top.expiryReason, waitedMs: now - top.arrivalMs });
      top = this.#expiries.peek();
    }
    return expired;
  }

  /** When the next waiting invocation will expire (Infinity if none will): when to call expire. */
  nextExpiryMs(): number {
    return this.#expiries.peek()?.expiresAtMs ?? Infinity;
  }

  /**
   * A waiting invocation's client went away: forget it. Returns false if it is unknown or already
   * started (then abort the call and `complete` it).
   */
  cancel(id: InvocationId): boolean {
    const ticket = this.#tickets.get(id);
    if (ticket === undefined || ticket.backend !== undefined) return false;
    this.#unqueue(ticket);
    ticket.fn.counters.cancelled++;
    return true;
  }

  /**
   * A started invocation finished (or was aborted): free its slot. Pass the observed duration to
   * teach the predictor (and an `auto` backend's controller); leave it out when the call failed and
   * its duration says nothing. `now`, when it ended, is for an `auto` backend's controller; left out,
   * it is taken as the start plus the observed duration. Returns false, changing nothing, for an
   * invocation that is not in flight, so a second call is harmless.
   */
  complete(id: InvocationId, observedDurationMs?: number, now?: number): boolean {
    const ticket = this.#tickets.get(id);
    const backend = ticket?.backend;
    if (ticket === undefined || backend === undefined) return false;
    this.#tickets.delete(id);
    const fn = ticket.fn;
    fn.inFlight--;
    fn.counters.completed++;
    this.#inFlight--;
    this.#leaveBackend(ticket, backend);
    if (observedDurationMs !== undefined) {
      this.predictor.observe(fn.name, ticket.predictedDurationMs, observedDurationMs, ticket.request);
      fn.countLatency(ticket.startedAtMs - ticket.arrivalMs + observedDurationMs);
    }
    const flight = ticket.flight;
    if (flight !== undefined) {
      ticket.flight = undefined;
      const keeper = flight.keeper;
      if (keeper?.completed(flight, observedDurationMs, now) === true && backend.controller === keeper) this.#applyLearnt(backend);
    }
    return true;
  }

  /**
   * A started invocation never reached its backend (the connection was refused, nothing was sent):
   * it waits again, in its place by arrival, with its own arrival time, prediction and deadline, and
   * is not counted as accepted a second time. Its slot is freed without teaching the predictor.
   * The queue limits bound admission, not retries: a retried call was admitted once and is never
   * dropped, so it may take the queue past `maxQueued` for a while.
   * Returns false, changing nothing, for an invocation that is not in flight.
   */
  retry(id: InvocationId): boolean {
    const ticket = this.#tickets.get(id);
    const backend = ticket?.backend;
    if (ticket === undefined || backend === undefined) return false;
    const fn = ticket.fn;
    this.#leaveBackend(ticket, backend);
    ticket.backend = undefined;
    ticket.flight?.keeper?.abandoned(ticket.flight);
    ticket.flight = undefined;
    fn.inFlight--;
    fn.counters.dispatched--;
    fn.counters.retried++;
    this.#inFlight--;
    const pool = this.#poolNamed(fn.pool, `function ${fn.name}`);
    ticket.pool = pool;
    pool.queue.restore(ticket);
    if (ticket.expiresAtMs !== Infinity) this.#expiries.push(ticket);
    fn.waiting++;
    this.#waiting++;
    this.#refresh(pool);
    return true;
  }

  /** Could an invocation of this pool start on one of its backends now (ignoring the global limit)? */
  hasFreeSlot(poolName: string): boolean {
    return this.#pools.get(poolName)?.hasFreeSlot ?? false;
  }

  /** The backend a started invocation runs on; undefined while it waits, or once it is over. */
  backendOf(id: InvocationId): Backend<B> | undefined {
    return this.#tickets.get(id)?.backend;
  }

  /** Is this invocation waiting, running, or unknown to the scheduler? */
  stateOf(id: InvocationId): 'waiting' | 'running' | 'unknown' {
    const ticket = this.#tickets.get(id);
    if (ticket === undefined) return 'unknown';
    return ticket.backend === undefined ? 'waiting' : 'running';
  }

  // ---- read-only views -----------------------------------------------------------------------

  counters(functionName: string): Readonly<FunctionCounters> {
    return this.#functions.get(functionName)?.counters ?? emptyCounters();
  }

  /** A consistent picture of queues, predictions and backends, for metrics and debugging. */
  snapshot(now: number): SchedulerSnapshot {
    const oldestArrival = new Map<FunctionState, number>();
    for (const ticket of this.#tickets.values()) {
      if (ticket.backend !== undefined) continue;
      const oldest = oldestArrival.get(ticket.fn);
      if (oldest === undefined || ticket.arrivalMs < oldest) oldestArrival.set(ticket.fn, ticket.arrivalMs);
    }
    const functions = [...this.#functions.values()].map((fn): FunctionSnapshot => {
      const oldest = oldestArrival.get(fn);
      return {
        name: fn.name,
        pool: fn.pool,
        priority: fn.priority,
        deadlineMs: fn.deadlineMs,
        waiting: fn.waiting,
        inFlight: fn.inFlight,
        oldestWaitMs: oldest === undefined ? 0 : now - oldest,
        predictedMs: this.predictor.predict(fn.name),
        prediction: this.predictor.stats(fn.name),
        requests: this.predictor.requestStats(fn.name),
        counters: structuredCloneCounters(fn.counters),
      };
    });
    const pools = [...this.#pools.values()].map(
      (pool): PoolSnapshot => ({
        name: pool.name,
        loadBalancing: pool.loadBalancing,
        waiting: pool.queue.size,
        inFlight: pool.inFlight,
        backends: pool.backends.map((b) => ({
          id: b.id,
          capacity: b.capacity,
          inFlight: b.inFlight,
          state: b.state,
          ...(b.controller === undefined ? {} : { concurrency: b.controller.state() }),
        })),
      }),
    );
    return {
      policy: { name: this.#policy.name, parameters: this.#policy.parameters },
      waiting: this.#waiting,
      inFlight: this.#inFlight,
      maxQueued: this.#maxQueued,
      maxInFlight: this.#maxInFlight,
      pools,
      functions,
    };
  }

  // ---- internals -----------------------------------------------------------------------------

  /** The longest recent wait FIFO would have given, the pool's slots and the global limit both counted. */
  #fifoWaitMs(pool: Pool<Ticket<T, B>, B>, now: number, predictedDurationMs: number, memoryMs: number): number {
    const poolWaitMs = pool.fifo.arrive(now, predictedDurationMs, pool.slots, memoryMs);
    if (this.#maxInFlight === 0) return poolWaitMs;
    return Math.max(poolWaitMs, this.#globalFifo.arrive(now, predictedDurationMs, this.#maxInFlight, memoryMs));
  }

  /**
   * The pool's next invocation: the first capped one while a lane of the capped share has room
   * (capped-lanes.ts: on its top lane, the first capped one of the highest waiting tier), else the
   * best by tier, within it one at risk of missing its deadline while those hold less than their share, else the policy's best (see PoolQueue).
   * Undefined when the only calls that could start are long ones held to a long-work budget.
   */
  #bestOf(pool: Pool<Ticket<T, B>, B>, now: number): Ticket<T, B> | undefined {
    pool.updateLongRoom();
    const cappedSlots = pool.slotsFor(this.#policy.cappedShare);
    const sharedSlots = sharedLaneSlots(cappedSlots);
    const sharedOpen = pool.cappedInFlight - pool.topLaneInFlight < sharedSlots;
    const topOpen = pool.topLaneInFlight < cappedSlots - sharedSlots;
    const riskOpen = pool.hasShareFor(pool.atRiskInFlight, AT_RISK_SLOT_SHARE);
    return pool.queue.best(now, sharedOpen, topOpen, riskOpen, pool.slots);
  }

  #start(ticket: Ticket<T, B>, pool: Pool<Ticket<T, B>, B>, now: number, started: Assignment<T, B>[]): void {
    // Only a split queue marks calls long.
    const long = ticket.queuedLong;
    const backend = pool.pickBackend(long) as Backend<B>;
    pool.queue.remove(ticket);
    if (ticket.expiryIndex >= 0) this.#expiries.remove(ticket);
    ticket.backend = backend;
    ticket.startedAtMs = now;
    // What the pool's queue last said about its best call is why this one starts now.
    ticket.startedCapped = isCappedKey(pool.queue.bestKey);
    ticket.startedAtRisk = pool.queue.bestAtRisk;
    ticket.startedOnTopLane = ticket.startedCapped && pool.queue.bestOnTopLane;
    if (ticket.startedCapped) pool.cappedInFlight++;
    if (ticket.startedOnTopLane) pool.topLaneInFlight++;
    if (ticket.startedAtRisk) pool.atRiskInFlight++;
    const controller = backend.controller;
    if (controller !== undefined) {
      const flight = controller.started(ticket.predictedDurationMs, now);
      ticket.flight = flight;
      if (long) {
        flight.heldToBudget = true;
        backend.longInFlight++;
      }
    }
    pool.occupy(backend);
    const fn = ticket.fn;
    fn.waiting--;
    fn.inFlight++;
    fn.counters.dispatched++;
    this.#waiting--;
    this.#inFlight++;
    started.push({
      invocation: ticket.invocation,
      backend,
      waitedMs: now - ticket.arrivalMs,
      predictedMs: ticket.predictedMs,
      // A call that starts before it is capped could have waited at least the cap delay in force.
      waitCapMs: ticket.cappedAtMs === Infinity ? pool.queue.capDelayMs(ticket.tier) : ticket.cappedAtMs - ticket.arrivalMs,
    });
  }

  /** Frees the slot a started ticket holds on its backend. */
  #leaveBackend(ticket: Ticket<T, B>, backend: Backend<B>): void {
    const flight = ticket.flight;
    if (flight !== undefined && flight.heldToBudget) {
      flight.heldToBudget = false;
      backend.longInFlight--;
    }
    const pool = this.#pools.get(backend.pool);
    if (pool === undefined) {
      backend.inFlight--;
      return;
    }
    pool.release(backend);
    if (ticket.startedCapped) pool.cappedInFlight--;
    if (ticket.startedOnTopLane) pool.topLaneInFlight--;
    if (ticket.startedAtRisk) pool.atRiskInFlight--;
    ticket.startedCapped = false;
    ticket.startedOnTopLane = false;
    ticket.startedAtRisk = false;
    if (pool.queue.size > 0 && pool.hasFreeSlot) this.#ready.add(pool);
  }

  /** Takes a waiting ticket out of every structure (cancel, expiry, removal). */
  #unqueue(ticket: Ticket<T, B>): void {
    ticket.pool.queue.remove(ticket);
    if (ticket.expiryIndex >= 0) this.#expiries.remove(ticket);
    this.#tickets.delete(ticket.invocation.id);
    ticket.fn.waiting--;
    this.#waiting--;
    if (ticket.pool.queue.size === 0) this.#ready.delete(ticket.pool);
  }

  /**
   * Validates a backend's capacity setting and gives it a controller (auto) or none (fixed); returns
   * the capacity to put in force now.
   */
  #capacityFrom(pool: Pool<Ticket<T, B>, B>, backend: Backend<B>, setting: CapacitySetting): number {
    if (!isAutoCapacity(setting)) {
      nonNegativeInteger(`backend ${backend.id} capacity`, setting, 0);
      backend.controller = undefined;
      backend.longBudget = Infinity;
      return setting;
    }
    const controller = new ConcurrencyController({ min: setting.min, max: setting.max }, `backend ${backend.id} capacity`);
    backend.controller = controller;
    backend.longBudget = controller.longBudget;
    pool.queue.splitLongWork();
    return capacityOf(controller.limit);
  }

  /** Puts what an `auto` backend's controller concluded in force: its limit and long-work budget. */
  #applyLearnt(backend: Backend<B>): void {
    const controller = backend.controller as ConcurrencyController;
    const pool = this.#pools.get(backend.pool);
    if (pool === undefined) return;
    pool.setCapacity(backend, capacityOf(controller.limit));
    backend.longBudget = controller.longBudget;
    let longFromMs = Infinity;
    for (const member of pool.backends) {
      if (member.controller !== undefined && member.state === 'active') longFromMs = Math.min(longFromMs, member.controller.longFromMs);
    }
    pool.queue.longFromMs = longFromMs;
    this.#refresh(pool);
  }

  #refresh(pool: Pool<Ticket<T, B>, B>): void {
    if (pool.queue.size > 0 && pool.hasFreeSlot) this.#ready.add(pool);
    else this.#ready.delete(pool);
  }

  #reject(fn: FunctionState | undefined, functionName: string, reason: RejectionReason, limit: number): Rejected {
    if (fn !== undefined) fn.counters.rejected[reason]++;
    return { accepted: false, reason, functionName, limit };
  }

  #poolNamed(name: string, user: string): Pool<Ticket<T, B>, B> {
    const pool = this.#pools.get(name);
    if (pool === undefined) throw new SchedulerUsageError(`${user} refers to unknown pool ${name}`);
    return pool;
  }

  #backendWithId(id: string): Backend<B> {
    const backend = this.#backends.get(id);
    if (backend === undefined) throw new SchedulerUsageError(`unknown backend ${id}`);
    return backend;
  }
}

/** A controller's limit as a backend capacity: Infinity (no limit) is 0 (unlimited). */
function capacityOf(limit: number): number {
  return limit === Infinity ? 0 : limit;
}

function structuredCloneCounters(counters: FunctionCounters): FunctionCounters {
  return { ...counters, rejected: { ...counters.rejected } };
}
