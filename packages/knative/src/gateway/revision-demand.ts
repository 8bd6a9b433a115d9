import { ConcurrencyStats, type StatsWindow } from '../stats/concurrency-stats.js';

/** One revision's closed window. */
export interface RevisionWindow {
  readonly key: string;
  readonly window: StatsWindow;
}

/**
 * Request concurrency per revision, as the activator reports it to the autoscaler: a request counts
 * from when its revision is known until it is over, waiting included (a revision at zero has only
 * waiting requests). Sans I/O: the caller passes the time and sends the reports.
 */
export class RevisionDemand {
  readonly #stats = new Map<string, ConcurrencyStats>();

  /** Counts a request for `key`; true when it is the revision's only one, which the autoscaler should hear of at once. */
  arrived(key: string, now: number): boolean {
    let stats = this.#stats.get(key);
    if (stats === undefined) {
      stats = new ConcurrencyStats(now);
      this.#stats.set(key, stats);
    }
    stats.arrived(now, false);
    return stats.concurrency === 1;
  }

  finished(key: string, now: number): void {
    this.#stats.get(key)?.finished(now, false);
  }

  /**
   * Closes every revision's window at `now`. A revision with no request in the window and none now
   * is forgotten after its last report, so the gateway keeps no state for revisions gone quiet.
   */
  report(now: number): RevisionWindow[] {
    const windows: RevisionWindow[] = [];
    for (const [key, stats] of this.#stats) {
      const window = stats.report(now);
      if (window.averageConcurrency > 0 || window.requestCount > 0) windows.push({ key, window });
      else if (stats.concurrency === 0) this.#stats.delete(key);
    }
    return windows;
  }
}
