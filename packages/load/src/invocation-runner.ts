import { isSuccess, type RecordStatus } from '@shortline/sim';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Answer, HttpClient } from './http-client.js';
import type { LoadInvocation } from './invocation.js';
import type { RequestBuilder } from './request-builder.js';

/** What became of one invocation: its answer, when it was sent and how long it took. */
export interface InvocationResult extends Omit<Answer, 'endedAt'> {
  /** When it went out, in ms on the schedule's clock; NaN if it never did. */
  readonly sentMs: number;
  /** From its scheduled time to the end of the answer; NaN without an HTTP answer. */
  readonly latencyMs: number;
  /** The request's path without its query. */
  readonly route: string;
}

export interface InvocationRunnerOptions {
  readonly client: HttpClient;
  readonly request: RequestBuilder;
  /** Called once per invocation, sent or not, as it ends. */
  onSettled(invocation: LoadInvocation, result: InvocationResult): void;
}

/** The running counts a progress line shows. */
export interface RunnerCounts {
  readonly sent: number;
  readonly settled: number;
  readonly inFlight: number;
  /** Settled without a 2xx or 3xx answer. */
  readonly failed: number;
  readonly maxLagMs: number;
}

const NO_ANSWER = { queueMs: NaN, upstreamMs: NaN, cpuMs: NaN, peakRssKb: NaN, captured: undefined } as const;

/**
 * Sends invocations and settles each exactly once, for both drivers (the open loop and the sweep).
 * The schedule's clock is `performance.now() - origin`: invocation i is due at origin + scheduledMs.
 */
export class InvocationRunner {
  origin = 0;
  readonly #options: InvocationRunnerOptions;
  readonly #inFlight = new Set<Promise<void>>();
  #cut = false;
  #sent = 0;
  #settled = 0;
  #failed = 0;
  #maxLagMs = 0;

  constructor(options: InvocationRunnerOptions) {
    this.#options = options;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** The schedule's clock now, in ms. */
  clockMs(): number {
    return performance.now() - this.origin;
  }

  counts(): RunnerCounts {
    return { sent: this.#sent, settled: this.#settled, inFlight: this.#inFlight.size, failed: this.#failed, maxLagMs: this.#maxLagMs };
  }

  /** Sends now; resolves once the invocation is settled. */
  send(invocation: LoadInvocation): Promise<void> {
    const call = this.#options.request(invocation);
    const dueAt = this.origin + invocation.scheduledMs;
    const sentAt = performance.now();
    const lag = sentAt - dueAt;
    if (lag > this.#maxLagMs) this.#maxLagMs = lag;
    this.#sent++;
    const settled = this.#options.client.send(call).then((answer) => {
      this.#inFlight.delete(settled);
      // A request cut when a stopped run's grace ended fails with whatever undici says; it was aborted.
      const status: RecordStatus = this.#cut && typeof answer.status !== 'number' ? 'aborted' : answer.status;
      this.#settle(invocation, {
        ...answer,
        status,
        sentMs: sentAt - this.origin,
        latencyMs: typeof status === 'number' ? answer.endedAt - dueAt : NaN,
        route: call.route,
      });
    });
    this.#inFlight.add(settled);
    return settled;
  }

  /** Settles an invocation that was due but never sent. */
  notSent(invocation: LoadInvocation): void {
    this.#settle(invocation, { ...NO_ANSWER, status: 'not-sent', sentMs: NaN, latencyMs: NaN, route: this.#options.request(invocation).route });
  }

  /** Resolves when nothing is in flight (each request is bounded by the client's timeout). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  /** Lets what is in flight finish for up to `graceMs`, then cuts the rest (settled as aborted). */
  async stop(graceMs: number): Promise<void> {
    const grace = new AbortController();
    await Promise.race([this.idle(), sleep(graceMs, undefined, { signal: grace.signal }).catch(() => undefined)]);
    grace.abort();
    if (this.#inFlight.size === 0) return;
    this.#cut = true;
    await this.#options.client.destroy();
    await this.idle();
  }

  #settle(invocation: LoadInvocation, result: InvocationResult): void {
    this.#settled++;
    if (!isSuccess(result.status)) this.#failed++;
    this.#options.onSettled(invocation, result);
  }
}
