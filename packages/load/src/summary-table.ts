import { STATUS_CLASS_ORDER, type GroupSummary, type RecordsSummary } from './records-summary.js';

/** The table prints this many functions, most invocations first; summary.json has them all. */
export const TABLE_FUNCTIONS = 20;

const ms = (value: number): string => (!Number.isFinite(value) ? '—' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
const count = (value: number): string => value.toLocaleString('en-US');

/**
 * The end-of-run table: per function its invocations, the mean, p50 and p99 latency of its
 * successful answers, and its invocations by status class (one column per class that occurred).
 */
export function formatSummaryTable(summary: RecordsSummary): string {
  const classes = STATUS_CLASS_ORDER.filter((key) => summary.all.byStatus[key] !== undefined);
  const shown = summary.functions.slice(0, TABLE_FUNCTIONS);
  const row = (group: GroupSummary): string[] => [
    group.name,
    count(group.count),
    ms(group.latencyMs.meanMs),
    ms(group.latencyMs.p50Ms),
    ms(group.latencyMs.p99Ms),
    ...classes.map((key) => count(group.byStatus[key] ?? 0)),
  ];
  const rows = [['function', 'count', 'mean ms', 'p50 ms', 'p99 ms', ...classes], ...shown.map(row), row(summary.all)];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((cells) => (cells[column] as string).length))) ?? [];
  const lines = rows.map((cells) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  '));
  const hidden = summary.functions.length - shown.length;
  if (hidden > 0) lines.splice(lines.length - 1, 0, `… and ${count(hidden)} more functions (summary.json has every one)`);
  return lines.join('\n');
}
