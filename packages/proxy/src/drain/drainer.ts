import { REAL_TIMERS, type TimerHandle, type Timers } from '../timers/timers.js';
import { QuietPeriod } from './quiet-period.js';

export interface DrainerOptions {
  /** How long draining waits with no new request (Knative: 30 s). 0: quiet as soon as it begins. */
  readonly quietPeriodMs: number;
  readonly timers?: Timers;
}

export interface Drainer {
  /** Probes and readiness answer 503 while this is true. */
  readonly draining: boolean;
  /** Every non-probe request calls this (an `arrived` observer); while draining it restarts the quiet period. */
  requestArrived(): void;
  /** Starts draining (once) and resolves when the quiet period has passed, or on reset. */
  drain(): Promise<void>;
  /** Abandons the drain: probes pass again and pending drain() calls resolve. */
  reset(): void;
}

class QuietPeriodDrainer implements Drainer {
  readonly #timers: Timers;
  readonly #state: QuietPeriod;
  #waiters: (() => void)[] = [];
  #timer: TimerHandle | undefined = undefined;

  constructor(options: DrainerOptions) {
    this.#timers = options.timers ?? REAL_TIMERS;
    this.#state = new QuietPeriod(options.quietPeriodMs);
  }

  get draining(): boolean {
    return this.#state.draining;
  }

  requestArrived(): void {
    this.#state.requestArrived(this.#timers.now());
  }

  drain(): Promise<void> {
    if (this.#state.quiet) return Promise.resolve();
    const pending = new Promise<void>((resolve) => this.#waiters.push(resolve));
    if (!this.#state.draining) {
      this.#state.begin(this.#timers.now());
      QuietPeriodDrainer.#check(this);
    }
    return pending;
  }

  reset(): void {
    this.#state.reset();
    this.#settle();
  }

  #settle(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    const settled = this.#waiters;
    this.#waiters = [];
    for (const resolve of settled) resolve();
  }

  /** Quiet yet? If not, looks again when it would be, had no request come meanwhile. */
  static #check(drainer: QuietPeriodDrainer): void {
    drainer.#timer = undefined;
    const now = drainer.#timers.now();
    if (drainer.#state.poll(now)) drainer.#settle();
    else drainer.#timer = drainer.#timers.setTimeout(QuietPeriodDrainer.#check, Math.max(0, Math.ceil(drainer.#state.quietAtMs() - now)), drainer);
  }
}

/** Knative's drain rule (QuietPeriod) on timers: what SIGTERM and `/wait-for-drain` start. */
export function createDrainer(options: DrainerOptions): Drainer {
  return new QuietPeriodDrainer(options);
}
