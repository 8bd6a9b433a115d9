import { numberFunctions, type Random, type Workload, type WorkloadFunction } from '@shortline/sim';

/**
 * A trace with one row per invocation (Azure Functions 2021, or the records of a previous run):
 * every call's own start and duration, so the spread inside a function is the real one.
 */
export interface InvocationTrace {
  readonly file: string;
  readonly functions: readonly string[];
  /** Per invocation, in start order. */
  readonly functionIndex: Uint32Array;
  /** Ascending, in ms from the first start. */
  readonly startMs: Float64Array;
  /** NaN where the source has no duration for the call. */
  readonly durationMs: Float64Array;
  /** The request body size the call had; NaN where none. */
  readonly bodyBytes: Float64Array;
}

/** One row of an invocation trace before it is sorted. */
export interface TracedCall {
  readonly functionName: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly bodyBytes: number;
}

/** Sorts calls by start (ties keep their order), numbers functions by first appearance, starts at 0. */
export function createInvocationTrace(file: string, calls: readonly TracedCall[]): InvocationTrace {
  const sorted = [...calls].sort((a, b) => a.startMs - b.startMs);
  const { functions, index } = numberFunctions(sorted.map((call) => call.functionName));
  const first = sorted[0]?.startMs ?? 0;
  return {
    file,
    functions,
    functionIndex: index,
    startMs: Float64Array.from(sorted, (call) => call.startMs - first),
    durationMs: Float64Array.from(sorted, (call) => call.durationMs),
    bodyBytes: Float64Array.from(sorted, (call) => call.bodyBytes),
  };
}

/**
 * The trace as a workload for Poisson arrivals: a function drawn by its share of the calls, a
 * duration drawn uniformly from that function's own calls (the empirical distribution).
 */
export function createInvocationTraceWorkload(trace: InvocationTrace): Workload {
  const count = trace.functions.length;
  const calls: number[][] = Array.from({ length: count }, () => []);
  trace.functionIndex.forEach((fn, i) => (calls[fn] as number[]).push(i));
  let sum = 0;
  for (const duration of trace.durationMs) sum += duration;
  const functions: WorkloadFunction[] = trace.functions.map((name, fn) => {
    let own = 0;
    for (const i of calls[fn] as number[]) own += trace.durationMs[i] as number;
    return { name, averageMs: own / (calls[fn] as number[]).length };
  });
  return {
    functions,
    meanDurationMs: sum / trace.durationMs.length,
    // Drawing a call uniformly draws its function by share; its function then draws its duration.
    drawFunction: (random: Random) => trace.functionIndex[random.below(trace.functionIndex.length)] as number,
    drawDuration: (fn: number, random: Random) => {
      const own = calls[fn] as number[];
      return trace.durationMs[own[random.below(own.length)] as number] as number;
    },
  };
}
