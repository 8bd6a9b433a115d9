import { LongWorkQueue, type WorkSized } from '../capacity/long-work-queue.js';
import type { Policy } from '../policies/policy.js';
import { ArrivalOrder, type ArrivalLinked } from './arrival-order.js';
import { MAX_JUMP_RATIO } from './deadline-risk.js';
import { capDelayMs, type WaitCap } from './wait-cap.js';
import type { WaitingQueue } from '../policies/waiting-queue.js';
import { IndexedHeap } from '../structures/indexed-heap.js';
import { TIER_CAP_STRETCH, TIER_COUNT, type Tier } from './priority.js';
import { atRiskKey, cappedKey, tierKey } from './rank-key.js';

/** What a pool's queue reads and writes on a waiting call, beyond what a policy's queue needs. */
export interface PoolQueued extends WorkSized, ArrivalLinked {
  readonly tier: Tier;
  /** When it counts as at risk of missing its function's deadline; Infinity: never. */
  readonly atRiskAtMs: number;
  /** The last moment it can start and still meet its deadline, by its prediction. */
  readonly latestStartMs: number;
  riskIndex: number;
}

function heap<Q extends PoolQueued>(
  less: (a: Q, b: Q) => boolean,
  index: 'riskIndex',
): IndexedHeap<Q> {
  return new IndexedHeap<Q>(
    less,
    (item) => item[index],
    (item, at) => {
      item[index] = at;
    },
  );
}

/**
 * The waiting calls of one pool, and which should start next. Every call waits in its tier's policy
 * queue; the next call is
 *
 * - while a lane of the capped share has room (`sharedOpen`, `topOpen`; capped-lanes.ts): the capped call that arrived
 *   first — on the top lane, the first of the highest tier with a call waiting. A call is capped once
 *   its wait reaches the pool's cap delay in force (the one the latest arrival set; see `arrived`)
 *   times its tier's stretch: this is the starvation bound.
 * - otherwise by tier, high before normal before low, and within a tier: the call at risk of missing
 *   its deadline with the least slack (earliest latest start), while calls at risk hold less than
 *   their share of the slots and it is predicted to take at most MAX_JUMP_RATIO times as long as the
 *   call the policy would start instead; else the policy's order. Capped calls take part here too,
 *   so that being capped never puts a call behind where it stood.
 *
 * A call that can no longer meet its deadline is not promoted at the others' expense: one whose
 * latest start has passed stops counting as at risk, and one that comes due while the calls already
 * at risk in its tier would, spread over the pool's slots, keep it from starting before its latest
 * start never counts as at risk. Either waits in the policy's order like any other. Calls become capped or at risk only as time passes; each such change happens once, when
 * `best(now)` first looks after it is due: the capped calls are a prefix of the calls in arrival order
 * (ArrivalOrder, O(1) per call), and a heap of pending risks makes that O(log n) per call at risk.
 * Both are second indices into the policy queues, not separate queues.
 *
 * Once a backend that learns its concurrency joins, each tier's queue is split by predicted work
 * (LongWorkQueue): while no backend has room for another long call, held long calls neither take the
 * capped lane nor jump as at risk, and short calls go on starting past them.
 */
export class PoolQueue<Q extends PoolQueued> {
  readonly #policy: Policy;
  readonly #tiers: WaitingQueue<Q>[];
  /** The tiers' queues split by predicted work, once splitLongWork was called. */
  #split: LongWorkQueue<Q>[] | undefined = undefined;
  #longFromMs = Infinity;
  #longRoom = true;
  readonly #atRisk: IndexedHeap<Q>[];
  /** The predicted slot time of the calls at risk, per tier. */
  readonly #atRiskWorkMs: number[];
  /** Per tier: a tier's cap delay is its stretch times the pool's, so its capped calls are a prefix of its own arrivals. */
  readonly #arrivals = Array.from({ length: TIER_COUNT }, () => new ArrivalOrder<Q>());
  /** The recent longest FIFO wait as of the latest arrival: what the cap delays in force come from (Infinity: none yet). */
  #longestFifoWaitMs = Infinity;
  /** The cap delay in force per tier (Infinity: none yet, or no caps). */
  readonly #capDelaysMs: number[] = Array.from({ length: TIER_COUNT }, () => Infinity);
  /** When it came into force. */
  #capDelaySinceMs = -Infinity;
  readonly #risksDue = heap<Q>((a, b) => a.atRiskAtMs < b.atRiskAtMs || (a.atRiskAtMs === b.atRiskAtMs && a.seq < b.seq), 'riskIndex');
  readonly #capsApply: boolean;
  #size = 0;
  /** The rank of the call the last `best` returned (see rank-key.ts); Infinity when none. */
  bestKey = Infinity;
  /** The call the last `best` returned takes a slot of the capped share's top-tier lane (capped-lanes.ts). */
  bestOnTopLane = false;
  /** The call the last `best` returned goes ahead because it is at risk of missing its deadline. */
  bestAtRisk = false;

  constructor(policy: Policy) {
    this.#policy = policy;
    this.#tiers = Array.from({ length: TIER_COUNT }, (_, tier) => policy.createQueue<Q>(tier as Tier));
    this.#atRisk = Array.from({ length: TIER_COUNT }, () =>
      heap<Q>((a, b) => a.latestStartMs < b.latestStartMs || (a.latestStartMs === b.latestStartMs && a.seq < b.seq), 'riskIndex'),
    );
    this.#atRiskWorkMs = Array.from({ length: TIER_COUNT }, () => 0);
    this.#capsApply = policy.waitCap !== undefined;
  }

  get size(): number {
    return this.#size;
  }

  get isSplit(): boolean {
    return this.#split !== undefined;
  }

  /** Splits every tier's queue by predicted work (once; later calls keep the split). Calls already held stay short. */
  splitLongWork(): void {
    if (this.#split !== undefined) return;
    const split = this.#tiers.map((queue, tier) => new LongWorkQueue<Q>(queue, this.#policy.createQueue<Q>(tier as Tier)));
    for (let t = 0; t < split.length; t++) this.#tiers[t] = split[t] as LongWorkQueue<Q>;
    this.#split = split;
    this.longFromMs = this.#longFromMs;
    this.longRoom = this.#longRoom;
  }

  /** Calls predicted to take at least this long are held apart as long work; Infinity: none is. */
  get longFromMs(): number {
    return this.#longFromMs;
  }

  set longFromMs(ms: number) {
    this.#longFromMs = ms;
    if (this.#split !== undefined) for (const queue of this.#split) queue.longFromMs = ms;
  }

  /** May a long call start now? The pool sets it before asking for the best. */
  set longRoom(room: boolean) {
    this.#longRoom = room;
    if (this.#split !== undefined) for (const queue of this.#split) queue.longRoom = room;
  }

  /** The cap delay in force for a tier: how long its calls may wait before they are capped, as things stand. */
  capDelayMs(tier: Tier): number {
    return this.#capDelaysMs[tier] as number;
  }

  /**
   * A call arrived at `now` when the recent longest FIFO wait, its own included, was
   * `longestFifoWaitMs`: from now on the cap delays that gives (capDelayMs in wait-cap.ts) are those of
   * every call of the pool, the ones that came before included, until the next arrival. Call it before `add`.
   */
  arrived(now: number, longestFifoWaitMs: number): void {
    const waitCap = this.#policy.waitCap;
    if (waitCap === undefined) return;
    this.#capUpTo(now);
    this.#longestFifoWaitMs = longestFifoWaitMs;
    for (let t = 0; t < TIER_COUNT; t++) this.#capDelaysMs[t] = capDelayMs(waitCap, longestFifoWaitMs, TIER_CAP_STRETCH[t] as number);
    this.#capDelaySinceMs = now;
  }

  /** A new call: it arrived after every call held. */
  add(item: Q): void {
    (this.#tiers[item.tier] as WaitingQueue<Q>).add(item);
    if (this.#capsApply) (this.#arrivals[item.tier] as ArrivalOrder<Q>).add(item);
    this.#track(item);
  }

  /** A call that left and comes back (a retry, a move from another pool): it takes its place by arrival again. */
  restore(item: Q): void {
    (this.#tiers[item.tier] as WaitingQueue<Q>).restore(item);
    if (this.#capsApply) {
      (this.#arrivals[item.tier] as ArrivalOrder<Q>).restore(item, Math.max(this.#capDelaySinceMs, item.arrivalMs + this.capDelayMs(item.tier)));
    }
    this.#track(item);
  }

  /** Takes over the cap in force of the queue this one replaces (a new policy); the calls keep whether they are capped. */
  adoptCapsFrom(previous: PoolQueue<Q>): void {
    if (!this.#capsApply) return;
    this.#capDelaySinceMs = previous.#capDelaySinceMs;
    const waitCap = this.#policy.waitCap as WaitCap;
    this.#longestFifoWaitMs = previous.#longestFifoWaitMs;
    for (let t = 0; t < TIER_COUNT; t++) this.#capDelaysMs[t] = capDelayMs(waitCap, this.#longestFifoWaitMs, TIER_CAP_STRETCH[t] as number);
    for (let t = 0; t < TIER_COUNT; t++) (this.#arrivals[t] as ArrivalOrder<Q>).adoptCapsFrom(previous.#arrivals[t] as ArrivalOrder<Q>);
  }

  #track(item: Q): void {
    this.#size++;
    if (item.atRiskAtMs !== Infinity) this.#risksDue.push(item);
  }

  remove(item: Q): void {
    this.#size--;
    (this.#tiers[item.tier] as WaitingQueue<Q>).remove(item);
    if (this.#capsApply) (this.#arrivals[item.tier] as ArrivalOrder<Q>).remove(item);
    if (!this.#risksDue.remove(item) && (this.#atRisk[item.tier] as IndexedHeap<Q>).remove(item)) this.#leaveRisk(item);
  }

  #leaveRisk(item: Q): void {
    const tier = item.tier;
    this.#atRiskWorkMs[tier] = (this.#atRisk[tier] as IndexedHeap<Q>).size === 0 ? 0 : (this.#atRiskWorkMs[tier] as number) - item.predictedDurationMs;
  }

  /**
   * The call to start next on a pool of `slots` slots, without removing it; `bestKey` is left at its
   * rank, a capped key (isCappedKey) when it is the capped call taking a slot of the capped share.
   * `sharedOpen`, `topOpen` and `riskOpen` say whether capped calls (on each lane) and calls at risk may
   * still take slots ahead.
   */
  best(now: number, sharedOpen: boolean, topOpen: boolean, riskOpen: boolean, slots: number): Q | undefined {
    this.#capUpTo(now);
    this.#advanceRisks(now, slots);
    this.bestAtRisk = false;
    this.bestOnTopLane = false;
    if (sharedOpen || topOpen) {
      const from = sharedOpen ? 0 : this.#topWaitingTier();
      const capped = this.#oldestCapped(from, sharedOpen ? TIER_COUNT : from + 1);
      if (capped !== undefined) {
        this.bestKey = cappedKey(capped.arrivalMs);
        this.bestOnTopLane = !sharedOpen;
        return capped;
      }
    }
    for (let t = 0; t < TIER_COUNT; t++) {
      const tier = t as Tier;
      const atRisk = this.#atRisk[tier] as IndexedHeap<Q>;
      let risky = atRisk.peek();
      while (risky !== undefined && risky.latestStartMs < now) {
        atRisk.pop();
        this.#leaveRisk(risky);
        risky = atRisk.peek();
      }
      const queue = this.#tiers[tier] as WaitingQueue<Q>;
      const best = queue.size > 0 ? queue.best(now) : undefined;
      if (best !== undefined) {
        if (
          risky !== undefined &&
          riskOpen &&
          (this.#longRoom || !risky.queuedLong) &&
          risky.predictedMs <= MAX_JUMP_RATIO * best.predictedMs
        ) {
          this.bestKey = atRiskKey(tier, risky.latestStartMs);
          this.bestAtRisk = true;
          return risky;
        }
        this.bestKey = tierKey(tier, queue.bestKey);
        return best;
      }
    }
    this.bestKey = Infinity;
    return undefined;
  }

  /** Caps every call whose wait has reached the cap delay in force. */
  #capUpTo(now: number): void {
    for (let t = 0; t < TIER_COUNT; t++) {
      const delayMs = this.#capDelaysMs[t] as number;
      if (delayMs !== Infinity) (this.#arrivals[t] as ArrivalOrder<Q>).capThrough(now - delayMs, delayMs, this.#capDelaySinceMs);
    }
  }

  /** The highest tier with a call waiting (TIER_COUNT when none waits). */
  #topWaitingTier(): number {
    let t = 0;
    while (t < TIER_COUNT && (this.#tiers[t] as WaitingQueue<Q>).size === 0) t++;
    return t;
  }

  /**
   * The capped call that arrived first over the tiers from `fromTier` up to `toTier` (excluded), of
   * those that may start now (a held long call may not).
   */
  #oldestCapped(fromTier: number, toTier: number): Q | undefined {
    let oldest: Q | undefined;
    for (let t = fromTier; t < toTier; t++) {
      const capped = (this.#arrivals[t] as ArrivalOrder<Q>).oldestCapped;
      if (capped !== undefined && (this.#longRoom || !capped.queuedLong) && (oldest === undefined || capped.seq < oldest.seq)) oldest = capped;
    }
    return oldest;
  }

  /** Risks that have come due since the last look. */
  #advanceRisks(now: number, slots: number): void {
    let risky = this.#risksDue.peek();
    while (risky !== undefined && risky.atRiskAtMs <= now) {
      this.#risksDue.pop();
      const tier = risky.tier;
      if (now + (this.#atRiskWorkMs[tier] as number) / slots <= risky.latestStartMs) {
        (this.#atRisk[tier] as IndexedHeap<Q>).push(risky);
        this.#atRiskWorkMs[tier] = (this.#atRiskWorkMs[tier] as number) + risky.predictedDurationMs;
      }
      risky = this.#risksDue.peek();
    }
  }

  /** Every waiting call, in no particular order. */
  items(): Iterable<Q> {
    return (function* (tiers) {
      for (const queue of tiers) yield* queue.items();
    })(this.#tiers);
  }
}
