import { targetsTable } from '../lib/bench-target.js';
import { formatMs as ms, markdownTable } from '../lib/markdown-table.js';
import { runHeaderLines } from '../lib/run-header.js';
import type { ArmFigures } from './arm-figures.js';
import { caseProblems, type CaseOutcome } from './case-outcome.js';
import { caseTargets } from './case-targets.js';
import { CONCURRENCY_FILES, type ConcurrencyRun } from './concurrency-run.js';
import type { LimitSample } from './limit-watch.js';

const count = (n: number): string => n.toLocaleString('en-US');
const times = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');
const seconds = (value: number | undefined): string => (value === undefined ? '—' : `${(value / 1000).toFixed(1)} s`);

function state(sample: LimitSample | undefined): string {
  if (sample === undefined) return '—';
  const limit = sample.limit === 0 ? 'no limit' : `limit ${sample.limit}`;
  return `${sample.kind}, ${limit}${sample.longBudget > 0 ? `, long budget ${sample.longBudget}` : ''}`;
}

function figuresRow(label: string, figures: ArmFigures, base: ArmFigures, failed: string): string[] {
  return [
    label,
    ms(figures.meanMs),
    ms(figures.p50Ms),
    ms(figures.p99Ms),
    ms(figures.maxMs),
    figures.throughputPerSec.toFixed(1),
    count(figures.completed),
    failed,
    times(figures.meanMs / base.meanMs),
    times(figures.p99Ms / base.p99Ms),
    times(figures.throughputPerSec / base.throughputPerSec),
  ];
}

function caseSection(outcome: CaseOutcome): string[] {
  const { spec, phases, live, simulated, answers } = outcome;
  const problems = caseProblems(outcome);
  const warmups = outcome.warmupPerRound.map(count).join(', ');
  const lines = [
    `## ${spec.title}`,
    '',
    problems.length === 0 ? 'Valid: the generator kept to the schedule for both arms.' : `**INVALID**: ${problems.join('; ')}`,
    '',
    `- Backend: the \`${spec.model.kind === 'io' ? 'sleep' : spec.model.kind}\` sample${spec.model.kind === 'io' ? '' : ` with ${spec.model.capacity} ${spec.model.kind === 'sequential' ? 'worker(s)' : 'virtual cores'}`}${spec.capacityChange === undefined ? '' : `, set to ${spec.capacityChange.capacity} (PUT /capacity) ${spec.capacityChange.afterS} s into the counted phase`}; a fresh one for each arm of each round.`,
    `- Calls: ${Math.round(100 * (1 - spec.workload.longShare))}% to the short route (${spec.workload.shortMs} ms of work), ${Math.round(100 * spec.workload.longShare)}% to the long one (${spec.workload.longMs} ms); Poisson at ${outcome.ratePerSec.toFixed(1)} req/s (load ${spec.load} of ${spec.slots}).`,
    `- Each round: ${phases.warmupS} s of warm-up (${warmups} calls, not counted: the controller learns from nothing here), then ${phases.measuredS} s counted; ${count(outcome.invocationsPerRound.reduce((a, b) => a + b, 0))} calls per arm in all.`,
    '',
    markdownTable(
      ['', 'mean ms', 'p50 ms', 'p99 ms', 'max ms', 'req/s', 'counted', 'failed', 'mean vs direct', 'p99 vs direct', 'req/s vs direct'],
      [
        figuresRow('live direct (CC=0)', live.direct, live.direct, count(answers.direct.failed)),
        figuresRow('**live Shortline auto**', live.shortline, live.direct, count(answers.shortline.failed)),
        figuresRow('simulated none', simulated.none, simulated.none, '0'),
        figuresRow('simulated auto', simulated.auto, simulated.none, '0'),
      ],
    ),
    '',
    'Per round (Shortline ÷ direct):',
    '',
    markdownTable(
      ['round', 'seed', 'order', 'mean', 'p99', 'req/s', 'median added ms'],
      outcome.rounds.map((round) => [String(round.round + 1), String(round.seed), round.order.join(' → '), times(round.meanRatio), times(round.p99Ratio), times(round.throughputRatio), round.medianAddedMs.toFixed(2)]),
    ),
    '',
    'What the controller learnt (from /debug/queue every 250 ms; the simulator: when its limit or budget first took hold, and its final state):',
    '',
    markdownTable(
      ['round', 'kind named at', 'after completions', 'end of warm-up', 'end of run', ...(spec.capacityChange === undefined ? [] : ['before the change', 'followed after']), 'simulated: limited from', 'simulated: final'],
      outcome.learning.map((learning, i) => {
        const learnt = simulated.learnt[i];
        return [
          String(i + 1),
          seconds(learning.learntAtMs),
          learning.learntAfterCompleted === undefined ? '—' : count(learning.learntAfterCompleted),
          state(learning.atWarmupEnd),
          state(learning.atEnd),
          ...(spec.capacityChange === undefined ? [] : [state(learning.beforeChange), seconds(learning.followedAfterMs)]),
          seconds(simulated.limitedFromMs[i]),
          learnt === undefined ? '—' : state({ ...learnt, atMs: 0 }),
        ];
      }),
    ),
    '',
    targetsTable(caseTargets(outcome)),
    '',
    `Send lag p99 / max ms: direct ${outcome.lag.direct.lag.p99Ms.toFixed(2)} / ${outcome.lag.direct.lag.maxMs.toFixed(1)}, Shortline ${outcome.lag.shortline.lag.p99Ms.toFixed(2)} / ${outcome.lag.shortline.lag.maxMs.toFixed(1)}. ` +
      `Chart: \`${CONCURRENCY_FILES.cdf(spec.name)}\`. The long simulator run of this case: \`${spec.simulateCommand}\`.`,
    '',
  ];
  return lines;
}

/** report.md: what ran, each case live next to direct and to the simulator, the targets met and missed. */
export function concurrencyReportMarkdown(run: ConcurrencyRun): string {
  const invalid = run.cases.flatMap(caseProblems);
  const lines = [
    '# Learnt concurrency, live: Shortline `concurrency: auto` against the backend reached directly',
    '',
    invalid.length === 0 ? '**Valid run**: the generator kept to the schedule in every case.' : `**INVALID RUN**:\n${invalid.map((p) => `- ${p}`).join('\n')}`,
    '',
    ...runHeaderLines(run.command, run.startedAt, run.machine),
    `- ${run.settings.rounds} round(s) per case${run.settings.quick ? ' (short mode)' : ''}, seeds from ${run.settings.seed}; in each round both arms get the same calls, in an order that rotates from round to round.`,
    `- Direct: the open-loop generator sends to the sample backend (Knative's containerConcurrency 0: nothing waits outside the container). Shortline: a fresh \`shortline serve\` (its own process) with two functions matched by path prefix (\`/f/0\` short, \`/f/1\` long) over one pool with \`concurrency: auto\`, policy ${run.policy}, no queue bound. Latency runs from each call's scheduled send time to the end of its answer; figures pool the counted calls of all rounds.`,
    '- Simulated: the simulator on the very same schedules (warm-up, capacity change), the real core Scheduler and controller in front of the same container model, in model time.',
    '',
    '## Targets',
    '',
    markdownTable(
      ['case', 'target', 'result', 'met'],
      run.cases.flatMap((outcome) => caseTargets(outcome).map((target) => [outcome.spec.name, target.target, target.result, target.met ? 'yes' : '**no**'])),
    ),
    '',
    ...run.cases.flatMap(caseSection),
  ];
  return lines.join('\n');
}
