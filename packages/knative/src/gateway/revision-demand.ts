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

  /**
   * Counts a request for `key`. True when the revision had no demand in the last report (its first
   * request after a quiet window): the autoscaler should hear of it at once, since the revision may
   * be at zero. A busy revision whose concurrency only touches zero between requests is not
   * reported again until the next period.
   */
  arrived(key: string, now: number): boolean {
    let stats = this.#stats.get(key);
    const first = stats === undefined;
    if (stats === undefined) {
      stats = new ConcurrencyStats(now);
      this.#stats.set(key, stats);
    }
    stats.arrived(now, false);
    return first;
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
