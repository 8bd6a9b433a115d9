import { requestFeatures, UNKNOWN_LENGTH } from '@shortline/core';
import { numberFunctions } from './number-functions.js';
import { isSuccess, type RecordStatus } from './record-columns.js';
import type { RecordsTable } from './read-records.js';
import type { Schedule } from './schedule.js';
import { TraceFileError } from './trace-errors.js';

/** Records carry no method, so every request has this one. */
const RECORD_METHOD = '*';

/** A run of `shortline load` as a schedule to simulate, and what of it could not be used. */
export interface RecordsSchedule {
  readonly schedule: Schedule;
  readonly records: number;
  /** Records without a successful (2xx, 3xx) answer: they have no duration to simulate. */
  readonly skipped: number;
}

/**
 * The invocations of a records file in the order they were due: arrival = scheduled_ms, duration =
 * upstream_ms (the service time a Shortline in the path measured) where present, else latency_ms,
 * and each one's route and body size as its request features, for the request-level predictor (a
 * record has no method: all share one). Functions are
 * numbered in the order they first arrive; they have no trace average.
 */
export function createRecordsSchedule(table: RecordsTable): RecordsSchedule {
  const used: number[] = [];
  for (let row = 0; row < table.length; row++) if (isSuccess(table.status[row] as RecordStatus)) used.push(row);
  if (used.length === 0) throw new TraceFileError(table.file, `has no successful invocation to simulate (of ${table.length} records)`);
  used.sort((a, b) => (table.scheduledMs[a] as number) - (table.scheduledMs[b] as number) || (table.id[a] as number) - (table.id[b] as number));
  const { functions, index } = numberFunctions(used.map((row) => table.functionName[row] as string));
  const durationMs = Float64Array.from(used, (row) => {
    const upstream = table.upstreamMs[row] as number;
    return Number.isFinite(upstream) ? upstream : (table.latencyMs[row] as number);
  });
  let durationSum = 0;
  for (const duration of durationMs) durationSum += duration;
  return {
    schedule: {
      functions: functions.map((name) => ({ name, averageMs: undefined })),
      arrivalMs: Float64Array.from(used, (row) => table.scheduledMs[row] as number),
      functionIndex: index,
      durationMs,
      meanDurationMs: durationSum / used.length,
      features: used.map((row) => {
        const bytes = table.bodyBytes[row] as number;
        return requestFeatures(RECORD_METHOD, table.route[row] ?? '/', Number.isNaN(bytes) ? UNKNOWN_LENGTH : bytes);
      }),
    },
    records: table.length,
    skipped: table.length - used.length,
  };
}
