import type { RequestFeatures } from '@shortline/core';
import type { Random } from './random.js';

export interface WorkloadFunction {
  readonly name: string;
  /** What the workload's source says the function takes on average (the trace's Average column). */
  readonly averageMs: number | undefined;
}

/** One drawn request: what the proxy would see of it before it runs, and how long it truly takes. */
export interface DrawnRequest {
  readonly features: RequestFeatures;
  readonly durationMs: number;
}

/**
 * A source of invocations for a Poisson stream: which function each one calls (by its share of all
 * invocations) and how long it truly takes. A workload of requests also draws each invocation's
 * request features, its duration depending on them.
 */
export interface Workload {
  readonly functions: readonly WorkloadFunction[];
  /** The mean true duration over the mix, exact: it sets the arrival rate for a requested load. */
  readonly meanDurationMs: number;
  drawFunction(random: Random): number;
  drawDuration(fn: number, random: Random): number;
  drawRequest?: ((fn: number, random: Random) => DrawnRequest) | undefined;
}
