import type { TargetOutcome } from './fairness-targets.js';
import type { TierPlan } from './function-plan.js';
import type { TierPlanName } from './shape-seed-run.js';
import type { Shape } from './shapes.js';

export interface ShapeOutcome {
  readonly shape: Shape;
  readonly seeds: readonly number[];
  readonly outcomes: readonly TargetOutcome[];
  /** The tier plans of the first seed, for what their tiers hold. */
  readonly tiers: Readonly<Record<TierPlanName, Pick<TierPlan, 'high' | 'low'>>>;
}

const percent = (share: number): string => `${(100 * share).toFixed(0)}%`;

const figure = (value: number): string =>
  Number.isNaN(value) ? 'no tier' : Number.isFinite(value) ? (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)) : String(value);
/** Met or not; neither when the plan left the tier empty. */
const mark = (outcome: TargetOutcome, yes: string, no: string): string => (Number.isNaN(outcome.median) ? '–' : outcome.met ? yes : no);
const bound = (outcome: TargetOutcome): string => `${outcome.target.direction === 'at-most' ? '≤' : '≥'} ${outcome.target.bound}`;

/** The tables of bench/RESULTS.md: one overview across shapes, then each shape's targets in full. */
export function fairnessReportMarkdown(shapes: readonly ShapeOutcome[], command: string, invocations: number): string {
  const lines: string[] = [];
  const first = shapes[0];
  lines.push(`\`${command}\` — ${invocations.toLocaleString('en-US')} invocations per run (the first 10% not counted), seeds ${first?.seeds.join(', ') ?? ''}.`, '');
  lines.push(`Median seed (of an even count, the worse of the two middle ones); ✓ when the median meets the target.`, '');
  const names = first?.outcomes.map((o) => o.target.name) ?? [];
  lines.push(`| target | ${shapes.map((s) => s.shape.name).join(' | ')} |`);
  lines.push(`|---|${shapes.map(() => '--:').join('|')}|`);
  names.forEach((name, row) => {
    const cells = shapes.map((s) => {
      const outcome = s.outcomes[row] as TargetOutcome;
      return `${figure(outcome.median)} ${mark(outcome, '✓', '✗')}`;
    });
    lines.push(`| ${name} (${bound(first?.outcomes[row] as TargetOutcome)}) | ${cells.join(' | ')} |`);
  });
  for (const s of shapes) {
    lines.push('', `#### ${s.shape.name}: ${s.shape.description}`, '');
    const holds = (plan: Pick<TierPlan, 'high' | 'low'>): string =>
      `high holds ${percent(plan.high.work)} of the work and ${percent(plan.high.calls)} of the calls, low ${percent(plan.low.work)} and ${percent(plan.low.calls)}`;
    lines.push(`Tier plans (seed ${s.seeds[0] ?? ''}): most work first, ${holds(s.tiers.mostWork)}; random order, ${holds(s.tiers.random)}.`, '');
    lines.push('| target | figure | median | worst | bound | met |', '|---|---|--:|--:|--:|:-:|');
    for (const o of s.outcomes) lines.push(`| ${o.target.name} | ${o.target.figure} | ${figure(o.median)} | ${figure(o.worst)} | ${bound(o)} | ${mark(o, 'yes', 'no')} |`);
  }
  return `${lines.join('\n')}\n`;
}
