/** One reporting window's figures, as Knative's autoscaler reads them. */
export interface StatsWindow {
  /** Time-weighted mean of requests in the pod (waiting or running) over the window. */
  readonly averageConcurrency: number;
  /** The same, for requests the activator proxied (K-Proxy-Request: activator). */
  readonly averageProxiedConcurrency: number;
  /** Requests that arrived in the window. */
  readonly requestCount: number;
  readonly proxiedRequestCount: number;
  /** How long the window was. */
  readonly windowMs: number;
}

/**
 * Time-weighted request concurrency, sans I/O: callers report arrivals and finishes with the time
 * they happened and ask for a report, which closes the window and starts the next. A request counts
 * from arrival to finish, so requests waiting in the queue count too, as the autoscaler expects.
 */
export class ConcurrencyStats {
  #concurrency = 0;
  #proxiedConcurrency = 0;
  #lastChangeMs: number;
  #windowMs = 0;
  #integral = 0;
  #proxiedIntegral = 0;
  #requests = 0;
  #proxiedRequests = 0;

  constructor(startMs: number) {
    this.#lastChangeMs = startMs;
  }

  /** Requests in the pod now. */
  get concurrency(): number {
    return this.#concurrency;
  }

  arrived(now: number, proxied: boolean): void {
    this.#advance(now);
    this.#concurrency++;
    this.#requests++;
    if (proxied) {
      this.#proxiedConcurrency++;
      this.#proxiedRequests++;
    }
  }

  finished(now: number, proxied: boolean): void {
    this.#advance(now);
    this.#concurrency--;
    if (proxied) this.#proxiedConcurrency--;
  }

  /** Closes the current window at `now` and returns its figures. */
  report(now: number): StatsWindow {
    this.#advance(now);
    const windowMs = this.#windowMs;
    const window: StatsWindow = {
      averageConcurrency: windowMs > 0 ? this.#integral / windowMs : 0,
      averageProxiedConcurrency: windowMs > 0 ? this.#proxiedIntegral / windowMs : 0,
      requestCount: this.#requests,
      proxiedRequestCount: this.#proxiedRequests,
      windowMs,
    };
    this.#windowMs = 0;
    this.#integral = 0;
    this.#proxiedIntegral = 0;
    this.#requests = 0;
    this.#proxiedRequests = 0;
    return window;
  }

  #advance(now: number): void {
    const elapsed = now - this.#lastChangeMs;
    // A clock that steps back adds nothing rather than a negative weight.
    if (elapsed <= 0) return;
    this.#windowMs += elapsed;
    this.#integral += this.#concurrency * elapsed;
    this.#proxiedIntegral += this.#proxiedConcurrency * elapsed;
    this.#lastChangeMs = now;
  }
}
