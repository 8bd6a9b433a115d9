import type { InvocationRunner } from './invocation-runner.js';
import type { SweepPlan } from './sweep-plan.js';

export interface SweepOptions {
  readonly plan: SweepPlan;
  readonly runner: InvocationRunner;
  /** The first call to make: 0, or where a stopped sweep stood. */
  readonly from: number;
  /** The run's clock at the start, so that a resumed sweep's times follow the first part's. */
  readonly clockMs: number;
  readonly stop?: AbortSignal | undefined;
  readonly graceMs: number;
}

export interface SweepOutcome {
  readonly interrupted: boolean;
  /** The first call not made. */
  readonly next: number;
}

/**
 * Closed loop, cell by cell: `concurrency` workers each make the cell's next call as soon as their
 * previous one has ended, and a cell starts when the one before it has ended, so that every call
 * ran beside exactly its cell's number of others (fewer only at the cell's tail). Each call is
 * scheduled when it is made: a sweep has no schedule to lag behind.
 */
export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const { plan, runner } = options;
  const stop = options.stop ?? new AbortController().signal;
  const stopped = new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));
  runner.origin = performance.now() - options.clockMs;
  let next = options.from;
  while (next < plan.total && !stop.aborted) {
    const end = (Math.floor(next / plan.repeat) + 1) * plan.repeat;
    const worker = async (): Promise<void> => {
      while (next < end && !stop.aborted) await runner.send(plan.invocation(next++, runner.clockMs()));
    };
    const workers = Promise.all(Array.from({ length: Math.min(plan.concurrencyOf(next), end - next) }, worker));
    await Promise.race([workers, stopped]);
  }
  if (!stop.aborted) return { interrupted: false, next };
  await runner.stop(options.graceMs);
  return { interrupted: true, next };
}
