import type { FairnessMetrics } from './fairness-metrics.js';
import type { SimulationResult } from './run-simulation.js';
import { rounded } from './simulation-report.js';

/** Every number of a value rounded like the rest of the report; strings stay. */
function roundedDeep(value: unknown): unknown {
  if (typeof value === 'number') return rounded(value);
  if (Array.isArray(value)) return value.map(roundedDeep);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, roundedDeep(v)]));
  return value;
}

/** The per-tier and deadline figures of each policy, for `--json`; empty without function settings. */
export function createFairnessReport(result: SimulationResult): Readonly<Record<string, FairnessMetrics>> {
  const report: Record<string, FairnessMetrics> = {};
  for (const policy of result.policies) {
    if (policy.fairness !== undefined) report[policy.name] = roundedDeep(policy.fairness) as FairnessMetrics;
  }
  return report;
}
