import { performance } from 'node:perf_hooks';
import { QuietPeriod } from './quiet-period.js';

export interface DrainerOptions {
  /** Knative waits 30 s without a request before it lets the pod go. */
  readonly quietPeriodMs: number;
  readonly now?: () => number;
}

export interface Drainer {
  /** Probes answer 503 while this is true. */
  readonly draining: boolean;
  /** Every non-probe request calls this (subscribe it as an `arrived` observer); it restarts the quiet period while draining. */
  requestArrived(): void;
  /** Starts draining (once) and resolves when the quiet period has passed, or on reset. */
  drain(): Promise<void>;
  /** Abandons the drain: probes pass again and pending drain() calls resolve. */
  reset(): void;
}

/** The timer-driven shell around QuietPeriod. */
export function createDrainer(options: DrainerOptions): Drainer {
  const now = options.now ?? (() => performance.now());
  const state = new QuietPeriod(options.quietPeriodMs);
  let waiters: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;

  const settle = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const settled = waiters;
    waiters = [];
    for (const resolve of settled) resolve();
  };

  const check = (): void => {
    timer = undefined;
    const at = now();
    if (state.poll(at)) settle();
    else timer = setTimeout(check, Math.max(0, state.quietAtMs() - at));
  };

  return {
    get draining() {
      return state.draining;
    },
    requestArrived(): void {
      state.requestArrived(now());
    },
    drain(): Promise<void> {
      if (state.quiet) return Promise.resolve();
      const pending = new Promise<void>((resolve) => waiters.push(resolve));
      if (!state.draining) {
        state.begin(now());
        check();
      }
      return pending;
    },
    reset(): void {
      state.reset();
      settle();
    },
  };
}
