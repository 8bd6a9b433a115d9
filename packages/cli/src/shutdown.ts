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

/** Drains within `boundMs`; a second signal, or the bound, cuts the drain short. Closes in every case. */
export async function drainThenClose(target: Stoppable, boundMs: number): Promise<ShutdownOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const cutShort = new Promise<ShutdownOutcome>((resolve) => {
    timer = setTimeout(() => resolve('bound'), boundMs);
    void nextSignal().then(() => resolve('signal'));
  });
  const outcome = await Promise.race([target.drain().then(() => 'drained' as const), cutShort]);
  clearTimeout(timer);
  await target.close();
  return outcome;
}
