import { spawnSampleServer, type RunningSample } from '@shortline/samples';
import type { FunctionHandler } from './policies-options.js';

/** The backends of the one pool: where the proxy sends, and how many requests each may hold. */
export interface FunctionServers {
  readonly urls: readonly string[];
  readonly concurrencyPerBackend: number;
  close(): Promise<void>;
}

/**
 * Sample function servers, each in its own process. Every invocation carries its drawn duration in
 * `?ms=`, so one server stands for every function of the workload.
 * - sleep: one server that waits (I/O-bound): any number of calls at once, so the proxy's
 *   concurrency (= slots) is the only limit, as with a container whose concurrency is set to N.
 * - spin: `slots` servers that each keep a CPU busy (CPU-bound) and can run one call at a time;
 *   they only get the durations they were asked for while slots ≤ the CPUs left free.
 */
export async function startFunctionServers(handler: FunctionHandler, slots: number): Promise<FunctionServers> {
  const count = handler === 'sleep' ? 1 : slots;
  const started: RunningSample[] = [];
  try {
    for (let i = 0; i < count; i++) started.push(await spawnSampleServer(handler));
  } catch (error) {
    await Promise.all(started.map((server) => server.close()));
    throw error;
  }
  return {
    urls: started.map((server) => server.url),
    concurrencyPerBackend: handler === 'sleep' ? slots : 1,
    close: async () => {
      await Promise.all(started.map((server) => server.close()));
    },
  };
}
