import { rounded, roundedRecord, type LagVerdict } from '@shortline/load';
import type { RunSettings } from '../lib/bench-args.js';
import type { RunMachine } from '../lib/run-header.js';
import type { FittedSchedule } from './benchmark-schedule.js';
import type { LiveSummary } from './live-summary.js';

/** What a live-and-simulated benchmark run states about itself, whatever it compares. */
export interface LiveRunInputs {
  readonly command: string;
  readonly startedAt: string;
  readonly machine: RunMachine;
  readonly settings: RunSettings & { readonly load: number; readonly slots: number };
  readonly schedule: FittedSchedule;
  readonly warmup: number;
}

/** How to repeat the run and where it ran (report.json's `inputs`, before the benchmark's own). */
export function runInputs(run: LiveRunInputs): Record<string, unknown> {
  return { command: run.command, startedAt: run.startedAt, machine: run.machine };
}

/** The schedule as fitted and the limits it was judged by (report.json's `inputs`, after the benchmark's own). */
export function scheduleInputs(run: LiveRunInputs): Record<string, unknown> {
  const { settings, schedule } = run;
  return {
    seed: settings.seed,
    load: settings.load,
    realisedLoad: rounded(schedule.realisedLoad),
    slots: settings.slots,
    invocations: schedule.schedule.arrivalMs.length,
    warmup: run.warmup,
    timeScale: rounded(schedule.scale.factor),
    durationFloorMs: schedule.scale.floorMs,
    meanDurationMs: rounded(schedule.schedule.meanDurationMs),
    arrivalSpanMs: rounded(schedule.spanMs),
    lagLimits: { p99Ms: settings.maxLagP99Ms, maxMs: settings.maxLagMs },
  };
}

/** One live run's figures: its latencies, what the proxy added, how late the generator sent, its wall time. */
export function liveFigures(outcome: { readonly live: LiveSummary; readonly lag: LagVerdict; readonly wallMs: number }): Record<string, unknown> {
  return {
    ...roundedRecord(outcome.live.metrics),
    proxyAddedMs: roundedRecord(outcome.live.overheads.proxyAddedMs),
    serviceOverrunMs: roundedRecord(outcome.live.overheads.serviceOverrunMs),
    lagMs: roundedRecord(outcome.lag.lag),
    valid: outcome.lag.valid,
    wallMs: rounded(outcome.wallMs),
  };
}
