import type { PolicyResult } from './run-simulation.js';

interface Column {
  readonly title: string;
  value(result: PolicyResult): string;
}

/** Milliseconds to one decimal, whole and grouped from 100 up. */
export const ms = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
export const ratio = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2));

const COLUMNS: readonly Column[] = [
  { title: 'policy', value: (r) => r.name },
  { title: 'mean ms', value: (r) => ms(r.metrics.meanLatencyMs) },
  { title: 'p50 ms', value: (r) => ms(r.metrics.p50LatencyMs) },
  { title: 'p99 ms', value: (r) => ms(r.metrics.p99LatencyMs) },
  { title: 'max ms', value: (r) => ms(r.metrics.maxLatencyMs) },
  { title: 'mean slowdown', value: (r) => ratio(r.metrics.meanSlowdown) },
  { title: 'p99 slowdown', value: (r) => ratio(r.metrics.p99Slowdown) },
  { title: 'top-1% slowdown', value: (r) => ratio(r.metrics.top1pctSlowdown) },
  { title: 'max wait ms', value: (r) => ms(r.metrics.maxWaitMs) },
  { title: 'completed', value: (r) => r.metrics.completed.toLocaleString('en-US') },
  { title: 'MAPE', value: (r) => `${(100 * r.metrics.predictionMape).toFixed(0)}%` },
  { title: 'MALE', value: (r) => r.metrics.predictionMale.toFixed(2) },
];

/** The results as an aligned text table (policy left-aligned, figures right-aligned). */
export function formatResultTable(results: readonly PolicyResult[]): string {
  return alignRows([COLUMNS.map((c) => c.title), ...results.map((r) => COLUMNS.map((c) => c.value(r)))]);
}

/** Rows of cells as aligned text: the first column left-aligned, the others right-aligned. */
export function alignRows(rows: readonly (readonly string[])[], labelColumns = 1): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] as string).length)));
  return rows
    .map((row) =>
      row.map((cell, column) => (column < labelColumns ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  '),
    )
    .join('\n');
}

