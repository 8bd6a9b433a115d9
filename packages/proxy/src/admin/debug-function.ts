import type { FunctionSnapshot } from '@shortline/core';

/** A function as `/debug/queue` (and the `/queue` page) shows it. */
export interface DebugFunction extends FunctionSnapshot {
  /**
   * The share of its calls counted against its deadline that met it, deadlinesMet / (deadlinesMet +
   * deadlinesMissed); null while none is counted (or it has no deadline).
   */
  readonly deadlineAttainment: number | null;
}

export function debugFunction(fn: FunctionSnapshot): DebugFunction {
  const { deadlinesMet, deadlinesMissed } = fn.counters;
  const counted = deadlinesMet + deadlinesMissed;
  return { ...fn, deadlineAttainment: counted === 0 ? null : deadlinesMet / counted };
}
