import type { SchedulerSnapshot } from '@shortline/core';
import { Counter, type Registry } from 'prom-client';

/**
 * `shortline_deadlines_total{function,outcome}`, copied from the core's per-function counts
 * (FunctionCounters.deadlinesMet / deadlinesMissed) at every scrape, so the request path pays
 * nothing for it. A function with neither a deadline nor a count has no series; a function that is
 * removed leaves the snapshot, and its series goes with it.
 */
export function registerDeadlineCounter(registry: Registry, snapshot: () => SchedulerSnapshot): void {
  new Counter({
    name: 'shortline_deadlines_total',
    help:
      "Requests of functions with a deadlineMs, by outcome: met (answered within the deadline, from arrival to the response's end) " +
      'or missed (answered later, or expired in the queue). Requests that failed or whose client left count neither way.',
    labelNames: ['function', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const fn of snapshot().functions) {
        const { deadlinesMet, deadlinesMissed } = fn.counters;
        if (fn.deadlineMs === 0 && deadlinesMet + deadlinesMissed === 0) continue;
        this.inc({ function: fn.name, outcome: 'met' }, deadlinesMet);
        this.inc({ function: fn.name, outcome: 'missed' }, deadlinesMissed);
      }
    },
  });
}
