import { REAL_TIMERS, type TimerHandle, type Timers } from '@shortline/proxy';

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/** Resolves on the next SIGTERM or SIGINT. */
export function nextSignal(): Promise<ShutdownSignal> {
  return new Promise((resolve) => {
    const on = (signal: ShutdownSignal) => (): void => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolve(signal);
    };
    const onTerm = on('SIGTERM');
    const onInt = on('SIGINT');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
  });
}

/** Something that stops gracefully (`drain`) or at once (`close`): the proxy in any mode. */
export interface Stoppable {
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** How a shutdown went: drained, or cut short by the bound or by a second signal. */
export type ShutdownOutcome = 'drained' | 'bound' | 'signal';

export interface DrainThenCloseOptions {
  /** The bound's clock. Default: the process's. */
  readonly timers?: Timers;
  /** Cuts the drain short when it settles. Default: the next SIGTERM or SIGINT. */
  readonly secondSignal?: Promise<unknown>;
}

/** Drains within `boundMs`; a second signal, or the bound, cuts the drain short. Closes in every case. */
export async function drainThenClose(target: Stoppable, boundMs: number, options: DrainThenCloseOptions = {}): Promise<ShutdownOutcome> {
  const timers = options.timers ?? REAL_TIMERS;
  const secondSignal = options.secondSignal ?? nextSignal();
  let bound: TimerHandle | undefined;
  const cutShort = new Promise<ShutdownOutcome>((resolve) => {
    bound = timers.setTimeout(resolve, boundMs, 'bound');
    void secondSignal.then(() => resolve('signal'));
  });
  const outcome = await Promise.race([target.drain().then(() => 'drained' as const), cutShort]);
  if (bound !== undefined) timers.clearTimeout(bound);
  await target.close();
  return outcome;
}
