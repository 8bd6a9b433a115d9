import { rounded, roundedRecord } from '@shortline/load';
import { runProblems, type BenchmarkRun, type PolicyOutcome } from './benchmark-run.js';
import { liveVsSimulated, targets, versusFifo } from './comparisons.js';
import { liveFigures, runInputs, scheduleInputs } from './live-report-json.js';
import { policyFiles, REPORT_FILES } from './report-files.js';

function inputs(run: BenchmarkRun): Record<string, unknown> {
  const { settings, schedule } = run;
  return {
    ...runInputs(run),
    source: schedule.source,
    label: schedule.label,
    mode: settings.source.kind === 'trace' ? settings.source.mode : 'mix',
    handler: settings.handler,
    prior: settings.prior,
    ...scheduleInputs(run),
  };
}

/** report.json: per policy `live` and `simulated` figures with the same names, then comparisons and inputs. */
export function createReportJson(run: BenchmarkRun): Record<string, unknown> {
  const problems = runProblems(run);
  return {
    valid: problems.length === 0,
    problems,
    policies: Object.fromEntries(
      run.policies.map((policy) => [
        policy.name,
        {
          parameters: policy.parameters,
          live: liveFigures(policy),
          simulated: { ...roundedRecord(policy.simulated.result.metrics), errors: 0 },
          liveVsSimulatedMean: rounded(liveVsSimulated(policy)),
        },
      ]),
    ),
    versusFifo: versusFifo(run).map((entry) => ({ policy: entry.policy, live: roundedRecord(entry.live), simulated: roundedRecord(entry.simulated) })),
    targets: targets(run),
    sizeBuckets: run.buckets.map((bucket, index) => ({
      label: bucket.label,
      lowMs: bucket.lowMs,
      highMs: bucket.highMs,
      functions: bucket.functions,
      invocations: bucket.invocations.length,
      p99LatencyMs: Object.fromEntries(
        run.policies.map((policy) => [policy.name, { live: rounded(policy.bucketP99.liveMs[index] as number), simulated: rounded(policy.bucketP99.simulatedMs[index] as number) }]),
      ),
    })),
    inputs: inputs(run),
    files: { ...REPORT_FILES, policies: Object.fromEntries(run.policies.map((policy) => [policy.name, policyFiles(policy.name)])) },
  };
}
