import { Random, type TraceWorkload, type Workload } from '@shortline/sim';

/**
 * How a workload's time is fitted to a run on this machine: every duration is multiplied by
 * `factor`, then raised to at least `floorMs` (below a millisecond or two, timers and the proxy hop
 * would decide the duration rather than the workload).
 */
export interface TimeScale {
  readonly factor: number;
  readonly floorMs: number;
}

/** Draws used to measure what the floor adds to a mean (see `floorLiftMs`). */
const LIFT_DRAWS = 1 << 16;
const LIFT_DRAWS_PER_FUNCTION = 1 << 12;
/** Fixed, so that a scaled workload is a pure function of the workload and the scale. */
const LIFT_SEED = 0x5ca1ed;

/**
 * E[max(floor, factor·X)] = factor·E[X] + E[max(0, floor − factor·X)]. The second term lies in
 * [0, floor], so a Monte Carlo estimate of it is accurate to a few thousandths of the floor even when
 * X is heavy-tailed, and the arrival rate set from the mean keeps the requested load.
 */
function floorLiftMs(scale: TimeScale, draw: (random: Random) => number, draws: number): number {
  if (scale.floorMs === 0) return 0;
  const random = new Random(LIFT_SEED);
  let sum = 0;
  for (let i = 0; i < draws; i++) sum += Math.max(0, scale.floorMs - scale.factor * draw(random));
  return sum / draws;
}

const scaledMs = (scale: TimeScale, ms: number): number => Math.max(scale.floorMs, scale.factor * ms);

function checkScale(scale: TimeScale): void {
  if (!(scale.factor > 0 && Number.isFinite(scale.factor))) throw new RangeError(`time scale factor must be a number > 0, got ${scale.factor}`);
  if (!(scale.floorMs >= 0 && Number.isFinite(scale.floorMs))) throw new RangeError(`duration floor must be a number >= 0, got ${scale.floorMs}`);
}

/**
 * The workload with its time scaled. It consumes random numbers exactly as the original does, so the
 * same seed gives the same functions in the same order; only durations and gaps change.
 */
export function scaleWorkload(workload: Workload, scale: TimeScale): Workload {
  checkScale(scale);
  const lift = floorLiftMs(scale, (random) => workload.drawDuration(workload.drawFunction(random), random), LIFT_DRAWS);
  return {
    functions: workload.functions.map((fn) => ({ name: fn.name, averageMs: fn.averageMs === undefined ? undefined : fn.averageMs * scale.factor })),
    meanDurationMs: workload.meanDurationMs * scale.factor + lift,
    drawFunction: (random) => workload.drawFunction(random),
    drawDuration: (fn, random) => scaledMs(scale, workload.drawDuration(fn, random)),
  };
}

/** As `scaleWorkload`, for a workload of requests: each call keeps its features, its duration scaled. */
export function scaleRequestWorkload(workload: Workload, scale: TimeScale): Workload {
  const { drawRequest } = workload;
  if (drawRequest === undefined) throw new TypeError('scaleRequestWorkload needs a workload whose calls carry request features (drawRequest)');
  return {
    ...scaleWorkload(workload, scale),
    drawRequest: (fn, random) => {
      const request = drawRequest(fn, random);
      return { features: request.features, durationMs: scaledMs(scale, request.durationMs) };
    },
  };
}

/** As `scaleWorkload`, keeping the trace so that it can be replayed minute by minute. */
export function scaleTraceWorkload(workload: TraceWorkload, scale: TimeScale): TraceWorkload {
  const scaled = scaleWorkload(workload, scale);
  const means = new Map<number, number>();
  return {
    ...scaled,
    trace: workload.trace,
    meanOf(fn: number): number {
      let mean = means.get(fn);
      if (mean === undefined) {
        mean = workload.meanOf(fn) * scale.factor + floorLiftMs(scale, (random) => workload.drawDuration(fn, random), LIFT_DRAWS_PER_FUNCTION);
        means.set(fn, mean);
      }
      return mean;
    },
  };
}
