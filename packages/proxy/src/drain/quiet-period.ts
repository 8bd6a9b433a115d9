/**
 * Knative's drain rule as a pure state machine: once draining begins, the pod keeps serving until
 * `quietPeriodMs` passes with no new request; every request restarts the wait. Once quiet it stays
 * quiet (later requests are still served, they just do not reopen the drain). `reset` abandons a
 * drain, as the queue-proxy does when /wait-for-drain was called without a SIGTERM following.
 */
export class QuietPeriod {
  readonly quietPeriodMs: number;
  #drainingSinceMs: number | undefined;
  #lastRequestMs = -Infinity;
  #quiet = false;

  constructor(quietPeriodMs: number) {
    if (!(quietPeriodMs >= 0 && Number.isFinite(quietPeriodMs))) {
      throw new RangeError(`quietPeriodMs must be a finite number >= 0, got ${quietPeriodMs}`);
    }
    this.quietPeriodMs = quietPeriodMs;
  }

  get draining(): boolean {
    return this.#drainingSinceMs !== undefined;
  }

  get quiet(): boolean {
    return this.#quiet;
  }

  begin(now: number): void {
    this.#drainingSinceMs ??= now;
  }

  requestArrived(now: number): void {
    if (now > this.#lastRequestMs) this.#lastRequestMs = now;
  }

  /** When the drain becomes quiet if no request arrives first; Infinity while not draining. */
  quietAtMs(): number {
    if (this.#drainingSinceMs === undefined) return Infinity;
    return Math.max(this.#drainingSinceMs, this.#lastRequestMs) + this.quietPeriodMs;
  }

  /** Has the quiet period passed by `now`? Sticky once true. */
  poll(now: number): boolean {
    if (!this.#quiet && now >= this.quietAtMs()) this.#quiet = true;
    return this.#quiet;
  }

  reset(): void {
    this.#drainingSinceMs = undefined;
    this.#quiet = false;
  }
}
