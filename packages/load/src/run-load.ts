import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRecords, renderLatencyCdfSvg } from '@shortline/sim';
import { CHECKPOINT_FILE, writeCheckpoint, type Checkpoint } from './checkpoint.js';
import { HttpClient } from './http-client.js';
import { InvocationRunner } from './invocation-runner.js';
import { openLoadDriver, type PartEnd } from './load-driver.js';
import { LoadRunError, planLoad, type LoadRequest } from './load-plan.js';
import type { ProgressStream } from './progress-bar.js';
import { startProgressReporter } from './progress-reporter.js';
import { RecordWriter } from './record-writer.js';
import { summarizeRecords } from './records-summary.js';
import { createRequestBuilder } from './request-builder.js';
import { createSummaryJson, judgeLoad } from './summary-json.js';
import { formatSummaryTable } from './summary-table.js';

/** The files of a run's folder. */
export const LOAD_FILES = { records: 'records.csv', summary: 'summary.json', cdf: 'latency-cdf.svg', checkpoint: CHECKPOINT_FILE } as const;

/** The CDF chart draws every invocation and this many of the busiest functions (its palette has 8 colours). */
const CHART_FUNCTIONS = 7;

export interface LoadIo {
  /** The summary table, and the run's folder as the last line. */
  readonly stdout: ProgressStream;
  /** Narration and progress. */
  readonly stderr: ProgressStream;
}

export interface LoadOutcome {
  readonly dir: string;
  /** Every invocation of the schedule has its record. */
  readonly complete: boolean;
  /** The stop signal ended this part. */
  readonly interrupted: boolean;
  /** The injector kept to the schedule (always, for a sweep). */
  readonly valid: boolean;
  readonly problems: readonly string[];
}

async function openRecords(dir: string, append: boolean): Promise<RecordWriter> {
  await mkdir(dir, { recursive: true });
  try {
    return await RecordWriter.open(join(dir, LOAD_FILES.records), append);
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') throw new LoadRunError(`${dir} holds a run already: continue it with --resume ${dir}, or give another --out`);
    throw error;
  }
}

/**
 * One part of a run of `shortline load`: the schedule (or sweep) from where it stands, every
 * invocation recorded as it ends, until the end or `stop`; then the checkpoint, and the summary, the
 * chart and the table over every part so far. Bad input throws before anything is sent:
 * TraceFileError / TraceFormatError (naming file and line), CheckpointError, LoadRunError.
 */
export async function runLoad(request: LoadRequest, io: LoadIo, stop?: AbortSignal): Promise<LoadOutcome> {
  const startedAt = new Date().toISOString();
  const plan = await planLoad(request, startedAt);
  const { settings, dir, checkpoint } = plan;
  const driver = await openLoadDriver(plan);
  const buildRequest = createRequestBuilder({
    target: settings.target,
    headers: settings.headers,
    method: settings.method,
    parameters: settings.workload.kind === 'sweep' ? settings.workload.grid.map((parameter) => parameter.name) : [],
  });
  const writer = await openRecords(dir, checkpoint !== undefined);
  const connections = settings.workload.kind === 'sweep' ? Math.max(...settings.workload.concurrency) : settings.connections;
  const client = new HttpClient({ connections, timeoutMs: settings.timeoutMs });
  const runner = new InvocationRunner({ client, request: buildRequest, onSettled: (invocation, result) => writer.write(invocation, result) });
  io.stderr.write(`shortline load: ${checkpoint === undefined ? 'starting' : `resuming at invocation ${driver.from}`}, target ${settings.target}, records in ${dir}\n`);
  const progress = startProgressReporter(io.stderr, 'shortline load', () => driver.progress(runner));
  let end: PartEnd;
  try {
    end = await driver.run(runner, stop);
  } finally {
    progress.stop();
    await client.close();
    await writer.close();
  }
  const saved: Checkpoint = {
    version: 1,
    args: plan.args,
    cwd: plan.cwd,
    complete: end.complete,
    next: end.next,
    clockMs: runner.clockMs(),
    schedule: end.schedule,
    traceBytes: driver.traceBytes,
    parts: [...(checkpoint?.parts ?? []), { startedAt, endedAt: new Date().toISOString(), from: driver.from, next: end.next, interrupted: end.interrupted }],
  };
  await writeCheckpoint(dir, saved);

  const summary = summarizeRecords(await readRecords(join(dir, LOAD_FILES.records)));
  const verdict = judgeLoad(plan, summary);
  await Promise.all([
    writeFile(join(dir, LOAD_FILES.summary), JSON.stringify(createSummaryJson(plan, driver, summary, verdict, saved, LOAD_FILES), null, 2) + '\n'),
    writeFile(join(dir, LOAD_FILES.cdf), renderLatencyCdfSvg([summary.all, ...summary.functions.slice(0, CHART_FUNCTIONS)], { title: `Latency CDF: ${settings.target}` })),
  ]);
  if (end.interrupted && !end.complete) io.stderr.write(`shortline load: stopped at invocation ${end.next}; continue with: shortline load --resume ${dir}\n`);
  if (verdict.sendLagMs !== null) {
    const lag = verdict.sendLagMs;
    io.stderr.write(`shortline load: send lag p99 ${String(lag['p99Ms'])} ms, max ${String(lag['maxMs'])} ms${verdict.valid ? '' : `: INVALID RUN (${verdict.problems.join('; ')})`}\n`);
  }
  io.stdout.write(`${formatSummaryTable(summary)}\n\n${dir}\n`);
  return { dir, complete: end.complete, interrupted: end.interrupted, valid: verdict.valid, problems: verdict.problems };
}
