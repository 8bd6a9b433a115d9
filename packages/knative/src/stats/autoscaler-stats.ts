import { REAL_TIMERS, type Timers } from '@shortline/proxy';
import { repeatEvery } from '../timers/repeat-every.js';
import { ConcurrencyStats } from './concurrency-stats.js';
import type { Stat } from './stat-message.js';

export interface AutoscalerStatsOptions {
  readonly podName: string;
  /** The clock of the windows and the timer that closes them. Default: the process's. */
  readonly timers?: Timers;
  /** Knative reports every second. */
  readonly reportingPeriodMs?: number;
}

export interface AutoscalerStats {
  /** Feed it arrivals and finishes (createAutoscalerStatsObserver does). */
  readonly stats: ConcurrencyStats;
  /** The Stat of the last closed window: what a scrape returns. */
  current(): Stat;
  /** Closes the window now and makes its Stat current. */
  report(): Stat;
  /** Reports every period until stopped; the timer does not keep the process alive. */
  start(): void;
  stop(): void;
}

/**
 * The autoscaler's view of this pod: a window closed every period turned into a Stat. Counts are
 * divided by the nominal period, as Knative's reporter does, so they read as requests per second.
 */
export function createAutoscalerStats(options: AutoscalerStatsOptions): AutoscalerStats {
  const timers = options.timers ?? REAL_TIMERS;
  const periodMs = options.reportingPeriodMs ?? 1000;
  const startedAt = timers.now();
  const stats = new ConcurrencyStats(startedAt);
  let current: Stat = {
    podName: options.podName,
    averageConcurrentRequests: 0,
    averageProxiedConcurrentRequests: 0,
    requestCount: 0,
    proxiedRequestCount: 0,
    processUptime: 0,
  };
  let stopTimer: (() => void) | undefined;

  const report = (): Stat => {
    const at = timers.now();
    const window = stats.report(at);
    const periodSeconds = periodMs / 1000;
    current = {
      podName: options.podName,
      averageConcurrentRequests: window.averageConcurrency,
      averageProxiedConcurrentRequests: window.averageProxiedConcurrency,
      requestCount: window.requestCount / periodSeconds,
      proxiedRequestCount: window.proxiedRequestCount / periodSeconds,
      processUptime: (at - startedAt) / 1000,
    };
    return current;
  };

  return {
    stats,
    current: () => current,
    report,
    start(): void {
      stopTimer ??= repeatEvery(timers, periodMs, report);
    },
    stop(): void {
      stopTimer?.();
      stopTimer = undefined;
    },
  };
}
