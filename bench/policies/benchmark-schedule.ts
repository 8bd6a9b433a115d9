import { basename } from 'node:path';
import {
  createMixSchedule,
  createReplaySchedule,
  createSyntheticWorkload,
  createTraceWorkload,
  loadAzureTrace,
  type Schedule,
  type ScheduleOptions,
} from '@shortline/sim';
import type { PoliciesSettings, WorkloadSource } from './policies-options.js';
import { scaleTraceWorkload, scaleWorkload, type TimeScale } from './scaled-workload.js';

/** The invocations every policy gets, live and simulated, and how they were made. */
export interface BenchmarkSchedule extends FittedSchedule {
  /** e.g. `azure2019-100 (mix)`. */
  readonly label: string;
  /** What the report says about the source (files, functions). */
  readonly source: Readonly<Record<string, unknown>>;
}

interface OpenedSource {
  readonly label: string;
  readonly details: Record<string, unknown>;
  /** The schedule at the workload's own time (no scale) or scaled. */
  schedule(scale: TimeScale | undefined, options: ScheduleOptions): Schedule;
}

async function openSource(source: WorkloadSource): Promise<OpenedSource> {
  if (source.kind === 'synthetic') {
    const workload = createSyntheticWorkload(source.spec);
    return {
      label: `synthetic ${source.text}`,
      details: { synthetic: workload.kind, parameters: workload.parameters },
      schedule: (scale, options) => createMixSchedule(scale === undefined ? workload : scaleWorkload(workload, scale), options),
    };
  }
  const trace = await loadAzureTrace(source.dir);
  const workload = createTraceWorkload(trace);
  return {
    label: `${basename(source.dir)} (${source.mode})`,
    details: {
      trace: source.dir,
      invocationsFile: trace.invocationsFile,
      durationsFile: trace.durationsFile,
      functions: trace.functions.length,
      traceInvocations: trace.invocations,
    },
    schedule: (scale, options) => {
      const scaled = scale === undefined ? workload : scaleTraceWorkload(workload, scale);
      return source.mode === 'mix' ? createMixSchedule(scaled, options) : createReplaySchedule(scaled, options);
    },
  };
}

function span(schedule: Schedule): number {
  const { arrivalMs } = schedule;
  return (arrivalMs[arrivalMs.length - 1] as number) - (arrivalMs[0] as number);
}

/** A schedule fitted to a run of about `durationS` seconds, and what fitting it did. */
export interface FittedSchedule {
  readonly schedule: Schedule;
  readonly scale: TimeScale;
  /** From the first arrival to the last, in scaled milliseconds. */
  readonly spanMs: number;
  /** Arrival rate × mean true duration ÷ slots, measured on this schedule rather than expected. */
  readonly realisedLoad: number;
}

/**
 * Builds the schedule at the workload's own time scale (`build(undefined)`), then once more with time
 * scaled so that the arrivals span about `durationS` seconds. Scaling changes durations and gaps
 * alike, so the load stays what was asked; the duration floor adds a little to short calls, and the
 * gaps grow to match.
 */
export function fitSchedule(build: (scale: TimeScale | undefined) => Schedule, fit: { durationS: number; floorMs: number; slots: number; label: string }): FittedSchedule {
  const unscaledSpan = span(build(undefined));
  if (!(unscaledSpan > 0)) throw new RangeError(`the schedule of ${fit.label} has all its arrivals at one instant; ask for more invocations`);
  const scale: TimeScale = { factor: (fit.durationS * 1000) / unscaledSpan, floorMs: fit.floorMs };
  const schedule = build(scale);
  const spanMs = span(schedule);
  let work = 0;
  for (const duration of schedule.durationMs) work += duration;
  return { schedule, scale, spanMs, realisedLoad: work / (spanMs * fit.slots) };
}

/**
 * The settings' workload, fitted to the run's duration (`fitSchedule`). Trace errors
 * (TraceFileError, TraceFormatError) propagate with file and line in their message.
 */
export async function createBenchmarkSchedule(settings: PoliciesSettings): Promise<BenchmarkSchedule> {
  const source = await openSource(settings.source);
  const options: ScheduleOptions = { invocations: settings.invocations, slots: settings.slots, load: settings.load, seed: settings.seed };
  const fitted = fitSchedule((scale) => source.schedule(scale, options), { durationS: settings.durationS, floorMs: settings.floorMs, slots: settings.slots, label: source.label });
  return { ...fitted, label: source.label, source: source.details };
}
