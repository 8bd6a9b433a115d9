/**
 * The columns of a `records.csv` written by `shortline load`: one row per invocation, in the order
 * the invocations ended. Defined here, below both its writer (packages/load) and its readers (the
 * simulator's `--records`, the injector's `--format records`), so that there is one definition.
 * docs/load-records.md explains every column. Times are milliseconds; an empty cell is "not known".
 */
export const RECORD_COLUMNS = [
  /** The invocation's position in its schedule: unique within a run, resumed parts included. */
  'id',
  'function',
  /** The path of the request as sent, without its query. */
  'route',
  /** The size of the request body in bytes, when the run sent one. */
  'body_bytes',
  /** When the invocation was due, from the start of the schedule. */
  'scheduled_ms',
  /** When it went out, on the same clock; empty if it never did. */
  'sent_ms',
  /** The duration the invocation stood for (`{ms}` in the target), scaled; empty when the source has none. */
  'duration_ms',
  /** The HTTP status, or why there was none (RECORD_FAILURES). */
  'status',
  /** From `scheduled_ms` to the end of the response body: a slow target shows here, not as a lower rate. */
  'latency_ms',
  /** Server-Timing `queue` (what a Shortline in the path held it for). */
  'queue_ms',
  /** Server-Timing `upstream` (a Shortline's dispatch to the backend's response head). */
  'upstream_ms',
  /** CPU time of the call, as the project's sample servers report it when asked (`x-sample-usage`). */
  'cpu_ms',
  /** Peak resident memory of the sample process during the call, in KiB, as reported with cpu_ms. */
  'peak_rss_kb',
  /** Dataset mode: the number of calls kept in flight together. */
  'concurrency',
  /** Dataset mode: the grid point, `key=value` pairs joined by `;`. */
  'params',
] as const;

export type RecordColumn = (typeof RECORD_COLUMNS)[number];

/**
 * What the status column says when there is no HTTP status: not-sent (due, never sent: the run was
 * stopped while it waited for a connection), timeout (no complete answer within the request
 * timeout), refused (connection refused), reset (the connection broke), aborted (in flight when a
 * stopped run's grace period ended), error (anything else, e.g. a host that does not resolve).
 */
export const RECORD_FAILURES = ['not-sent', 'timeout', 'refused', 'reset', 'aborted', 'error'] as const;
export type RecordFailure = (typeof RECORD_FAILURES)[number];

/** An HTTP status or a failure: the status column, parsed. */
export type RecordStatus = number | RecordFailure;

/** `2xx` … `5xx` for an HTTP status, else the failure itself: what summaries count errors by. */
export function statusClass(status: RecordStatus): string {
  return typeof status === 'number' ? `${Math.floor(status / 100)}xx` : status;
}

/** An answer whose latency counts as the function's: 2xx or 3xx. */
export function isSuccess(status: RecordStatus): boolean {
  return typeof status === 'number' && status >= 200 && status < 400;
}
