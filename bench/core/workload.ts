import { Scheduler, type InvocationRequest, type PolicyName } from '@shortline/core';

export interface BenchCall extends InvocationRequest {
  readonly id: number;
}

/** A deterministic uniform source, so that every run benchmarks the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A scheduler held at a steady state: one slot, busy, with `waiting` invocations queued over
 * `functions` functions whose expected durations spread log-uniformly from 1 ms to 100 s (like the
 * Azure trace). `cycle()` is the proxy's per-request work: enqueue one, complete the running one,
 * dispatch the next — so the queue depth stays at `waiting`.
 */
export class SteadyQueue {
  readonly scheduler: Scheduler<BenchCall>;
  readonly #functionNames: string[];
  readonly #random: () => number;
  #nextId = 0;
  #running = -1;
  #now = 0;

  constructor(policy: PolicyName, waiting: number, functions: number) {
    this.#random = seededRandom(waiting * 31 + functions);
    this.#functionNames = Array.from({ length: functions }, (_, i) => `fn-${i}`);
    this.scheduler = new Scheduler<BenchCall>({
      policy,
      pools: [{ name: 'pool' }],
      functions: this.#functionNames.map((name) => ({ name, pool: 'pool', expectedDurationMs: 10 ** (5 * this.#random()) })),
    });
    this.scheduler.addBackend('pool', { id: 'backend', capacity: 1 });
    this.#enqueue();
    this.#running = (this.scheduler.dispatch(0)[0] as { invocation: BenchCall }).invocation.id;
    for (let i = 0; i < waiting; i++) this.#enqueue();
  }

  cycle(): void {
    this.#now += 1;
    this.#enqueue();
    this.scheduler.complete(this.#running, 1);
    const started = this.scheduler.dispatch(this.#now);
    this.#running = (started[0] as { invocation: BenchCall }).invocation.id;
  }

  /** Enqueue one, cancel one already waiting: the queue depth stays the same. */
  enqueueAndCancel(): void {
    this.#now += 1;
    const cancelled = this.#nextId - 1 - Math.floor(this.#random() * Math.min(1000, this.scheduler.waiting));
    this.#enqueue();
    this.scheduler.cancel(cancelled);
  }

  #enqueue(): void {
    const functionName = this.#functionNames[Math.floor(this.#random() * this.#functionNames.length)] as string;
    this.scheduler.enqueue({ id: this.#nextId++, functionName }, this.#now);
  }
}
