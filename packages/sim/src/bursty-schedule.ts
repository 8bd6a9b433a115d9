import { Random } from './random.js';
import { checkScheduleOptions, type Schedule, type ScheduleOptions } from './schedule.js';
import type { Workload } from './workload.js';

export interface BurstOptions {
  /** Arrival rate during a burst, as a multiple of the mean rate; > 1. */
  readonly burstFactor: number;
  /** Share of each period spent in the burst, in (0, 1); burstFactor × burstShare must stay below 1. */
  readonly burstShare: number;
  /** Length of one burst-then-quiet period, ms. */
  readonly periodMs: number;
}

/** The default bursts: the first 2.5 minutes of every 10 at twice the mean rate, the rest at two thirds of it. */
export const DEFAULT_BURSTS: BurstOptions = { burstFactor: 2, burstShare: 0.25, periodMs: 600_000 };

function checkBursts(bursts: BurstOptions): void {
  const { burstFactor, burstShare, periodMs } = bursts;
  if (!(burstFactor > 1 && Number.isFinite(burstFactor))) throw new RangeError(`burstFactor must be a number > 1, got ${burstFactor}`);
  if (!(burstShare > 0 && burstShare < 1)) throw new RangeError(`burstShare must be in (0, 1), got ${burstShare}`);
  if (!(burstFactor * burstShare < 1)) throw new RangeError(`burstFactor × burstShare must be below 1, got ${burstFactor * burstShare}`);
  if (!(periodMs > 0 && Number.isFinite(periodMs))) throw new RangeError(`periodMs must be a number > 0, got ${periodMs}`);
}

/**
 * A Poisson stream whose rate switches between bursts and quiet spells: in every period the first
 * `burstShare` runs at `burstFactor` × the mean rate, the rest at the rate that brings the average back
 * to the one offering `load`. Bursts overload the pool when burstFactor × load > 1, so queues build
 * and drain every period — the shape where a fixed wait cap either binds all the time or never.
 */
export function createBurstySchedule(workload: Workload, options: ScheduleOptions, bursts: BurstOptions = DEFAULT_BURSTS): Schedule {
  checkScheduleOptions(options);
  checkBursts(bursts);
  const random = new Random(options.seed);
  const n = options.invocations;
  const meanRatePerMs = (options.load * options.slots) / workload.meanDurationMs;
  const burstMs = bursts.burstShare * bursts.periodMs;
  const rates = [bursts.burstFactor, (1 - bursts.burstFactor * bursts.burstShare) / (1 - bursts.burstShare)].map((f) => f * meanRatePerMs);
  const arrivalMs = new Float64Array(n);
  const functionIndex = new Uint32Array(n);
  const durationMs = new Float64Array(n);
  // Gaps are drawn in units of expected arrivals and spent phase by phase at each phase's rate.
  let now = 0;
  let burst = true;
  let phaseEndMs = burstMs;
  for (let i = 0; i < n; i++) {
    let arrivals = random.exponential(1);
    for (;;) {
      const rate = rates[burst ? 0 : 1] as number;
      if (arrivals <= rate * (phaseEndMs - now)) {
        now += arrivals / rate;
        break;
      }
      arrivals -= rate * (phaseEndMs - now);
      now = phaseEndMs;
      burst = !burst;
      phaseEndMs += burst ? burstMs : bursts.periodMs - burstMs;
    }
    const fn = workload.drawFunction(random);
    arrivalMs[i] = now;
    functionIndex[i] = fn;
    durationMs[i] = workload.drawDuration(fn, random);
  }
  return { functions: workload.functions, arrivalMs, functionIndex, durationMs, meanDurationMs: workload.meanDurationMs };
}
