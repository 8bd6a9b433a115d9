import { rounded, roundedRecord } from '@shortline/load';
import { classesRunProblems, type ClassesBenchmarkRun, type ClassesRunOutcome } from './classes-run.js';
import { CLASSES_REPORT_FILES, classesRunFiles } from './classes-report-files.js';
import { classesTargets } from './classes-targets.js';
import { routeLatencies } from './route-latencies.js';

function inputs(run: ClassesBenchmarkRun): Record<string, unknown> {
  const { settings, schedule } = run;
  return {
    command: run.command,
    startedAt: run.startedAt,
    machine: run.machine,
    workload: 'service',
    workloadParameters: schedule.parameters,
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

function runEntry(outcome: ClassesRunOutcome): Record<string, unknown> {
  const { learnt } = outcome;
  return {
    policy: outcome.plan.policy,
    hinted: outcome.plan.hinted,
    parameters: outcome.parameters,
    live: {
      ...roundedRecord(outcome.live.metrics),
      proxyAddedMs: roundedRecord(outcome.live.overheads.proxyAddedMs),
      serviceOverrunMs: roundedRecord(outcome.live.overheads.serviceOverrunMs),
      lagMs: roundedRecord(outcome.lag.lag),
      valid: outcome.lag.valid && outcome.durationMismatches === 0,
      durationMismatches: outcome.durationMismatches,
      wallMs: rounded(outcome.wallMs),
    },
    simulated: { ...roundedRecord(outcome.simulated.result.metrics), errors: 0 },
    learnt:
      learnt === undefined
        ? null
        : {
            samples: learnt.samples,
            candidate: learnt.candidate,
            features: learnt.features,
            male: rounded(learnt.male),
            mape: rounded(learnt.mape),
            classCount: learnt.classCount,
            classes: learnt.classes.map((entry) => ({ ...entry, estimateMs: rounded(entry.estimateMs), male: rounded(entry.male), mape: rounded(entry.mape) })),
          },
  };
}

/** report.json: per run `live`, `simulated` and what the proxy learnt; per route the mean latencies; targets and inputs. */
export function createClassesReportJson(run: ClassesBenchmarkRun): Record<string, unknown> {
  const problems = classesRunProblems(run);
  return {
    valid: problems.length === 0,
    problems,
    runs: Object.fromEntries(run.runs.map((outcome) => [outcome.plan.name, runEntry(outcome)])),
    simulatedOracle: roundedRecord(run.simulatedOracle.metrics),
    routes: routeLatencies(run).map((entry) => ({
      route: entry.group.label,
      calls: entry.group.calls.length,
      meanDurationMs: rounded(entry.group.meanDurationMs),
      meanLatencyMs: Object.fromEntries(run.runs.map((outcome, i) => [outcome.plan.name, { live: rounded(entry.live[i] as number), simulated: rounded(entry.simulated[i] as number) }])),
    })),
    targets: classesTargets(run),
    inputs: inputs(run),
    files: { ...CLASSES_REPORT_FILES, runs: Object.fromEntries(run.runs.map((outcome) => [outcome.plan.name, classesRunFiles(outcome.plan.name)])) },
  };
}
