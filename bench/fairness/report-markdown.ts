import type { TargetOutcome } from './fairness-targets.js';
import type { TierPlan } from './function-plan.js';
import type { Shape } from './shapes.js';

export interface ShapeOutcome {
  readonly shape: Shape;
  readonly seeds: readonly number[];
  readonly outcomes: readonly TargetOutcome[];
  /** The tier plan of the first seed, for what its tiers hold. */
  readonly tiers: Pick<TierPlan, 'high' | 'low'>;
}

const percent = (share: number): string => `${(100 * share).toFixed(0)}%`;

const figure = (value: number): string => (Number.isFinite(value) ? (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)) : String(value));
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
      return `${figure(outcome.median)} ${outcome.met ? '✓' : '✗'}`;
    });
    lines.push(`| ${name} (${bound(first?.outcomes[row] as TargetOutcome)}) | ${cells.join(' | ')} |`);
  });
  for (const s of shapes) {
    lines.push('', `#### ${s.shape.name}: ${s.shape.description}`, '');
    lines.push(
      `Tier plan (seed ${s.seeds[0] ?? ''}): high holds ${percent(s.tiers.high.work)} of the work and ${percent(s.tiers.high.calls)} of the calls, low ${percent(s.tiers.low.work)} and ${percent(s.tiers.low.calls)}.`,
      '',
    );
    lines.push('| target | figure | median | worst | bound | met |', '|---|---|--:|--:|--:|:-:|');
    for (const o of s.outcomes) lines.push(`| ${o.target.name} | ${o.target.figure} | ${figure(o.median)} | ${figure(o.worst)} | ${bound(o)} | ${o.met ? 'yes' : 'no'} |`);
  }
  return `${lines.join('\n')}\n`;
}
