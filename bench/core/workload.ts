import { contentLengthOf, requestFeatures, Scheduler, type InvocationRequest, type PolicyName } from '@shortline/core';
import type { BenchRequest } from './bench-requests.js';

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
 *
 * Given `requests`, each invocation takes one in turn, is ranked by its true duration (given as a
 * trusted hint) and completes with it; with `features` it also carries its request's features, read
 * from the request line and headers as the proxy reads them, so the scheduler predicts it and learns
 * from it as well. Ranked alike, the two differ by exactly the request feature path.
 */
export class SteadyQueue {
  readonly scheduler: Scheduler<BenchCall>;
  readonly #functionNames: string[];
  readonly #random: () => number;
  readonly #requests: readonly BenchRequest[] | undefined;
  readonly #features: boolean;
  #nextId = 0;
  #running = -1;
  #now = 0;

  constructor(policy: PolicyName, waiting: number, functions: number, requests?: readonly BenchRequest[], features = false) {
    this.#requests = requests;
    this.#features = features;
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
    this.scheduler.complete(this.#running, this.#requests === undefined ? 1 : this.#requestOf(this.#running).durationMs);
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
    const id = this.#nextId++;
    if (this.#requests === undefined) {
      this.scheduler.enqueue({ id, functionName }, this.#now);
      return;
    }
    const { method, url, headers, durationMs } = this.#requestOf(id);
    if (!this.#features) {
      this.scheduler.enqueue({ id, functionName, expectedDurationMs: durationMs }, this.#now);
      return;
    }
    const contentLength = contentLengthOf(headers['content-length'], headers['transfer-encoding'] !== undefined);
    const features = requestFeatures(method, url, contentLength, headers['ce-type']);
    this.scheduler.enqueue({ id, functionName, features, expectedDurationMs: durationMs }, this.#now);
  }

  #requestOf(id: number): BenchRequest {
    const requests = this.#requests as readonly BenchRequest[];
    return requests[id % requests.length] as BenchRequest;
  }
}
