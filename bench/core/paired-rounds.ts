import type { SteadyQueue } from './workload.js';

export interface PairedCost {
  /** Median ns per cycle of each queue over the rounds. */
  readonly plainNs: number;
  readonly featuredNs: number;
  /** Median over the rounds of the per-cycle difference: what the feature path costs. */
  readonly differenceNs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function timeCycles(queue: SteadyQueue, cycles: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < cycles; i++) queue.cycle();
  return Number(process.hrtime.bigint() - started) / cycles;
}

/**
 * Two queues timed in alternating rounds, the order swapped every round, so that load from others
 * on a shared machine falls on both alike: the difference is measured side by side, not across the
 * seconds between two tinybench cases.
 */
export function pairedRounds(plain: SteadyQueue, featured: SteadyQueue, rounds: number, cycles: number): PairedCost {
  const plainNs: number[] = [];
  const featuredNs: number[] = [];
  const differences: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let a: number;
    let b: number;
    if (round % 2 === 0) {
      a = timeCycles(plain, cycles);
      b = timeCycles(featured, cycles);
    } else {
      b = timeCycles(featured, cycles);
      a = timeCycles(plain, cycles);
    }
    plainNs.push(a);
    featuredNs.push(b);
    differences.push(b - a);
  }
  return { plainNs: median(plainNs), featuredNs: median(featuredNs), differenceNs: median(differences) };
}
