import { formatResultTable } from '@shortline/sim';
import { targetsTable } from '../lib/bench-target.js';
import { formatMs, markdownTable } from '../lib/markdown-table.js';
import { runHeaderLines } from '../lib/run-header.js';
import { liveTimeTable, metricsHeader, metricsRow } from '../policies/live-report-tables.js';
import { classesRunProblems, type ClassesBenchmarkRun, type ClassesRunOutcome } from './classes-run.js';
import { CLASSES_REPORT_FILES, classesRunFiles } from './classes-report-files.js';
import { classesTargets } from './classes-targets.js';
import { routeLatencies } from './route-latencies.js';
import { DURATION_HEADER, NOISE_HEADER } from './service-backend.js';

const count = (n: number): string => n.toLocaleString('en-US');

function learntSection(outcome: ClassesRunOutcome | undefined): string[] {
  const learnt = outcome?.learnt;
  if (outcome === undefined || learnt === undefined) return [];
  return [
    `## What the proxy learnt (${outcome.plan.name} run, /debug/queue at the end)`,
    '',
    `${count(learnt.samples)} calls learnt from; ${count(learnt.classCount)} classes; predicting with \`${learnt.candidate}\` (features: ${learnt.features.join(', ') || 'none'}); ` +
      `over recent calls mean absolute log error ${learnt.male.toFixed(3)}, MAPE ${(100 * learnt.mape).toFixed(1)}% ` +
      `(the noise alone gives ${(0.25 * Math.sqrt(2 / Math.PI)).toFixed(3)}).`,
    '',
    markdownTable(
      ['class', 'samples', 'estimate ms', 'size exponent', 'ms per MiB', 'size fit', 'MALE'],
      learnt.classes.map((entry) => [
        `\`${entry.key}\``,
        count(entry.samples),
        formatMs(entry.estimateMs),
        entry.sizeExponent.toFixed(2),
        formatMs(entry.msPerMiB),
        entry.sizeFit,
        entry.male.toFixed(3),
      ]),
    ),
    '',
  ];
}

/** report.md: what ran, whether it is valid, live next to simulated, per route, what was learnt. */
export function renderClassesReportMarkdown(run: ClassesBenchmarkRun): string {
  const { settings, schedule } = run;
  const problems = classesRunProblems(run);
  const n = schedule.schedule.arrivalMs.length;
  const names = run.runs.map((outcome) => outcome.plan.name);
  const lines: string[] = [
    `# One service, one function: request classes through the live proxy`,
    '',
    problems.length === 0
      ? '**Valid run**: the generator kept to the schedule and the backend gave every call its scheduled duration, in every run.'
      : `**INVALID RUN**: these latencies are not the schedule's:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    '',
    ...runHeaderLines(run.command, run.startedAt, run.machine),
    `- Workload: the simulator's \`service\` (noise spread ${schedule.parameters['sigma']}), seed ${settings.seed}, ${count(n)} calls per run, the first ${count(run.warmup)} (${((100 * run.warmup) / n).toFixed(0)}%) not counted (warm-up), the same for every run.`,
    `- ONE function (the default function, a catch-all, as the sidecar sees a revision) on one backend of ${settings.slots} slots (containerConcurrency), offered load ${settings.load} (realised: ${schedule.realisedLoad.toFixed(3)}), open loop (Poisson arrivals).`,
    `- Time scaled by ${schedule.scale.factor.toPrecision(4)} so that arrivals span ${(schedule.spanMs / 1000).toFixed(1)} s; scaled durations raised to at least ${schedule.scale.floorMs} ms; mean true duration ${schedule.schedule.meanDurationMs.toFixed(1)} ms. Time-valued policy parameters and the predictor's prior are scaled by the same factor; nothing else is configured (no match rules, no expected durations, no predictor features).`,
    `- The backend (its own process) computes each call's duration from the request it receives, as the simulator drew it: the \`service\` workload's base duration for its method, route, \`range\` and the bytes of body it read, times the call's noise factor from \`${NOISE_HEADER}\` (a header no predictor feature reads), time-scaled; then it sleeps (a timer: no CPU) for what is left of it after reading the body. It answers the duration in \`${DURATION_HEADER}\`; the run is invalid if any differs from the schedule's.`,
    `- Runs, each in a fresh \`shortline serve\` process, on the same schedule: ${run.runs.map((outcome) => `**${outcome.plan.name}**: ${outcome.plan.about}`).join('; ')}. Simulated: the simulator on the same schedule, slots, parameters, prior and hints.`,
    '',
    '## Live and simulated',
    '',
    markdownTable(
      metricsHeader('run', ''),
      run.runs.flatMap((outcome) => [
        metricsRow(outcome.plan.name, 'live', outcome.live.metrics, outcome.live.metrics.errors),
        metricsRow(outcome.plan.name, 'simulated', outcome.simulated.result.metrics, 0),
      ]),
    ),
    '',
    `The simulator's own oracle (sept told every true duration, a lower bound) has mean ${formatMs(run.simulatedOracle.metrics.meanLatencyMs)} ms on this schedule.`,
    '',
    '## Targets',
    '',
    targetsTable(classesTargets(run)),
    '',
    '## Mean latency per route (ms, counted calls)',
    '',
    markdownTable(
      ['route', 'calls', 'mean true duration', ...names.flatMap((name) => [`${name} live`, `${name} sim`])],
      routeLatencies(run).map((entry) => [
        `\`${entry.group.label}\``,
        count(entry.group.calls.length),
        formatMs(entry.group.meanDurationMs),
        ...entry.live.flatMap((live, i) => [formatMs(live), formatMs(entry.simulated[i] as number)]),
      ]),
    ),
    '',
    ...learntSection(run.runs.find((outcome) => outcome.plan.name === 'aging-srtf')),
    '## Where the live time goes (ms, counted calls)',
    '',
    'proxy added = latency − send lag − queue wait − upstream time (hop to the proxy, classification, dispatch, relaying the answer); service overrun = upstream time − true duration (the body\'s transfer beyond the duration, timer lateness); send lag = how late the generator sent.',
    '',
    liveTimeTable('run', run.runs.map((outcome) => ({ ...outcome, name: outcome.plan.name }))),
    '',
    '## Simulator table (same schedule)',
    '',
    `The runs as the simulator plays them (\`oracle\` here is aging-srtf told every duration, as live).`,
    '',
    '```',
    formatResultTable(run.runs.map((outcome) => ({ ...outcome.simulated.result, name: outcome.plan.name }))),
    '```',
    '',
    '## Files',
    '',
    `- \`${CLASSES_REPORT_FILES.json}\`: every figure above, machine-readable.`,
    `- \`${CLASSES_REPORT_FILES.cdfLive}\`, \`${CLASSES_REPORT_FILES.cdfSimulated}\`: latency CDF per run (log scale).`,
    `- \`${CLASSES_REPORT_FILES.records}\`: one row per call and run (method, path and query, body bytes, scheduled time, true duration, send lag, queue wait, service time, latency, status, warm-up flag, simulated wait).`,
    `- \`${classesRunFiles('<run>').config}\`: the configuration each proxy ran with.`,
    '',
  ];
  return lines.join('\n');
}
