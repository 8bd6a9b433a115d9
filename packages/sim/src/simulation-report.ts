import type { PolicyMetrics } from './metrics.js';
import type { SimulationResult } from './run-simulation.js';

/** The machine-readable result: every policy's metrics by name, and the inputs that produced them. */
export interface SimulationReport<I> {
  readonly policies: Readonly<Record<string, PolicyMetrics>>;
  readonly inputs: I;
}

/** Six significant digits: enough to compare runs, short enough to read; exact integers stay exact. */
export function rounded(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(6));
}

/** The report `--json` prints. Identical inputs and seed give an identical report, byte for byte. */
export function createSimulationReport<I>(result: SimulationResult, inputs: I): SimulationReport<I> {
  const policies: Record<string, PolicyMetrics> = {};
  for (const policy of result.policies) {
    const metrics = Object.fromEntries(Object.entries(policy.metrics).map(([key, value]) => [key, rounded(value as number)]));
    policies[policy.name] = metrics as unknown as PolicyMetrics;
  }
  return { policies, inputs };
}
