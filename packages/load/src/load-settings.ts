import type { LagLimits } from './judge-send-lag.js';
import type { GridParameter } from './sweep-plan.js';

export const TRACE_FORMATS = ['azure2019', 'azure2021', 'records'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** How fast a mix arrives: so many per second, or the rate that offers a load to a number of slots. */
export type ArrivalRate = { readonly rps: number } | { readonly load: number; readonly slots: number };

/** A schedule drawn from a trace. */
export interface TraceWorkloadSettings {
  readonly kind: 'trace';
  /** Absolute. */
  readonly path: string;
  /** Undefined: told by the trace (a folder is azure2019; a file by its header). */
  readonly format: TraceFormat | undefined;
  readonly mode: 'mix' | 'replay';
  /** Mix only. */
  readonly rate: ArrivalRate | undefined;
  /** Every duration is multiplied by this; in replay, every gap too. */
  readonly timeScale: number;
  /** The schedule ends at this many seconds (of the run), or at `invocations`, whichever is first. */
  readonly durationS: number | undefined;
  readonly invocations: number | undefined;
  readonly seed: number;
}

/** Dataset mode: every function over a grid of inputs and concurrency levels, closed loop. */
export interface SweepWorkloadSettings {
  readonly kind: 'sweep';
  readonly functions: readonly string[];
  readonly grid: readonly GridParameter[];
  readonly concurrency: readonly number[];
  readonly repeat: number;
}

export interface LoadSettings {
  readonly workload: TraceWorkloadSettings | SweepWorkloadSettings;
  /** The URL template. */
  readonly target: string;
  /** `Name: value` templates. */
  readonly headers: readonly string[];
  readonly method: string | undefined;
  /** Every request's body size; NaN for none (a records trace may still give each call its own). */
  readonly bodyBytes: number;
  /** At most this many requests in flight (open loop). */
  readonly connections: number;
  readonly timeoutMs: number;
  /** After a stop, how long what is in flight may take before it is cut. */
  readonly graceMs: number;
  readonly lagLimits: LagLimits;
  /** Absolute; undefined: a new folder named after the start time in the working directory. */
  readonly out: string | undefined;
}
