import type { Timers } from '@shortline/proxy';

/** Resolves once `ms` have passed on `timers` (a manual clock in tests). */
export function pause(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, ms, undefined));
}
