import type { BenchmarkRun, PolicyOutcome } from './benchmark-run.js';
import type { BenchTarget } from '../lib/bench-target.js';

export interface Gain {
  /** 1 − mean ÷ FIFO's mean: 0.6 is "60% lower". */
  readonly meanReduction: number;
  /** FIFO's p99 ÷ this policy's: 3 is "3× lower". */
  readonly p99Ratio: number;
}

export interface VersusFifo {
  readonly policy: string;
  readonly live: Gain;
  readonly simulated: Gain;
}

/** How close the live mean came to the simulated one: live ÷ simulated − 1. */
export function liveVsSimulated(policy: PolicyOutcome): number {
  return policy.live.metrics.meanLatencyMs / policy.simulated.result.metrics.meanLatencyMs - 1;
}

function gain(of: { meanLatencyMs: number; p99LatencyMs: number }, fifo: { meanLatencyMs: number; p99LatencyMs: number }): Gain {
  return { meanReduction: 1 - of.meanLatencyMs / fifo.meanLatencyMs, p99Ratio: fifo.p99LatencyMs / of.p99LatencyMs };
}

/** Every policy other than FIFO against FIFO, live and simulated; empty when FIFO did not run. */
export function versusFifo(run: BenchmarkRun): VersusFifo[] {
  const fifo = run.policies.find((policy) => policy.name === 'fifo');
  if (fifo === undefined) return [];
  return run.policies
    .filter((policy) => policy !== fifo)
    .map((policy) => ({
      policy: policy.name,
      live: gain(policy.live.metrics, fifo.live.metrics),
      simulated: gain(policy.simulated.result.metrics, fifo.simulated.result.metrics),
    }));
}

const percent = (fraction: number): string => `${(100 * fraction).toFixed(1)}%`;

/** The "done when" figures for this run, those that it has the policies for. */
export function targets(run: BenchmarkRun): BenchTarget[] {
  const list: BenchTarget[] = [];
  const aging = versusFifo(run).find((entry) => entry.policy === 'aging-srtf');
  if (aging !== undefined) {
    list.push({
      target: 'aging-srtf mean latency at least 60% below fifo (live)',
      result: `${percent(aging.live.meanReduction)} below (simulated: ${percent(aging.simulated.meanReduction)})`,
      met: aging.live.meanReduction >= 0.6,
    });
    list.push({
      target: 'aging-srtf p99 latency at least 3× below fifo (live)',
      result: `${aging.live.p99Ratio.toFixed(2)}× (simulated: ${aging.simulated.p99Ratio.toFixed(2)}×)`,
      met: aging.live.p99Ratio >= 3,
    });
  }
  for (const policy of run.policies) {
    const difference = liveVsSimulated(policy);
    list.push({
      target: `${policy.name}: live mean latency within 15% of the simulator's`,
      result: `${difference >= 0 ? '+' : ''}${percent(difference)}`,
      met: Math.abs(difference) <= 0.15,
    });
  }
  return list;
}
