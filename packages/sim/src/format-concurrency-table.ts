import type { ConcurrencyRow } from './compare-concurrency.js';
import { alignRows, ms } from './format-table.js';

interface Column {
  readonly title: string;
  value(row: ConcurrencyRow, baseline: ConcurrencyRow | undefined): string;
}

const against = (value: number, baseline: number | undefined): string => (baseline === undefined || !(baseline > 0) ? '' : `${(value / baseline).toFixed(2)}×`);

/** What auto concluded: the worker count, or the long budget, or that it keeps no limit. */
function learnt(row: ConcurrencyRow): string {
  const state = row.learnt;
  if (state === undefined) return '';
  const probing = state.probing ? ' (probing one more)' : '';
  if (state.kind === 'sequential') return `sequential, ${state.parallelism} worker${state.parallelism === 1 ? '' : 's'}${probing}`;
  const ceiling = state.limit === 0 ? 'no limit' : `limit ${state.limit}`;
  return state.longBudget === 0 ? `${state.kind}, ${ceiling}` : `${state.kind}, ${ceiling}, ${state.parallelism} long at once${probing}`;
}

const COLUMNS: readonly Column[] = [
  { title: 'concurrency', value: (r) => r.name },
  { title: 'mean ms', value: (r) => ms(r.metrics.meanLatencyMs) },
  { title: 'p50 ms', value: (r) => ms(r.metrics.p50LatencyMs) },
  { title: 'p99 ms', value: (r) => ms(r.metrics.p99LatencyMs) },
  { title: 'max ms', value: (r) => ms(r.metrics.maxLatencyMs) },
  { title: 'req/s', value: (r) => r.metrics.throughputPerSec.toFixed(1) },
  { title: 'mean vs none', value: (r, b) => against(r.metrics.meanLatencyMs, b?.metrics.meanLatencyMs) },
  { title: 'p99 vs none', value: (r, b) => against(r.metrics.p99LatencyMs, b?.metrics.p99LatencyMs) },
  { title: 'req/s vs none', value: (r, b) => against(r.metrics.throughputPerSec, b?.metrics.throughputPerSec) },
  { title: 'followed after', value: (r) => (r.followedAfterMs === undefined ? '' : `${(r.followedAfterMs / 1000).toFixed(1)} s`) },
  { title: 'learnt', value: learnt },
];

/** The rows as an aligned text table, each against the `none` row (no limit) when there is one. */
export function formatConcurrencyTable(rows: readonly ConcurrencyRow[], showFollowed: boolean): string {
  const baseline = rows.find((row) => row.concurrency === 0);
  const columns = COLUMNS.filter((column) => showFollowed || column.title !== 'followed after');
  return alignRows([columns.map((c) => c.title), ...rows.map((row) => columns.map((c) => c.value(row, baseline)))]);
}
