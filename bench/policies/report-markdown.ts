import { formatResultTable } from '@shortline/sim';
import { targetsTable } from '../lib/bench-target.js';
import { formatMs, markdownTable } from '../lib/markdown-table.js';
import { runHeaderLines } from '../lib/run-header.js';
import { runProblems, type BenchmarkRun } from './benchmark-run.js';
import { liveVsSimulated, targets, versusFifo } from './comparisons.js';
import { liveTimeTable, metricsHeader, metricsRow } from './live-report-tables.js';
import { policyFiles, REPORT_FILES } from './report-files.js';

const signedPercent = (fraction: number): string => `${fraction >= 0 ? '+' : ''}${(100 * fraction).toFixed(1)}%`;

/** report.md: what ran, whether it is valid, live next to simulated, where the proxy's time goes. */
export function renderReportMarkdown(run: BenchmarkRun): string {
  const { settings, schedule } = run;
  const problems = runProblems(run);
  const count = (n: number): string => n.toLocaleString('en-US');
  const n = schedule.schedule.arrivalMs.length;
  const lines: string[] = [
    `# Policies head to head through the live proxy: ${schedule.label}`,
    '',
    problems.length === 0
      ? '**Valid run**: the generator kept to the schedule for every policy.'
      : `**INVALID RUN**: the generator could not keep to the schedule, so these latencies are not the schedule's:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    '',
    ...runHeaderLines(run.command, run.startedAt, run.machine),
    `- Workload: ${schedule.label}, seed ${settings.seed}, ${count(n)} invocations per policy, the first ${count(run.warmup)} not counted (warm-up).`,
    `- One pool of ${settings.slots} slots, offered load ${settings.load} (realised on this schedule: ${schedule.realisedLoad.toFixed(3)}); handler \`${settings.handler}\`; prior ${settings.prior}.`,
    `- Time scaled by ${schedule.scale.factor.toPrecision(4)} so that arrivals span ${(schedule.spanMs / 1000).toFixed(1)} s; scaled durations raised to at least ${schedule.scale.floorMs} ms; mean true duration ${schedule.schedule.meanDurationMs.toFixed(1)} ms. Time-valued policy parameters and the predictor's prior are scaled by the same factor.`,
    '- Live: each policy in a fresh `shortline serve` process, the sample function servers in their own processes, an open-loop generator timing each invocation from its scheduled send time. Simulated: the simulator on the same schedule, slots, parameters and prior.',
    '',
    '## Live and simulated',
    '',
    markdownTable(
      metricsHeader('policy', 'run'),
      run.policies.flatMap((policy) => [
        metricsRow(policy.name, 'live', policy.live.metrics, policy.live.metrics.errors),
        metricsRow(policy.name, 'simulated', policy.simulated.result.metrics, 0),
      ]),
    ),
    '',
    markdownTable(
      ['policy', 'live mean ms', 'simulated mean ms', 'live vs simulated'],
      run.policies.map((policy) => [
        policy.name,
        formatMs(policy.live.metrics.meanLatencyMs),
        formatMs(policy.simulated.result.metrics.meanLatencyMs),
        signedPercent(liveVsSimulated(policy)),
      ]),
    ),
    '',
  ];
  const versus = versusFifo(run);
  if (versus.length > 0) {
    lines.push(
      '## Against FIFO',
      '',
      markdownTable(
        ['policy', 'mean below fifo (live)', 'p99 fifo ÷ policy (live)', 'mean below fifo (simulated)', 'p99 fifo ÷ policy (simulated)'],
        versus.map((entry) => [
          entry.policy,
          `${(100 * entry.live.meanReduction).toFixed(1)}%`,
          `${entry.live.p99Ratio.toFixed(2)}×`,
          `${(100 * entry.simulated.meanReduction).toFixed(1)}%`,
          `${entry.simulated.p99Ratio.toFixed(2)}×`,
        ]),
      ),
      '',
    );
  }
  lines.push(
    '## Targets',
    '',
    targetsTable(targets(run)),
    '',
    '## Where the live time goes (ms, counted invocations)',
    '',
    'proxy added = latency − send lag − queue wait − upstream time (hop to the proxy, classification, dispatch, relaying the answer); service overrun = upstream time − true duration (hop to the backend, timer lateness); send lag = how late the generator sent.',
    '',
    liveTimeTable('policy', run.policies),
    '',
    '## p99 latency by function size',
    '',
    'Functions grouped by their mean true duration in this schedule (scaled ms).',
    '',
    markdownTable(
      ['size', 'functions', 'invocations', ...run.policies.flatMap((policy) => [`${policy.name} live`, `${policy.name} sim`])],
      run.buckets.map((bucket, index) => [
        bucket.label,
        count(bucket.functions),
        count(bucket.invocations.length),
        ...run.policies.flatMap((policy) => [formatMs(policy.bucketP99.liveMs[index] as number), formatMs(policy.bucketP99.simulatedMs[index] as number)]),
      ]),
    ),
    '',
    '## Simulator table (same schedule)',
    '',
    '```',
    formatResultTable(run.policies.map((policy) => policy.simulated.result)),
    '```',
    '',
    '## Files',
    '',
    `- \`${REPORT_FILES.json}\`: every figure above, machine-readable.`,
    `- \`${REPORT_FILES.cdfLive}\`, \`${REPORT_FILES.cdfSimulated}\`: latency CDF per policy (log scale).`,
    `- \`${REPORT_FILES.bucketP99}\`: p99 latency per function size, live and simulated.`,
    `- \`${REPORT_FILES.records}\`: one row per invocation and policy (function, scheduled time, true duration, send lag, queue wait, service time, latency, status, warm-up flag, simulated wait).`,
    `- \`${policyFiles('<policy>').histogram}\`: live latency histograms (HdrHistogram percentile distribution, ms).`,
    `- \`${policyFiles('<policy>').config}\`: the configuration each proxy ran with.`,
    '',
  );
  return lines.join('\n');
}
