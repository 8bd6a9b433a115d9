import type { ConcurrencyState, SchedulerSnapshot } from '@shortline/core';
import { request } from 'undici';

/** What the backend's controller said at one moment, read from /debug/queue. */
export interface LimitSample {
  /** On the schedule's clock: ms after due time 0 (negative before the first send). */
  readonly atMs: number;
  readonly kind: ConcurrencyState['kind'];
  /** 0 = no limit. */
  readonly limit: number;
  /** Long calls it may run at once; 0 = no budget. */
  readonly longBudget: number;
  readonly parallelism: number;
  /** Calls the controller has seen complete. */
  readonly completed: number;
}

export interface LimitWatch {
  /** Sets the instant due time 0 stands for (`performance.now()`), once the load has started. */
  setOrigin(originMs: number): void;
  /** Stops polling; resolves with every sample taken, oldest first. */
  stop(): Promise<readonly LimitSample[]>;
}

async function readState(adminPort: number): Promise<ConcurrencyState | undefined> {
  const { body } = await request(`http://127.0.0.1:${adminPort}/debug/queue`);
  const snapshot = (await body.json()) as SchedulerSnapshot;
  return snapshot.pools[0]?.backends[0]?.concurrency;
}

/**
 * Polls the proxy's /debug/queue every `everyMs` for the one backend's controller state, the way an
 * operator watching the limit would (the gauge shortline_backend_concurrency_limit carries the same
 * number). One poll at a time: a slow answer delays the next rather than piling up.
 */
export function watchLimits(adminPort: number, everyMs: number): LimitWatch {
  // Taken on performance.now(); moved onto the schedule's clock when the watch stops.
  const samples: LimitSample[] = [];
  let origin = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const state = await readState(adminPort).catch(() => undefined);
      if (state !== undefined) {
        samples.push({
          atMs: performance.now(),
          kind: state.kind,
          limit: state.limit,
          longBudget: state.longBudget,
          parallelism: state.parallelism,
          completed: state.completed,
        });
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, everyMs);
      });
    }
  })();
  return {
    setOrigin: (originMs) => {
      origin = originMs;
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      return samples.map((sample) => ({ ...sample, atMs: sample.atMs - origin }));
    },
  };
}
