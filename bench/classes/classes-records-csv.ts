import type { RequestFeatures } from '@shortline/core';
import { TIMING_COLUMNS, timingCells } from '../policies/records-csv.js';
import type { ClassesRunOutcome } from './classes-run.js';
import type { ServiceSchedule } from './service-schedule.js';

/**
 * One row per call and run. Times are ms, scaled; queue_wait_ms and service_ms are what the proxy
 * reported in Server-Timing (`queue`, `upstream`); latency_ms counts from the scheduled time; status 0
 * means no answer; counted is 0 for the warm-up; simulated_wait_ms is the simulator's wait for the
 * same call under the same run.
 */
export const CLASSES_RECORD_COLUMNS = [
  'run',
  'invocation',
  'method',
  'target',
  'body_bytes',
  ...TIMING_COLUMNS,
] as const;

/** The rows of one run, each ending in a newline; no header. */
export function classesRecordRows(outcome: ClassesRunOutcome, service: ServiceSchedule, warmup: number): string {
  const { schedule, features } = service;
  const { records } = outcome;
  const rows: string[] = [];
  for (let i = 0; i < schedule.arrivalMs.length; i++) {
    const call = features[i] as RequestFeatures;
    rows.push(
      [
        outcome.plan.name,
        String(i),
        call.method,
        // The service's paths and queries hold letters, digits and `/?=&` only: nothing to quote.
        call.target,
        String(call.contentLength),
        ...timingCells(schedule, records, outcome.simulated.waitMs, warmup, i),
      ].join(','),
    );
  }
  return rows.join('\n') + '\n';
}
