import type { Timers } from '@shortline/proxy';

/**
 * Resolves once `ms` have passed on `timers` (a manual clock in tests); rejects with the signal's
 * reason, and clears its timer, if `signal` aborts first.
 */
export function pause(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = timers.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
      undefined,
    );
    const onAbort = (): void => {
      timers.clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
