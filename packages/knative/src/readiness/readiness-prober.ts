import { REAL_TIMERS, type Timers } from '@shortline/proxy';
import { pause } from '../timers/pause.js';
import { checkFailed, type CheckOutcome } from './check-outcome.js';
import { checkGrpc } from './grpc-check.js';
import { checkHttp } from './http-check.js';
import type { ProbeAction, ProbeSpec } from './probe-spec.js';
import { checkTcp } from './tcp-check.js';

export interface ReadinessProberOptions {
  readonly probes: readonly ProbeSpec[];
  /** Aggressive mode (periodSeconds 0): time between attempts. Knative: 50 ms. */
  readonly pollIntervalMs?: number;
  /** Aggressive mode: how long to keep trying before answering not ready. Knative: 10 s. */
  readonly pollTimeoutMs?: number;
  /** Aggressive mode: the timeout of each attempt. Knative: 100 ms. */
  readonly attemptTimeoutMs?: number;
  /** Told why a run answered not ready (the last attempt's reason). */
  readonly onNotReady?: (reason: string) => void;
  /** The poll's pauses and deadline, and a gRPC attempt's timeout. Default: the process's. */
  readonly timers?: Timers;
}

export interface ReadinessProber {
  /** Runs the user container's readiness probes; true when every one passes. */
  probe(): Promise<boolean>;
}

function check(action: ProbeAction, timeoutMs: number, timers: Timers): Promise<CheckOutcome> {
  switch (action.kind) {
    case 'http':
      return checkHttp(action, timeoutMs);
    case 'tcp':
      return checkTcp(action, timeoutMs);
    case 'grpc':
      return checkGrpc(action, timeoutMs, timers);
  }
}

/**
 * The queue-proxy's readiness prober. A probe with periodSeconds 0 is polled aggressively until it
 * passes successThreshold times in a row or the poll times out; any other probe runs once with its
 * own timeout (the kubelet applies its period and thresholds). Callers arriving while a run is under
 * way share its answer, so a burst of probe requests costs one run.
 */
export function createReadinessProber(options: ReadinessProberOptions): ReadinessProber {
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  const pollTimeoutMs = options.pollTimeoutMs ?? 10_000;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 100;
  const timers = options.timers ?? REAL_TIMERS;
  let running: Promise<boolean> | undefined;

  async function runOne(spec: ProbeSpec): Promise<CheckOutcome> {
    if (spec.periodSeconds > 0) return check(spec.action, spec.timeoutSeconds * 1000, timers);
    const deadline = timers.now() + pollTimeoutMs;
    let successes = 0;
    for (;;) {
      const outcome = await check(spec.action, attemptTimeoutMs, timers);
      successes = outcome.ok ? successes + 1 : 0;
      if (successes >= spec.successThreshold) return outcome;
      if (timers.now() + pollIntervalMs > deadline) {
        return outcome.ok ? checkFailed(`passed only ${successes} of ${spec.successThreshold} times in a row`) : outcome;
      }
      await pause(timers, pollIntervalMs);
    }
  }

  async function runAll(): Promise<boolean> {
    const outcomes = await Promise.all(options.probes.map(runOne));
    const failed = outcomes.find((outcome) => !outcome.ok);
    if (failed !== undefined && !failed.ok) options.onNotReady?.(failed.reason);
    return failed === undefined;
  }

  return {
    probe(): Promise<boolean> {
      running ??= runAll().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
