import http from 'node:http';
import { REAL_TIMERS, replyText, type Drainer, type Timers } from '@shortline/proxy';

/** The preStop hook of every container in a Knative pod calls this path on the queue-proxy's admin port. */
export const WAIT_FOR_DRAIN_PATH = '/wait-for-drain';

export interface DrainAdminServerOptions {
  readonly drainer: Drainer;
  /** Has the process been told to stop (SIGTERM)? */
  readonly terminating: () => boolean;
  /**
   * A preStop hook that is not followed by SIGTERM within this long means the kubelet is only
   * restarting a container (a failed liveness probe): the drain is abandoned. Knative: 1 s.
   */
  readonly abandonWithoutSigtermMs?: number;
  readonly timers?: Timers;
}

interface PendingAbandon {
  readonly drainer: Drainer;
  readonly terminating: () => boolean;
}

function abandonUnlessTerminating(pending: PendingAbandon): void {
  if (!pending.terminating()) pending.drainer.reset();
}

/** The queue-proxy's admin port (:8022): `/wait-for-drain` starts the drain and answers 200 when it is done. */
export function createDrainAdminServer(options: DrainAdminServerOptions): http.Server {
  const abandonMs = options.abandonWithoutSigtermMs ?? 1000;
  const timers = options.timers ?? REAL_TIMERS;
  return http.createServer((req, res) => {
    req.resume();
    if (req.url?.split('?', 1)[0] !== WAIT_FOR_DRAIN_PATH) return replyText(res, 404, 'not found');
    timers.setTimeout(abandonUnlessTerminating, abandonMs, options).unref();
    options.drainer.drain().then(() => replyText(res, 200, ''));
  });
}
