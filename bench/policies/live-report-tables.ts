import type { LagVerdict, Spread } from '@shortline/load';
import type { PolicyMetrics } from '@shortline/sim';
import { formatMs, formatRatio, markdownTable } from '../lib/markdown-table.js';
import type { LiveSummary } from './live-summary.js';

// The tables bench:policies and bench:classes both report: a run's latencies live and simulated, and
// where its live time went.

const count = (n: number): string => n.toLocaleString('en-US');
const spreadCells = (spread: Spread): string[] => [formatMs(spread.meanMs), formatMs(spread.p50Ms), formatMs(spread.p99Ms)];

/** The columns of metricsRow: what each row ran (`nameColumn`), whether live or simulated (`sourceColumn`), the figures. */
export const metricsHeader = (nameColumn: string, sourceColumn: string): string[] => [
  nameColumn,
  sourceColumn,
  'mean ms',
  'p50 ms',
  'p99 ms',
  'max ms',
  'mean slowdown',
  'p99 slowdown',
  'top-1% slowdown',
  'max wait ms',
  'completed',
  'errors',
];

/** One row of the live-and-simulated table: `label` is live or simulated. */
export function metricsRow(name: string, label: string, m: Omit<PolicyMetrics, 'predictionMape' | 'predictionMale'>, errors: number): string[] {
  return [
    name,
    label,
    formatMs(m.meanLatencyMs),
    formatMs(m.p50LatencyMs),
    formatMs(m.p99LatencyMs),
    formatMs(m.maxLatencyMs),
    formatRatio(m.meanSlowdown),
    formatRatio(m.p99Slowdown),
    formatRatio(m.top1pctSlowdown),
    formatMs(m.maxWaitMs),
    count(m.completed),
    count(errors),
  ];
}

/** A live run as the time table reads it. */
export interface LiveRunTimes {
  readonly name: string;
  readonly live: LiveSummary;
  readonly lag: LagVerdict;
  /** From the first due time to the last answer. */
  readonly wallMs: number;
}

/** Where the live time goes: proxy added, service overrun and send lag per run, and its wall time. */
export function liveTimeTable(firstColumn: string, runs: readonly LiveRunTimes[]): string {
  return markdownTable(
    [firstColumn, 'proxy added mean', 'p50', 'p99', 'service overrun mean', 'p50', 'p99', 'send lag mean', 'p50', 'p99', 'max', 'wall s'],
    runs.map((run) => [
      run.name,
      ...spreadCells(run.live.overheads.proxyAddedMs),
      ...spreadCells(run.live.overheads.serviceOverrunMs),
      ...spreadCells(run.lag.lag),
      formatMs(run.lag.lag.maxMs),
      (run.wallMs / 1000).toFixed(1),
    ]),
  );
}
