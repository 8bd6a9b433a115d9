import { rounded, roundedRecord } from '@shortline/load';
import { liveFigures, runInputs, scheduleInputs } from '../policies/live-report-json.js';
import { classesRunProblems, type ClassesBenchmarkRun, type ClassesRunOutcome } from './classes-run.js';
import { CLASSES_REPORT_FILES, classesRunFiles } from './classes-report-files.js';
import { classesTargets } from './classes-targets.js';
import { routeLatencies } from './route-latencies.js';

function inputs(run: ClassesBenchmarkRun): Record<string, unknown> {
  return { ...runInputs(run), workload: 'service', workloadParameters: run.schedule.parameters, ...scheduleInputs(run) };
}

function runEntry(outcome: ClassesRunOutcome): Record<string, unknown> {
  const { learnt } = outcome;
  return {
    policy: outcome.plan.policy,
    hinted: outcome.plan.hinted,
    parameters: outcome.parameters,
    live: { ...liveFigures(outcome), valid: outcome.lag.valid && outcome.durationMismatches === 0, durationMismatches: outcome.durationMismatches },
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
