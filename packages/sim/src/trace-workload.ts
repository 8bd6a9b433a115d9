import type { AzureTrace } from './load-azure-trace.js';
import { PercentileSampler } from './percentile-sampler.js';
import type { Random } from './random.js';
import type { Workload, WorkloadFunction } from './workload.js';

/** A trace as a workload: functions drawn by their share of all invocations in the window. */
export interface TraceWorkload extends Workload {
  readonly trace: AzureTrace;
  /** The exact mean of function `fn`'s duration distribution. */
  meanOf(fn: number): number;
}

export function createTraceWorkload(trace: AzureTrace): TraceWorkload {
  const sampler = new PercentileSampler(trace.functions.map((fn) => fn.percentilesMs));
  const functions: WorkloadFunction[] = trace.functions.map((fn, index) => ({
    name: fn.hashFunction,
    averageMs: fn.averageMs,
  }));
  // Cumulative shares for drawing a function by inverse transform (binary search).
  const cumulative = new Float64Array(trace.functions.length);
  let running = 0;
  let meanDurationMs = 0;
  trace.functions.forEach((fn, index) => {
    running += fn.total;
    cumulative[index] = running / trace.invocations;
    meanDurationMs += (fn.total / trace.invocations) * sampler.mean(index);
  });
  const last = cumulative.length - 1;
  return {
    trace,
    functions,
    meanDurationMs,
    drawFunction(random: Random): number {
      const u = random.next();
      let low = 0;
      let high = last;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((cumulative[middle] as number) > u) high = middle;
        else low = middle + 1;
      }
      return low;
    },
    meanOf(fn: number): number {
      return sampler.mean(fn);
    },
    drawDuration(fn: number, random: Random): number {
      return sampler.quantile(fn, random.next());
    },
  };
}
