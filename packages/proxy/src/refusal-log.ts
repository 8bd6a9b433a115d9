import type { Logger } from 'pino';
import type { RefusalReason } from './http-errors.js';
import type { TimerHandle, Timers } from './timers/timers.js';

/** One line per reason per window at most; the rest are counted and summed up when the window ends. */
const REFUSAL_LOG_WINDOW_MS = 1_000;

interface ReasonWindow {
  readonly log: RefusalLog;
  readonly reason: RefusalReason;
  readonly status: number;
  endsAtMs: number;
  suppressed: number;
  flush: TimerHandle | undefined;
}

function levelOf(status: number): 'error' | 'warn' | 'info' {
  if (status === 500) return 'error';
  return status === 502 || status === 504 ? 'warn' : 'info';
}

/**
 * The log of what the proxy refused. A storm of refusals (a full queue at 3× capacity, a dead
 * backend) would write a line per request, so each reason gets one line with the request's details
 * per window, and the refusals after it in the same window are logged as one count when it ends.
 * The metrics still count every refusal.
 */
export class RefusalLog {
  readonly #logger: Logger;
  readonly #timers: Timers;
  readonly #windowMs: number;
  readonly #windows = new Map<RefusalReason, ReasonWindow>();

  constructor(logger: Logger, timers: Timers, windowMs = REFUSAL_LOG_WINDOW_MS) {
    this.#logger = logger;
    this.#timers = timers;
    this.#windowMs = windowMs;
  }

  record(reason: RefusalReason, status: number, requestId: string, functionName: string, error: Error | undefined): void {
    const now = this.#timers.now();
    let window = this.#windows.get(reason);
    if (window === undefined) {
      window = { log: this, reason, status, endsAtMs: -Infinity, suppressed: 0, flush: undefined };
      this.#windows.set(reason, window);
    }
    if (now < window.endsAtMs) {
      if (window.suppressed++ === 0) window.flush = this.#timers.setTimeout(RefusalLog.#flush, Math.ceil(window.endsAtMs - now), window).unref();
      return;
    }
    window.endsAtMs = now + this.#windowMs;
    this.#logger[levelOf(status)]({ requestId, function: functionName, reason, status, err: error }, 'request refused');
  }

  /** Logs the counts still pending (at shutdown). */
  close(): void {
    for (const window of this.#windows.values()) {
      if (window.flush !== undefined) this.#timers.clearTimeout(window.flush);
      RefusalLog.#flush(window);
    }
  }

  static #flush(window: ReasonWindow): void {
    window.flush = undefined;
    if (window.suppressed === 0) return;
    const { reason, status, suppressed } = window;
    window.suppressed = 0;
    window.log.#logger[levelOf(status)]({ reason, status, count: suppressed, windowMs: window.log.#windowMs }, 'requests refused (counted, not logged one by one)');
  }
}
