import { drawReplayMinute, minuteCount, MixArrivals, Random, type TraceWorkload, type Workload } from '@shortline/sim';
import type { InvocationTrace } from './invocation-trace.js';
import type { LoadInvocation } from './invocation.js';
import type { InvocationSource, SourceState } from './schedule-stream.js';

type StateOf<K extends SourceState['kind']> = Extract<SourceState, { kind: K }>;

export interface MixSourceOptions {
  readonly workload: Workload;
  /** Mean gap between arrivals, in ms of the run. */
  readonly meanGapMs: number;
  /** Every drawn duration is multiplied by this. */
  readonly timeScale: number;
  /** Every request's body size; NaN for none. */
  readonly bodyBytes: number;
  readonly seed: number;
}

/** Poisson arrivals from a workload (the simulator's own MixArrivals), durations scaled. */
export function createMixSource(options: MixSourceOptions, state?: StateOf<'mix'>): InvocationSource {
  const random = state === undefined ? new Random(options.seed) : Random.fromState(state.random);
  const arrivals = new MixArrivals(options.workload, options.meanGapMs, random, state?.clockMs ?? 0);
  const names = options.workload.functions.map((fn) => fn.name);
  let drawn = state?.drawn ?? 0;
  return {
    draw(): LoadInvocation {
      arrivals.next();
      return {
        id: drawn++,
        functionName: names[arrivals.functionIndex] as string,
        scheduledMs: arrivals.arrivalMs,
        durationMs: arrivals.durationMs * options.timeScale,
        bodyBytes: options.bodyBytes,
      };
    },
    save: () => ({ kind: 'mix', drawn, clockMs: arrivals.arrivalMs, random: random.state() }),
  };
}

const TRACE_MINUTE_MS = 60_000;

export interface MinuteReplaySourceOptions {
  readonly workload: TraceWorkload;
  /** A trace minute lasts 60 s × this, and every duration is multiplied by it. */
  readonly timeScale: number;
  readonly bodyBytes: number;
  readonly seed: number;
}

/**
 * An Azure 2019 trace replayed minute by minute at its own pace (scaled): each minute's counts land
 * at uniform times within it (the simulator's drawReplayMinute). A minute is drawn whole when it
 * opens; a restored source redraws the open minute from the random state at its start.
 */
export function createMinuteReplaySource(options: MinuteReplaySourceOptions, state?: StateOf<'minute-replay'>): InvocationSource {
  const { workload, timeScale } = options;
  const { trace } = workload;
  const names = workload.functions.map((fn) => fn.name);
  const minuteMs = TRACE_MINUTE_MS * timeScale;
  const random = state === undefined ? new Random(options.seed) : Random.fromState(state.random);
  let minute = -1;
  let count = 0;
  let within = 0;
  let drawn = state?.drawn ?? 0;
  let randomAtMinute = random.state();
  let labels = new Uint32Array(0);
  let out = { arrivalMinutes: new Float64Array(0), functionIndex: new Uint32Array(0), durationMs: new Float64Array(0) };
  const open = (next: number): void => {
    minute = next;
    count = minuteCount(workload, minute);
    within = 0;
    randomAtMinute = random.state();
    if (count === 0) return;
    if (labels.length < count) {
      labels = new Uint32Array(count);
      out = { arrivalMinutes: new Float64Array(count), functionIndex: new Uint32Array(count), durationMs: new Float64Array(count) };
    }
    drawReplayMinute(workload, minute, count, random, labels, out);
  };
  if (state !== undefined && state.minute >= 0) {
    open(state.minute);
    within = state.within;
  }
  return {
    draw(): LoadInvocation | undefined {
      while (within >= count) {
        if (minute + 1 >= trace.minutes) return undefined;
        open(minute + 1);
      }
      const i = within++;
      return {
        id: drawn++,
        functionName: names[out.functionIndex[i] as number] as string,
        scheduledMs: (out.arrivalMinutes[i] as number) * minuteMs,
        durationMs: (out.durationMs[i] as number) * timeScale,
        bodyBytes: options.bodyBytes,
      };
    },
    save: () => ({ kind: 'minute-replay', drawn, minute, within, random: minute < 0 ? random.state() : randomAtMinute }),
  };
}

export interface TraceReplaySourceOptions {
  readonly trace: InvocationTrace;
  /** Start times and durations are multiplied by this. */
  readonly timeScale: number;
  /** Every request's body size; NaN: the size the trace gives each call, if any. */
  readonly bodyBytes: number;
}

/** A per-invocation trace replayed call by call, at its own pace (scaled). */
export function createTraceReplaySource(options: TraceReplaySourceOptions, state?: StateOf<'trace-replay'>): InvocationSource {
  const { trace, timeScale } = options;
  let drawn = state?.drawn ?? 0;
  return {
    draw(): LoadInvocation | undefined {
      if (drawn >= trace.startMs.length) return undefined;
      const i = drawn++;
      return {
        id: i,
        functionName: trace.functions[trace.functionIndex[i] as number] as string,
        scheduledMs: (trace.startMs[i] as number) * timeScale,
        durationMs: (trace.durationMs[i] as number) * timeScale,
        bodyBytes: Number.isNaN(options.bodyBytes) ? (trace.bodyBytes[i] as number) : options.bodyBytes,
      };
    },
    save: () => ({ kind: 'trace-replay', drawn }),
  };
}
