import { mkdir } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createProgressBar, judgeSendLag } from '@shortline/load';
import { DEFAULT_WARMUP_FRACTION, ORACLE } from '@shortline/sim';
import { startChildTarget, type ChildTarget } from '../lib/child-target.js';
import { freePort } from '../lib/free-port.js';
import { repositoryRoot } from '../lib/repository-root.js';
import { runScheduledLoad, type ScheduledLoadResult } from '../lib/scheduled-load.js';
import type { BenchmarkIo } from '../policies/run-policies-benchmark.js';
import { liveRecords, summarizeLive } from '../policies/live-summary.js';
import { scaledSchedulingParameters, type SchedulingParameters } from '../lib/scheduling-parameters.js';
import { launchShortline } from '../lib/shortline-process.js';
import { simulateSchedule, type SimulatedOutcome } from '../policies/simulate-schedule.js';
import type { ClassesSettings } from './classes-options.js';
import { classesConfigYaml, createClassesProxyConfig, SERVICE_FUNCTION, WARMUP_PATH } from './classes-proxy-config.js';
import { classesRunProblems, type ClassesBenchmarkRun, type ClassesRunOutcome } from './classes-run.js';
import { CLASSES_RUNS, type ClassesRunPlan } from './classes-runs.js';
import { classesRunFiles } from './classes-report-files.js';
import { writeClassesReport } from './write-classes-report.js';
import { learntClasses } from './learnt-classes.js';
import { routeGroups } from './route-groups.js';
import { DURATION_HEADER } from './service-backend.js';
import { serviceCalls } from './service-calls.js';
import { createServiceSchedule, type ServiceSchedule } from './service-schedule.js';

export interface ClassesOutcome {
  /** The report folder. */
  readonly dir: string;
  readonly run: ClassesBenchmarkRun;
  readonly valid: boolean;
}

/** The compiled entry, found from the repository root: the same from bench/classes (sources, under test) and bench/dist/classes. */
const backendMain = (): string => join(repositoryRoot(), 'bench', 'dist', 'classes', 'service-backend-main.js');
/** A request outlives every latency the simulator expects by this factor before it counts as failed. */
const TIMEOUT_OVER_SIMULATED_MAX = 3;
const MIN_TIMEOUT_MS = 30_000;
const WARMUP_REQUESTS = 200;
/** The backend reports durations to the microsecond; anything further off is another duration. */
const DURATION_TOLERANCE_MS = 0.002;

interface Planned {
  readonly plan: ClassesRunPlan;
  readonly parameters: SchedulingParameters;
  readonly simulated: SimulatedOutcome;
}

interface LiveContext {
  readonly settings: ClassesSettings;
  readonly schedule: ServiceSchedule;
  readonly backend: string;
  readonly dir: string;
  readonly timeoutMs: number;
  readonly warmup: number;
  readonly io: BenchmarkIo;
}

/** Answered calls whose duration, as the backend reported it, is not the schedule's. */
function countMismatches(load: ScheduledLoadResult, durationMs: Float64Array): number {
  let mismatches = 0;
  for (let i = 0; i < durationMs.length; i++) {
    if ((load.status[i] as number) !== 200) continue;
    const reported = Number(load.captured[i]);
    if (!(Math.abs(reported - (durationMs[i] as number)) <= DURATION_TOLERANCE_MS)) mismatches++;
  }
  return mismatches;
}

async function runLive(planned: Planned, context: LiveContext): Promise<ClassesRunOutcome> {
  const { settings, schedule: service, dir, timeoutMs, warmup, io } = context;
  const { plan } = planned;
  const { schedule } = service;
  const n = schedule.arrivalMs.length;
  const [port, adminPort] = [await freePort(), await freePort()];
  const config = createClassesProxyConfig({
    parameters: planned.parameters,
    trustLoopback: plan.hinted,
    backend: context.backend,
    slots: settings.slots,
    port,
    adminPort,
    requestTimeoutMs: timeoutMs,
  });
  const proxy = await launchShortline({
    yaml: classesConfigYaml(config),
    configPath: join(dir, classesRunFiles(plan.name).config),
    adminPort,
    policy: planned.parameters.policy,
    log: (line) => io.log(`[shortline ${plan.name}] ${line}`),
  });
  const calls = serviceCalls(service, plan.hinted);
  let load: ScheduledLoadResult;
  let learnt: ClassesRunOutcome['learnt'];
  try {
    io.log(`${plan.name}: sending ${n} calls over ${(service.spanMs / 1000).toFixed(1)} s through shortline serve (${settings.slots} slots, one function)`);
    const bar = createProgressBar(io.progress, plan.name.padEnd(12));
    load = await runScheduledLoad({
      origin: `http://127.0.0.1:${port}`,
      dueMs: schedule.arrivalMs,
      path: calls.path,
      shape: calls.shape,
      captureHeader: DURATION_HEADER,
      warmup: { path: WARMUP_PATH, requests: WARMUP_REQUESTS },
      timeoutMs,
      onProgress: bar && ((sent, answered, histogram) => bar.update(sent, n, `answered ${answered}, p99 so far ${(histogram.getValueAtPercentile(99) / 1000).toFixed(1)} ms`)),
    });
    bar?.clear();
    learnt = await learntClasses(adminPort, SERVICE_FUNCTION);
  } finally {
    await proxy.stop();
  }
  const records = liveRecords(load);
  const live = summarizeLive(schedule, records, warmup);
  const lag = judgeSendLag(load.lagMs, settings);
  const durationMismatches = countMismatches(load, schedule.durationMs);
  io.log(
    `${plan.name}: mean ${live.metrics.meanLatencyMs.toFixed(1)} ms live, ${planned.simulated.result.metrics.meanLatencyMs.toFixed(1)} ms simulated; ` +
      `${live.metrics.errors} errors; send lag p99 ${lag.lag.p99Ms.toFixed(2)} ms${lag.valid ? '' : ` (INVALID: ${lag.problems.join('; ')})`}` +
      (durationMismatches === 0 ? '' : `; ${durationMismatches} calls off their scheduled duration`),
  );
  return { plan, parameters: proxy.policy.parameters, live, records, lag, simulated: planned.simulated, durationMismatches, learnt, wallMs: load.wallMs };
}

/**
 * The benchmark: the service's schedule, simulated and then sent live through a fresh Shortline for
 * each run (fifo, aging-srtf, the live oracle), in front of one service backend; writes the report
 * folder. A process that fails to start throws; a run the generator could not drive, or whose
 * backend did not give the scheduled durations, is returned as invalid.
 */
export async function runClassesBenchmark(settings: ClassesSettings, command: string, io: BenchmarkIo): Promise<ClassesOutcome> {
  const startedAt = new Date().toISOString();
  const loadAverageBefore = loadavg()[0] ?? NaN;
  const service = createServiceSchedule(settings);
  const { schedule, scale } = service;
  const n = schedule.arrivalMs.length;
  const warmup = Math.floor(n * DEFAULT_WARMUP_FRACTION);
  io.log(`${n} calls of the service, time scale ${scale.factor.toPrecision(4)}, simulating ${CLASSES_RUNS.map((plan) => plan.name).join(', ')}`);
  const simulateOptions = { slots: settings.slots, prior: 'default', warmup } as const;
  const plans: Planned[] = CLASSES_RUNS.map((plan) => {
    const parameters = scaledSchedulingParameters(plan.policy, scale.factor);
    return { plan, parameters, simulated: simulateSchedule(schedule, parameters, { ...simulateOptions, hintMs: plan.hinted ? service.hintMs : undefined }) };
  });
  const simulatedOracle = simulateSchedule(schedule, { policy: { name: ORACLE }, priorMs: plans[0]?.parameters.priorMs ?? 0 }, simulateOptions).result;
  const longestSimulated = Math.max(...plans.map((planned) => planned.simulated.result.metrics.maxLatencyMs));
  const timeoutMs = Math.max(MIN_TIMEOUT_MS, Math.ceil(TIMEOUT_OVER_SIMULATED_MAX * longestSimulated));

  const dir = join(resolve(settings.outDir), `classes-${startedAt.replace(/[:.]/g, '-')}`);
  await mkdir(dir, { recursive: true });
  const backend: ChildTarget<{ port: number }> = await startChildTarget(backendMain(), [String(scale.factor), String(scale.floorMs)]);
  const runs: ClassesRunOutcome[] = [];
  try {
    const context: LiveContext = { settings, schedule: service, backend: `http://127.0.0.1:${backend.info.port}`, dir, timeoutMs, warmup, io };
    for (const planned of plans) runs.push(await runLive(planned, context));
  } finally {
    await backend.stop();
  }
  const run: ClassesBenchmarkRun = {
    settings,
    command,
    startedAt,
    machine: { cpus: availableParallelism(), node: process.versions.node, loadAverageBefore, loadAverageAfter: loadavg()[0] ?? NaN },
    schedule: service,
    warmup,
    routes: routeGroups(service.features, schedule.durationMs, warmup),
    runs,
    simulatedOracle,
  };
  await writeClassesReport(dir, run);
  return { dir, run, valid: classesRunProblems(run).length === 0 };
}
