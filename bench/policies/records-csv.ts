import type { Schedule } from '@shortline/sim';
import type { LiveRecords } from './live-summary.js';

/** The columns every live benchmark's records end with: one call's times, its answer, whether it counted. */
export const TIMING_COLUMNS = [
  'scheduled_ms',
  'true_duration_ms',
  'lag_ms',
  'queue_wait_ms',
  'service_ms',
  'latency_ms',
  'status',
  'counted',
  'simulated_wait_ms',
] as const;

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : '');

/** Call `i`'s TIMING_COLUMNS cells. */
export function timingCells(schedule: Schedule, live: LiveRecords, simulatedWaitMs: Float64Array, warmup: number, i: number): string[] {
  return [
    ms(schedule.arrivalMs[i] as number),
    ms(schedule.durationMs[i] as number),
    ms(live.lagMs[i] as number),
    ms(live.queueMs[i] as number),
    ms(live.upstreamMs[i] as number),
    ms(live.latencyMs[i] as number),
    String(live.status[i]),
    i < warmup ? '0' : '1',
    ms(simulatedWaitMs[i] as number),
  ];
}

/**
 * One row per invocation and policy: the dataset a model of the system would be fitted on.
 * Times are ms, scaled; queue_wait_ms and service_ms are what the proxy reported in Server-Timing
 * (`queue`, `upstream`); latency_ms counts from the scheduled time; status 0 means no answer;
 * counted is 0 for the warm-up; simulated_wait_ms is the simulator's wait for the same invocation.
 */
export const RECORD_COLUMNS = [
  'policy',
  'invocation',
  'function',
  ...TIMING_COLUMNS,
] as const;

/** The rows of one policy's run, each ending in a newline; no header. */
export function recordRows(policy: string, schedule: Schedule, live: LiveRecords, simulatedWaitMs: Float64Array, warmup: number): string {
  const rows: string[] = [];
  for (let i = 0; i < schedule.arrivalMs.length; i++) {
    const fn = schedule.functions[schedule.functionIndex[i] as number]?.name ?? '';
    rows.push(
      [
        policy,
        String(i),
        fn,
        ...timingCells(schedule, live, simulatedWaitMs, warmup, i),
      ].join(','),
    );
  }
  return rows.join('\n') + '\n';
}
