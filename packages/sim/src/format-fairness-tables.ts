import { alignRows, ms, ratio } from './format-table.js';
import type { PolicyResult } from './run-simulation.js';

const percent = (value: number): string => `${(100 * value).toFixed(1)}%`;

/**
 * Latency per priority tier and deadline attainment, one row per policy and tier; empty when the
 * simulation had no function settings. `wait / bound` is the largest wait over its starvation bound
 * (docs/scheduling.md): at most 1 when the bound held for every call; "-" for policies without caps.
 * `p99 service ms` is the p99 of the tier's own durations: no order of the queue takes `p99 ms` below it.
 */
export function formatFairnessTables(results: readonly PolicyResult[]): string {
  const withFairness = results.filter((r) => r.fairness !== undefined);
  if (withFairness.length === 0) return '';
  const tierRows = [['policy', 'tier', 'completed', 'mean ms', 'p99 ms', 'p99 service ms', 'max wait ms', 'wait / bound']];
  for (const result of withFairness) {
    for (const tier of result.fairness?.tiers ?? []) {
      const bounded = Number.isFinite(tier.maxWaitOverBound) && tier.maxWaitOverBound > 0;
      tierRows.push([
        result.name,
        tier.priority,
        tier.completed.toLocaleString('en-US'),
        ms(tier.meanLatencyMs),
        ms(tier.p99LatencyMs),
        ms(tier.p99ServiceMs),
        ms(tier.maxWaitMs),
        bounded ? ratio(tier.maxWaitOverBound) : '-',
      ]);
    }
  }
  const sections = [alignRows(tierRows, 2)];
  const deadlineRows = [['policy', 'with deadline', 'met', 'attainment', 'others mean ms']];
  for (const result of withFairness) {
    const deadlines = result.fairness?.deadlines;
    if (deadlines === undefined) continue;
    deadlineRows.push([
      result.name,
      deadlines.withDeadline.toLocaleString('en-US'),
      deadlines.met.toLocaleString('en-US'),
      percent(deadlines.attainment),
      ms(deadlines.othersMeanLatencyMs),
    ]);
  }
  if (deadlineRows.length > 1) sections.push(alignRows(deadlineRows));
  return sections.join('\n\n');
}
