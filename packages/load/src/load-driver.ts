import { join } from 'node:path';
import { CheckpointError, CHECKPOINT_FILE, type Checkpoint } from './checkpoint.js';
import type { InvocationRunner } from './invocation-runner.js';
import type { LoadSettings } from './load-settings.js';
import { LoadRunError, type LoadPlan } from './load-plan.js';
import { runOpenLoop } from './open-loop.js';
import { openTraceSchedule, type TraceSchedule } from './open-trace.js';
import type { RunProgress } from './progress-reporter.js';
import { runSweep } from './run-sweep.js';
import { ScheduleStream, type StreamCheckpoint } from './schedule-stream.js';
import { SweepPlan } from './sweep-plan.js';

/** Where one part of the run ended. */
export interface PartEnd {
  readonly interrupted: boolean;
  readonly complete: boolean;
  /** The first invocation left for the next part. */
  readonly next: number;
  /** The schedule's state (null for a sweep). */
  readonly schedule: StreamCheckpoint | null;
}

/** One part of a run with its workload: the open loop on a trace's schedule, or the sweep. */
export interface LoadDriver {
  /** The first invocation of this part. */
  readonly from: number;
  readonly traceBytes: number | null;
  /** What summary.json says about the source. */
  readonly details: Readonly<Record<string, unknown>>;
  progress(runner: InvocationRunner): RunProgress;
  run(runner: InvocationRunner, stop: AbortSignal | undefined): Promise<PartEnd>;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function traceDriver(settings: LoadSettings, schedule: TraceSchedule, checkpoint: Checkpoint | undefined, dir: string): LoadDriver {
  const resumed = checkpoint?.schedule ?? undefined;
  if (checkpoint !== undefined && resumed?.source.kind !== schedule.sourceKind) {
    throw new CheckpointError(join(dir, CHECKPOINT_FILE), `holds a ${String(resumed?.source.kind)} schedule, but the trace gives a ${schedule.sourceKind} one`);
  }
  const stream = new ScheduleStream(schedule.source(resumed?.source), schedule.bounds, resumed);
  const from = checkpoint?.next ?? 0;
  return {
    from,
    traceBytes: schedule.traceBytes,
    details: schedule.details,
    progress: (runner) => {
      const counts = runner.counts();
      if (Number.isFinite(schedule.endMs)) {
        const clock = Math.min(runner.clockMs(), schedule.endMs);
        return { counts, done: clock, total: schedule.endMs, position: `${seconds(clock)} of ${seconds(schedule.endMs)}` };
      }
      const total = schedule.bounds.maxInvocations;
      return { counts, done: from + counts.settled, total, position: `${from + counts.settled} of ${total} invocations` };
    },
    run: async (runner, stop) => {
      const { interrupted } = await runOpenLoop({ schedule: stream, runner, maxInFlight: settings.connections, stop, graceMs: settings.graceMs });
      const state = stream.checkpoint();
      return { interrupted, complete: state.next === null, next: state.next?.id ?? from + runner.counts().settled, schedule: state };
    },
  };
}

function sweepDriver(settings: LoadSettings, plan: SweepPlan, checkpoint: Checkpoint | undefined): LoadDriver {
  const from = checkpoint?.next ?? 0;
  return {
    from,
    traceBytes: null,
    details: { cells: plan.total / plan.repeat, calls: plan.total },
    progress: (runner) => {
      const counts = runner.counts();
      return { counts, done: from + counts.settled, total: plan.total, position: `call ${from + counts.settled} of ${plan.total}` };
    },
    run: async (runner, stop) => {
      const { interrupted, next } = await runSweep({ plan, runner, from, clockMs: checkpoint?.clockMs ?? 0, stop, graceMs: settings.graceMs });
      return { interrupted, complete: next >= plan.total, next, schedule: null };
    },
  };
}

/**
 * The driver of a plan, its trace read (errors name file and line) and, when resumed, checked
 * against the checkpoint: a trace that changed since would not give the same schedule.
 */
export async function openLoadDriver({ settings, checkpoint, dir }: LoadPlan): Promise<LoadDriver> {
  const { workload } = settings;
  if (workload.kind === 'sweep') return sweepDriver(settings, new SweepPlan({ ...workload, bodyBytes: settings.bodyBytes }), checkpoint);
  const schedule = await openTraceSchedule(workload, settings.bodyBytes);
  if (checkpoint !== undefined && checkpoint.traceBytes !== schedule.traceBytes) {
    throw new LoadRunError(`${workload.path} changed since the run started (${String(checkpoint.traceBytes)} bytes then, ${schedule.traceBytes} now): its schedule would not be the same`);
  }
  return traceDriver(settings, schedule, checkpoint, dir);
}
