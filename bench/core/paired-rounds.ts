import type { SteadyQueue } from './workload.js';

export interface PairedCost {
  /** Median CPU ns per cycle of each queue over the rounds. */
  readonly plainNs: number;
  readonly featuredNs: number;
  /** Median over the rounds of the per-cycle difference in CPU ns: what the feature path costs. */
  readonly differenceNs: number;
  /** The same difference in wall-clock ns, which load from other processes inflates. */
  readonly wallDifferenceNs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Timing {
  readonly cpuNs: number;
  readonly wallNs: number;
}

/** CPU time (user + system, all of the process's threads: the collector's too) and wall time per cycle. */
function timeCycles(queue: SteadyQueue, cycles: number): Timing {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < cycles; i++) queue.cycle();
  const used = process.cpuUsage(cpu);
  return { cpuNs: ((used.user + used.system) * 1000) / cycles, wallNs: Number(process.hrtime.bigint() - wall) / cycles };
}

/**
 * Two queues timed in alternating rounds, the order swapped every round, so that load from others
 * on a shared machine falls on both alike: the difference is measured side by side, not across the
 * seconds between two tinybench cases. CPU time, not wall time, is what the figures use: another
 * process taking the core stretches the wall clock but not the CPU time this work needs.
 */
export function pairedRounds(plain: SteadyQueue, featured: SteadyQueue, rounds: number, cycles: number): PairedCost {
  const plainNs: number[] = [];
  const featuredNs: number[] = [];
  const differences: number[] = [];
  const wallDifferences: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let a: Timing;
    let b: Timing;
    if (round % 2 === 0) {
      a = timeCycles(plain, cycles);
      b = timeCycles(featured, cycles);
    } else {
      b = timeCycles(featured, cycles);
      a = timeCycles(plain, cycles);
    }
    plainNs.push(a.cpuNs);
    featuredNs.push(b.cpuNs);
    differences.push(b.cpuNs - a.cpuNs);
    wallDifferences.push(b.wallNs - a.wallNs);
  }
  return { plainNs: median(plainNs), featuredNs: median(featuredNs), differenceNs: median(differences), wallDifferenceNs: median(wallDifferences) };
}
