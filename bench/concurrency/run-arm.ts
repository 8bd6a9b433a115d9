import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createProgressBar, type ProgressStream } from '@shortline/load';
import { parseConfig } from '@shortline/proxy';
import { CAPACITY_PATH, spawnSampleServer, type RunningSample, type SampleKind } from '@shortline/samples';
import { request } from 'undici';
import { freePort } from '../lib/free-port.js';
import { createProxyConfig, invocationPath, proxyConfigYaml } from '../lib/proxy-config.js';
import { runScheduledLoad } from '../lib/scheduled-load.js';
import type { SchedulingParameters } from '../lib/scheduling-parameters.js';
import { startShortlineProcess, type ShortlineProcess } from '../lib/shortline-process.js';
import type { ArmRecords } from './arm-figures.js';
import type { Arm, RoundPlan } from './case-plan.js';
import type { ConcurrencyCase } from './concurrency-cases.js';
import { CONCURRENCY_FILES } from './concurrency-run.js';
import { watchLimits, type LimitSample, type LimitWatch } from './limit-watch.js';

export interface ArmContext {
  readonly dir: string;
  readonly parameters: SchedulingParameters;
  readonly progress: ProgressStream;
  log(line: string): void;
}

export interface ArmRun {
  readonly records: ArmRecords;
  /** Shortline's controller as /debug/queue showed it; empty for direct. */
  readonly limits: readonly LimitSample[];
  /** When the backend answered the capacity change (schedule clock); undefined without one. */
  readonly changedAtMs: number | undefined;
}

/** A request outlives any latency these cases should see; a lost one shows as a failure, not a hang. */
const TIMEOUT_MS = 60_000;
/** Matches no function: Shortline answers 404 without queueing; the sample answers it as a 0 ms call. */
const WARMUP_PATH = '/bench-warm-up';
const WARMUP_REQUESTS = 50;
const ADMITTED_HEADER = 'x-sample-admitted';
const POLL_MS = 250;

/** The live sample for a case's model: the modelled sequential or shared container, or the sleep sample for io. */
function sampleKind(spec: ConcurrencyCase): SampleKind {
  return spec.model.kind === 'io' ? 'sleep' : spec.model.kind;
}

async function startProxy(spec: ConcurrencyCase, plan: RoundPlan, backend: RunningSample, context: ArmContext): Promise<{ proxy: ShortlineProcess; port: number; adminPort: number }> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const config = createProxyConfig({
    parameters: context.parameters,
    functions: plan.schedule.functions,
    expectedFromAverage: false,
    backends: [backend.url],
    concurrencyPerBackend: 'auto',
    port,
    adminPort,
    requestTimeoutMs: TIMEOUT_MS,
  });
  const configPath = join(context.dir, CONCURRENCY_FILES.config(spec.name));
  const yaml = proxyConfigYaml(config);
  parseConfig(yaml, configPath);
  await writeFile(configPath, yaml);
  const proxy = await startShortlineProcess(configPath, adminPort, (line) => context.log(`[shortline ${spec.name}] ${line}`));
  return { proxy, port, adminPort };
}

async function changeCapacity(backend: RunningSample, capacity: number): Promise<void> {
  const { statusCode, body } = await request(`${backend.url}${CAPACITY_PATH}?k=${capacity}`, { method: 'PUT' });
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`PUT ${CAPACITY_PATH}?k=${capacity} answered ${statusCode}: ${text}`);
}

/**
 * One arm of one round: a fresh backend (so both arms start from the same container state), for the
 * Shortline arm a fresh `shortline serve` in front of it (so the controller learns from nothing, in the
 * warm-up), the round's schedule open loop, and the capacity change at its time on the schedule's clock.
 */
export async function runArm(spec: ConcurrencyCase, plan: RoundPlan, arm: Arm, context: ArmContext): Promise<ArmRun> {
  const { schedule } = plan;
  const backend = await spawnSampleServer(sampleKind(spec), spec.model.kind === 'io' ? { maxMs: 10_000 } : { capacity: spec.model.capacity, maxMs: 10_000 });
  let shortline: { proxy: ShortlineProcess; port: number; adminPort: number } | undefined;
  let watch: LimitWatch | undefined;
  const timers: NodeJS.Timeout[] = [];
  try {
    if (arm === 'shortline') shortline = await startProxy(spec, plan, backend, context);
    watch = shortline === undefined ? undefined : watchLimits(shortline.adminPort, POLL_MS);
    let changedAtMs: number | undefined;
    let changeFailed: Error | undefined;
    let origin = 0;
    const n = schedule.arrivalMs.length;
    const label = `${spec.name} r${plan.round} ${arm}`;
    context.log(`${label}: ${n} calls over ${((schedule.arrivalMs[n - 1] as number) / 1000).toFixed(1)} s, the first ${plan.warmup} warm-up`);
    const bar = createProgressBar(context.progress, label.padEnd(22));
    const load = await runScheduledLoad({
      origin: shortline === undefined ? backend.url : `http://127.0.0.1:${shortline.port}`,
      dueMs: schedule.arrivalMs,
      path: invocationPath(schedule),
      captureHeader: ADMITTED_HEADER,
      timeoutMs: TIMEOUT_MS,
      warmup: { path: WARMUP_PATH, requests: WARMUP_REQUESTS },
      onStart: (originMs) => {
        origin = originMs;
        watch?.setOrigin(originMs);
        const change = spec.capacityChange;
        if (change !== undefined && plan.changeAtMs !== undefined) {
          const at = plan.changeAtMs;
          timers.push(
            setTimeout(() => {
              changeCapacity(backend, change.capacity).then(
                () => (changedAtMs = performance.now() - origin),
                (error: unknown) => (changeFailed = error as Error),
              );
            }, Math.max(0, originMs + at - performance.now())),
          );
        }
      },
      onProgress: bar && ((sent, answered) => bar.update(sent, n, `answered ${answered}`)),
    });
    bar?.clear();
    const limits = (await watch?.stop()) ?? [];
    if (changeFailed !== undefined) throw changeFailed;
    return {
      records: { arm, round: plan.round, dueMs: schedule.arrivalMs, latencyMs: load.latencyMs, status: load.status, admitted: load.captured, lagMs: load.lagMs, warmup: plan.warmup },
      limits,
      changedAtMs,
    };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await watch?.stop();
    await shortline?.proxy.stop();
    await backend.close();
  }
}
