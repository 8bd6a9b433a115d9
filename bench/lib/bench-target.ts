import { markdownTable } from './markdown-table.js';

/** One of a benchmark's "done when" targets as a run judged it. */
export interface BenchTarget {
  readonly target: string;
  readonly result: string;
  readonly met: boolean;
}

/** The targets as a markdown table, a miss in bold. */
export function targetsTable(targets: readonly BenchTarget[]): string {
  return markdownTable(
    ['target', 'result', 'met'],
    targets.map((target) => [target.target, target.result, target.met ? 'yes' : '**no**']),
  );
}
