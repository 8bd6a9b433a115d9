import { isSuccess, RECORD_FAILURES, statusClass, type RecordStatus, type RecordsTable } from '@shortline/sim';
import { spreadOf, type Spread } from './spread.js';

/** Invocations of one function (or of all), as a summary counts them. */
export interface GroupSummary {
  readonly name: string;
  readonly count: number;
  /** 2xx and 3xx answers: the ones whose latency is the function's. */
  readonly succeeded: number;
  /** Of the successful answers. */
  readonly latencyMs: Spread;
  /** Invocations by status class: 2xx … 5xx, or the failure (timeout, refused, not-sent …). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** The successful answers' latencies, ascending: the CDF. */
  readonly sortedLatencyMs: Float64Array;
}

export interface RecordsSummary {
  readonly all: GroupSummary;
  /** Most invocations first. */
  readonly functions: readonly GroupSummary[];
  /** sent − scheduled of every invocation that was sent. */
  readonly lagMs: Float64Array;
}

/** Status classes in reading order: HTTP classes, then failures. */
export const STATUS_CLASS_ORDER: readonly string[] = ['1xx', '2xx', '3xx', '4xx', '5xx', ...RECORD_FAILURES];

function summarizeGroup(name: string, rows: readonly number[], table: RecordsTable): GroupSummary {
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  for (const row of rows) {
    const status = table.status[row] as RecordStatus;
    const key = statusClass(status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    if (isSuccess(status)) latencies.push(table.latencyMs[row] as number);
  }
  const sortedLatencyMs = Float64Array.from(latencies).sort();
  const ordered = Object.fromEntries(STATUS_CLASS_ORDER.filter((key) => byStatus[key] !== undefined).map((key) => [key, byStatus[key] as number]));
  return { name, count: rows.length, succeeded: latencies.length, latencyMs: spreadOf(sortedLatencyMs), byStatus: ordered, sortedLatencyMs };
}

/** Counts and latencies per function and over all, read back from a run's records (all its parts). */
export function summarizeRecords(table: RecordsTable): RecordsSummary {
  const byFunction = new Map<string, number[]>();
  const lag: number[] = [];
  for (let row = 0; row < table.length; row++) {
    const name = table.functionName[row] as string;
    let rows = byFunction.get(name);
    if (rows === undefined) {
      rows = [];
      byFunction.set(name, rows);
    }
    rows.push(row);
    const sent = table.sentMs[row] as number;
    if (Number.isFinite(sent)) lag.push(sent - (table.scheduledMs[row] as number));
  }
  const functions = [...byFunction].map(([name, rows]) => summarizeGroup(name, rows, table)).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  return { all: summarizeGroup('all', Array.from(table.id.keys()), table), functions, lagMs: Float64Array.from(lag) };
}
