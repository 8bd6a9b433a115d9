import { stat } from 'node:fs/promises';
import { createTraceWorkload, loadAzureTrace, readCsvRows, RECORD_COLUMNS, TraceFileError, type Workload } from '@shortline/sim';
import { createInvocationTraceWorkload, type InvocationTrace } from './invocation-trace.js';
import type { TraceFormat, TraceWorkloadSettings } from './load-settings.js';
import { AZURE2021_COLUMNS, readAzure2021 } from './read-azure2021.js';
import { readRecordsTrace } from './records-trace.js';
import { createMinuteReplaySource, createMixSource, createTraceReplaySource } from './schedule-sources.js';
import type { InvocationSource, ScheduleBounds, SourceState } from './schedule-stream.js';

/** A trace opened for one run: how to draw its schedule, fresh or from a checkpoint. */
export interface TraceSchedule {
  readonly format: TraceFormat;
  /** What summary.json says about the source. */
  readonly details: Readonly<Record<string, unknown>>;
  /** The trace files' total size: a checkpoint refuses a trace that changed. */
  readonly traceBytes: number;
  readonly bounds: ScheduleBounds;
  /** When the schedule ends on its clock, where that is known (replay, or --duration): for progress. */
  readonly endMs: number;
  readonly sourceKind: SourceState['kind'];
  /** A fresh source, or one continued from `state` (of `sourceKind`). */
  source(state?: SourceState): InvocationSource;
}

async function fileBytes(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    throw new TraceFileError(file, `cannot read: ${(error as Error).message}`, { cause: error });
  }
}

/** azure2019 for a folder; for a file, what its header says. */
async function formatOf(path: string): Promise<TraceFormat> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (error) {
    throw new TraceFileError(path, `cannot read: ${(error as Error).message}`, { cause: error });
  }
  if (isFolder) return 'azure2019';
  for await (const { fields } of readCsvRows(path)) {
    const names = new Set(fields.map((name) => name.trim()));
    if (AZURE2021_COLUMNS.every((name) => names.has(name))) return 'azure2021';
    if (RECORD_COLUMNS.every((name) => names.has(name))) return 'records';
    break;
  }
  throw new TraceFileError(path, `cannot tell its format from its first line (neither ${AZURE2021_COLUMNS.join(',')} nor a records.csv header); give --format`);
}

function meanGapMs(settings: TraceWorkloadSettings, workload: Workload, path: string): number {
  const rate = settings.rate;
  if (rate === undefined) throw new RangeError('a mix needs a rate');
  if ('rps' in rate) return 1000 / rate.rps;
  const meanMs = workload.meanDurationMs * settings.timeScale;
  if (!(meanMs > 0 && Number.isFinite(meanMs))) throw new TraceFileError(path, 'has no durations to set --load from; use --rps');
  return meanMs / (rate.load * rate.slots);
}

/** The trace's kind of source for the mode, and how to make it. */
interface Opened {
  readonly details: Record<string, unknown>;
  readonly traceBytes: number;
  readonly workload: Workload;
  /** The trace's own span on the schedule's clock when replayed. */
  readonly replaySpanMs: number;
  replay(state?: SourceState): InvocationSource;
}

async function openAzure2019(settings: TraceWorkloadSettings, bodyBytes: number): Promise<Opened> {
  const trace = await loadAzureTrace(settings.path);
  const workload = createTraceWorkload(trace);
  return {
    details: {
      invocationsFile: trace.invocationsFile,
      durationsFile: trace.durationsFile,
      minutes: trace.minutes,
      functions: trace.functions.length,
      traceInvocations: trace.invocations,
    },
    traceBytes: (await fileBytes(trace.invocationsFile)) + (await fileBytes(trace.durationsFile)),
    workload,
    replaySpanMs: trace.minutes * 60_000 * settings.timeScale,
    replay: (state) =>
      createMinuteReplaySource({ workload, timeScale: settings.timeScale, bodyBytes, seed: settings.seed }, state?.kind === 'minute-replay' ? state : undefined),
  };
}

async function openInvocationTrace(trace: InvocationTrace, settings: TraceWorkloadSettings, bodyBytes: number): Promise<Opened> {
  const n = trace.startMs.length;
  return {
    details: { functions: trace.functions.length, traceInvocations: n, traceSpanMs: trace.startMs[n - 1] },
    traceBytes: await fileBytes(trace.file),
    workload: createInvocationTraceWorkload(trace),
    replaySpanMs: (trace.startMs[n - 1] as number) * settings.timeScale,
    replay: (state) => createTraceReplaySource({ trace, timeScale: settings.timeScale, bodyBytes }, state?.kind === 'trace-replay' ? state : undefined),
  };
}

/**
 * Reads the trace of `settings` (its format told by the trace when not given) and prepares its
 * schedule: mix draws Poisson arrivals from its workload at the asked rate; replay follows its own
 * arrivals, scaled. Trace errors throw TraceFileError / TraceFormatError naming file and line.
 */
export async function openTraceSchedule(settings: TraceWorkloadSettings, bodyBytes: number): Promise<TraceSchedule> {
  const format = settings.format ?? (await formatOf(settings.path));
  const opened =
    format === 'azure2019'
      ? await openAzure2019(settings, bodyBytes)
      : await openInvocationTrace(format === 'azure2021' ? await readAzure2021(settings.path) : await readRecordsTrace(settings.path), settings, bodyBytes);
  const bounds: ScheduleBounds = {
    maxInvocations: settings.invocations ?? Infinity,
    endMs: settings.durationS === undefined ? Infinity : settings.durationS * 1000,
  };
  const base = { format, details: { trace: settings.path, format, ...opened.details }, traceBytes: opened.traceBytes, bounds };
  if (settings.mode === 'replay') {
    return { ...base, endMs: Math.min(bounds.endMs, opened.replaySpanMs), sourceKind: format === 'azure2019' ? 'minute-replay' : 'trace-replay', source: opened.replay };
  }
  const gap = meanGapMs(settings, opened.workload, settings.path);
  return {
    ...base,
    endMs: bounds.endMs,
    sourceKind: 'mix',
    source: (state) =>
      createMixSource({ workload: opened.workload, meanGapMs: gap, timeScale: settings.timeScale, bodyBytes, seed: settings.seed }, state?.kind === 'mix' ? state : undefined),
  };
}
