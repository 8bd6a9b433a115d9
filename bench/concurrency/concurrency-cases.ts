import type { ContainerModelSpec } from '@shortline/sim';
import type { TwoRouteWorkloadOptions } from './two-route-workload.js';

export const CASE_NAMES = ['sequential', 'shared', 'io', 'halving'] as const;
export type CaseName = (typeof CASE_NAMES)[number];

/** How long one arm of one round runs, in seconds of arrivals. */
export interface CasePhases {
  /** Mixed calls at the case's rate, not counted: the controller learns the backend here. */
  readonly warmupS: number;
  /** Counted calls after the warm-up. */
  readonly measuredS: number;
}

/** One of the four cases: a backend, a mix of calls at a rate, and what `auto` must achieve. */
export interface ConcurrencyCase {
  readonly name: CaseName;
  readonly title: string;
  /** The same container in the simulator; the live sample runs the same model on real timers (io: the sleep sample). */
  readonly model: ContainerModelSpec;
  readonly workload: TwoRouteWorkloadOptions;
  /** Arrival rate × mean work ÷ slots: the load relative to the backend's workers or cores. */
  readonly load: number;
  readonly slots: number;
  /** The backend's workers become this many, `afterS` seconds into the counted phase. */
  readonly capacityChange?: { readonly afterS: number; readonly capacity: number } | undefined;
  readonly phases: { readonly full: CasePhases; readonly quick: CasePhases };
  /** The long simulator run of the same case in bench/RESULTS.md ("Learnt concurrency"). */
  readonly simulateCommand: string;
}

const MIX: TwoRouteWorkloadOptions = { shortMs: 5, longMs: 250, longShare: 0.1 };
const SIMULATE = 'npx shortline simulate --synthetic bimodal:short=5,long=250,long-share=0.1,sigma=0 --invocations 200000';

/**
 * The "done when" cases. The warm-ups were sized for a controller that needed 300-800 calls to
 * name a sequential backend; it now needs a few dozen on one worker (the simulator on these schedules:
 * 1.7-4.2 s) and 10-40 s on four, where a call must find four rivals running. They are kept as they
 * were, so that runs before and after compare like for like. The halving case learns four workers
 * first and halves them 10 s into the counted phase.
 */
export const CASES: Readonly<Record<CaseName, ConcurrencyCase>> = {
  sequential: {
    name: 'sequential',
    title: 'One sequential worker (a single-threaded function), load 0.7',
    model: { kind: 'sequential', capacity: 1 },
    workload: MIX,
    load: 0.7,
    slots: 1,
    phases: { full: { warmupS: 30, measuredS: 30 }, quick: { warmupS: 20, measuredS: 10 } },
    simulateCommand: `${SIMULATE} --backend sequential:1 --load 0.7 --concurrency 0,auto`,
  },
  shared: {
    name: 'shared',
    title: 'Two shared virtual cores (processor sharing, a multi-threaded function), load 0.8',
    model: { kind: 'shared', capacity: 2 },
    workload: MIX,
    load: 0.8,
    slots: 2,
    phases: { full: { warmupS: 20, measuredS: 30 }, quick: { warmupS: 8, measuredS: 8 } },
    simulateCommand: `${SIMULATE} --backend shared:2 --load 0.8 --concurrency 0,auto`,
  },
  io: {
    name: 'io',
    title: 'I/O-bound (the sleep sample), 1,500 req/s of 50 ms calls',
    model: { kind: 'io', capacity: 0 },
    workload: { shortMs: 50, longMs: 50, longShare: 0.1 },
    load: 1,
    slots: 75,
    phases: { full: { warmupS: 3, measuredS: 10 }, quick: { warmupS: 2, measuredS: 4 } },
    simulateCommand: 'npx shortline simulate --synthetic constant:mean=50,functions=1 --backend io --slots 75 --load 1 --concurrency 0,auto --invocations 200000',
  },
  halving: {
    name: 'halving',
    title: 'Four sequential workers that become two, load 0.7 of the two left',
    model: { kind: 'sequential', capacity: 4 },
    workload: MIX,
    load: 0.7,
    slots: 2,
    capacityChange: { afterS: 10, capacity: 2 },
    phases: { full: { warmupS: 45, measuredS: 25 }, quick: { warmupS: 35, measuredS: 20 } },
    simulateCommand: `${SIMULATE} --backend sequential:4 --slots 2 --load 0.7 --capacity-change 1000:2 --concurrency 0,auto`,
  },
};

/** Requests per second the case offers. */
export function caseRate(spec: ConcurrencyCase): number {
  const { shortMs, longMs, longShare } = spec.workload;
  return (1000 * spec.load * spec.slots) / ((1 - longShare) * shortMs + longShare * longMs);
}
