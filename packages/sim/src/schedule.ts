import type { RequestFeatures } from '@shortline/core';
import { MixArrivals } from './mix-arrivals.js';
import { Random } from './random.js';
import { drawReplayMinute, minuteCount } from './replay-minute.js';
import type { TraceWorkload } from './trace-workload.js';
import type { Workload, WorkloadFunction } from './workload.js';

/**
 * A fixed sequence of invocations: when each arrives, which function it calls and how long it truly
 * runs. Every policy is simulated on the same schedule, and the live benchmark can send it for real.
 */
export interface Schedule {
  readonly functions: readonly WorkloadFunction[];
  /** Arrival times in ms from 0, non-decreasing. */
  readonly arrivalMs: Float64Array;
  readonly functionIndex: Uint32Array;
  readonly durationMs: Float64Array;
  /**
   * Each invocation's request features, when the workload has them (any source: a synthetic service,
   * a file of records); the scheduler then predicts per request, as the proxy does.
   */
  readonly features?: readonly RequestFeatures[] | undefined;
  /** The exact expected duration the arrival rate was set from. */
  readonly meanDurationMs: number;
}

export interface ScheduleOptions {
  readonly invocations: number;
  /** Slots of the single pool the load is relative to. */
  readonly slots: number;
  /** Offered load: arrival rate × mean true duration ÷ slots. */
  readonly load: number;
  readonly seed: number;
}

export function checkScheduleOptions(options: ScheduleOptions): void {
  if (!(Number.isInteger(options.invocations) && options.invocations >= 1)) throw new RangeError(`invocations must be an integer >= 1, got ${options.invocations}`);
  if (!(Number.isInteger(options.slots) && options.slots >= 1)) throw new RangeError(`slots must be an integer >= 1, got ${options.slots}`);
  if (!(options.load > 0 && Number.isFinite(options.load))) throw new RangeError(`load must be a number > 0, got ${options.load}`);
}

/**
 * A Poisson stream: exponential gaps at the rate that offers `load`, each invocation's function drawn
 * by its share, its duration from that function's distribution.
 */
export function createMixSchedule(workload: Workload, options: ScheduleOptions): Schedule {
  checkScheduleOptions(options);
  const n = options.invocations;
  const arrivals = new MixArrivals(workload, workload.meanDurationMs / (options.load * options.slots), new Random(options.seed));
  const arrivalMs = new Float64Array(n);
  const functionIndex = new Uint32Array(n);
  const durationMs = new Float64Array(n);
  const features: RequestFeatures[] | undefined = workload.drawRequest === undefined ? undefined : new Array<RequestFeatures>(n);
  for (let i = 0; i < n; i++) {
    arrivals.next();
    arrivalMs[i] = arrivals.arrivalMs;
    functionIndex[i] = arrivals.functionIndex;
    durationMs[i] = arrivals.durationMs;
    if (features !== undefined) features[i] = arrivals.features as RequestFeatures;
  }
  return { functions: workload.functions, arrivalMs, functionIndex, durationMs, features, meanDurationMs: workload.meanDurationMs };
}

/**
 * The trace's per-minute counts replayed in order from its first minute, up to `invocations` (or the
 * whole trace if it has fewer). Within a minute the invocations land at independent uniform times;
 * then the trace minute is stretched or shrunk so that the replayed span offers `load`. The load
 * varies minute to minute as in the trace; only its average is set.
 */
export function createReplaySchedule(workload: TraceWorkload, options: ScheduleOptions): Schedule {
  checkScheduleOptions(options);
  const random = new Random(options.seed);
  const { trace } = workload;
  const n = Math.min(options.invocations, trace.invocations);
  const arrivalMs = new Float64Array(n);
  const functionIndex = new Uint32Array(n);
  const durationMs = new Float64Array(n);
  let filled = 0;
  let spanMinutes = 0;
  let meanSum = 0;
  let labels = new Uint32Array(0);
  for (let minute = 0; minute < trace.minutes && filled < n; minute++) {
    const count = minuteCount(workload, minute);
    if (count === 0) continue;
    if (labels.length < count) labels = new Uint32Array(count);
    // The last minute may be cut short: its first `taken` invocations, spread over that part of it.
    const taken = Math.min(count, n - filled);
    drawReplayMinute(workload, minute, taken, random, labels, {
      arrivalMinutes: arrivalMs.subarray(filled),
      functionIndex: functionIndex.subarray(filled),
      durationMs: durationMs.subarray(filled),
    });
    for (let i = 0; i < taken; i++) meanSum += workload.meanOf(functionIndex[filled + i] as number);
    filled += taken;
    spanMinutes = minute + taken / count;
  }
  const meanDurationMs = meanSum / n;
  const minuteMs = (n * meanDurationMs) / (spanMinutes * options.slots * options.load);
  for (let i = 0; i < n; i++) arrivalMs[i] = (arrivalMs[i] as number) * minuteMs;
  return { functions: workload.functions, arrivalMs, functionIndex, durationMs, meanDurationMs };
}
