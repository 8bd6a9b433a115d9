import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { judgeSendLag, type ProgressStream } from '@shortline/load';
import { renderLatencyCdfSvg } from '@shortline/sim';
import { scaledSchedulingParameters } from '../lib/scheduling-parameters.js';
import { armFigures, countAnswers, sumAnswers, type ArmRecords } from './arm-figures.js';
import { caseProblems, type CaseOutcome, type RoundRatios } from './case-outcome.js';
import { planRound, type Arm, type RoundPlan } from './case-plan.js';
import { caseRate, CASES, type CaseName } from './concurrency-cases.js';
import type { ConcurrencySettings } from './concurrency-options.js';
import { readLearning } from './controller-learning.js';
import { concurrencyReportJson } from './report-json.js';
import { CONCURRENCY_FILES, type ConcurrencyRun } from './concurrency-run.js';
import { concurrencyReportMarkdown } from './report-markdown.js';
import { runArm, type ArmRun } from './run-arm.js';
import { simulateCase } from './simulate-case.js';

export interface ConcurrencyIo {
  readonly progress: ProgressStream;
  log(line: string): void;
}

export interface ConcurrencyOutcome {
  readonly dir: string;
  readonly run: ConcurrencyRun;
  readonly valid: boolean;
}

const POLICY = 'aging-srtf';

function roundRatios(plan: RoundPlan, direct: ArmRecords, shortline: ArmRecords): RoundRatios {
  const [d, s] = [armFigures([direct]), armFigures([shortline])];
  return {
    round: plan.round,
    seed: plan.seed,
    order: plan.order,
    meanRatio: s.meanMs / d.meanMs,
    p99Ratio: s.p99Ms / d.p99Ms,
    throughputRatio: s.throughputPerSec / d.throughputPerSec,
    medianAddedMs: s.p50Ms - d.p50Ms,
  };
}

async function runCase(name: CaseName, settings: ConcurrencySettings, dir: string, io: ConcurrencyIo): Promise<CaseOutcome> {
  const spec = CASES[name];
  const phases = settings.quick ? spec.phases.quick : spec.phases.full;
  const parameters = scaledSchedulingParameters(POLICY, 1);
  const plans = Array.from({ length: settings.rounds }, (_, round) => planRound(spec, phases, settings.seed, round));
  const simulated = simulateCase(spec, plans, { policy: parameters.policy, priorMs: parameters.priorMs });
  const runs: Record<Arm, ArmRun[]> = { direct: [], shortline: [] };
  for (const plan of plans) {
    for (const arm of plan.order) runs[arm].push(await runArm(spec, plan, arm, { dir, parameters, progress: io.progress, log: io.log }));
  }
  const records = (arm: Arm): ArmRecords[] => runs[arm].map((run) => run.records);
  const perArm = <T>(of: (arm: Arm) => T): Record<Arm, T> => ({ direct: of('direct'), shortline: of('shortline') });
  const outcome: CaseOutcome = {
    spec,
    phases,
    ratePerSec: caseRate(spec),
    invocationsPerRound: plans.map((plan) => plan.schedule.arrivalMs.length),
    warmupPerRound: plans.map((plan) => plan.warmup),
    live: perArm((arm) => armFigures(records(arm))),
    answers: perArm((arm) => sumAnswers(records(arm).map(countAnswers))),
    lag: perArm((arm) => judgeSendLag(records(arm).flatMap((r) => [...r.lagMs]), settings)),
    rounds: plans.map((plan, i) => roundRatios(plan, records('direct')[i] as ArmRecords, records('shortline')[i] as ArmRecords)),
    learning: plans.map((plan, i) => {
      const run = runs.shortline[i] as ArmRun;
      const change = spec.capacityChange;
      return readLearning(run.limits, plan.warmupMs, change === undefined ? undefined : { atMs: run.changedAtMs ?? (plan.changeAtMs as number), capacity: change.capacity });
    }),
    limitSamples: runs.shortline.map((run) => run.limits),
    changedAtMs: plans.map((_, i) => perArm((arm) => runs[arm][i]?.changedAtMs)),
    simulated,
  };
  const problems = caseProblems(outcome);
  io.log(
    `${name}: mean ${outcome.live.shortline.meanMs.toFixed(1)} ms through Shortline, ${outcome.live.direct.meanMs.toFixed(1)} ms direct; ` +
      `simulated ${simulated.auto.meanMs.toFixed(1)} / ${simulated.none.meanMs.toFixed(1)} ms${problems.length === 0 ? '' : ` (INVALID: ${problems.join('; ')})`}`,
  );
  const title = `${spec.title}, ${settings.rounds} round(s)`;
  const curves = [
    { name: 'live direct', sortedLatencyMs: outcome.live.direct.sortedLatencyMs },
    { name: 'live shortline auto', sortedLatencyMs: outcome.live.shortline.sortedLatencyMs },
    { name: 'simulated none', sortedLatencyMs: simulated.none.sortedLatencyMs },
    { name: 'simulated auto', sortedLatencyMs: simulated.auto.sortedLatencyMs },
  ];
  await writeFile(join(dir, CONCURRENCY_FILES.cdf(name)), renderLatencyCdfSvg(curves, { title: `Latency CDF: ${title}` }));
  return outcome;
}

/**
 * The benchmark: each case in turn, its rounds one after another, both arms of a round in rotated
 * order; then report.md and report.json. Processes that fail to start throw; a case the generator
 * could not drive is returned as invalid.
 */
export async function runConcurrencyBenchmark(settings: ConcurrencySettings, command: string, io: ConcurrencyIo): Promise<ConcurrencyOutcome> {
  const startedAt = new Date().toISOString();
  const loadAverageBefore = loadavg()[0] ?? NaN;
  const dir = join(resolve(settings.outDir), `concurrency-${startedAt.replace(/[:.]/g, '-')}`);
  await mkdir(dir, { recursive: true });
  const cases: CaseOutcome[] = [];
  for (const name of settings.cases) cases.push(await runCase(name, settings, dir, io));
  const run: ConcurrencyRun = {
    settings,
    command,
    startedAt,
    machine: { cpus: availableParallelism(), node: process.versions.node, loadAverageBefore, loadAverageAfter: loadavg()[0] ?? NaN },
    policy: POLICY,
    cases,
  };
  await Promise.all([
    writeFile(join(dir, CONCURRENCY_FILES.markdown), concurrencyReportMarkdown(run)),
    writeFile(join(dir, CONCURRENCY_FILES.json), JSON.stringify(concurrencyReportJson(run), null, 2) + '\n'),
  ]);
  return { dir, run, valid: cases.every((outcome) => caseProblems(outcome).length === 0) };
}
