import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpClient } from './http-client.js';
import type { LoadInvocation } from './invocation.js';
import type { InvocationRunner } from './invocation-runner.js';
import type { HttpCall } from './request-builder.js';
import type { ScheduleStream } from './schedule-stream.js';

export interface OpenLoopOptions {
  readonly schedule: ScheduleStream;
  readonly runner: InvocationRunner;
  /**
   * At most this many requests in flight; an invocation due while all are taken waits for one to end,
   * and its send lag shows it. Undefined: no bound (every due invocation goes out at once).
   */
  readonly maxInFlight?: number | undefined;
  /** Stop sending: what is due and waiting is settled as not sent, what is in flight gets `graceMs`. */
  readonly stop?: AbortSignal | undefined;
  readonly graceMs: number;
  /**
   * Requests sent (a few at a time, untimed, unrecorded) before the schedule starts, so that
   * connections are open and the client's code is compiled before the first timed send. Pick a
   * request the target answers without side effects.
   */
  readonly warmup?: { readonly client: HttpClient; readonly call: HttpCall; readonly requests: number } | undefined;
}

export interface OpenLoopOutcome {
  /** True when `stop` ended the run before the schedule did. */
  readonly interrupted: boolean;
}

/** Time to set up the first sends before the first due time. */
const LEAD_MS = 20;
const WARMUP_CONCURRENCY = 8;

/**
 * Open-loop load on a schedule: each invocation goes out at its scheduled time whatever has become
 * of the ones before it, and its latency counts from that time, so a slow target shows up as latency
 * instead of quietly slowing the sender ("coordinated omission"). Sends happen on timer ticks; a late
 * tick sends everything that has fallen due, each still timed from its own due time. The schedule's
 * clock starts so that the next invocation is due LEAD_MS from now (a resumed run keeps its gaps).
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopOutcome> {
  const { schedule, runner } = options;
  const limit = options.maxInFlight ?? Infinity;
  const stop = options.stop ?? new AbortController().signal;
  const waiting: LoadInvocation[] = [];
  let head = 0;
  const release = (): void => {
    if (head < waiting.length && !stop.aborted) void runner.send(waiting[head++] as LoadInvocation).then(release);
    // Drop the sent ones now and then, so that a long wait does not keep the whole run in memory.
    if (head > 1024 && head * 2 > waiting.length) {
      waiting.splice(0, head);
      head = 0;
    }
  };

  const warmup = options.warmup;
  for (let sent = 0; warmup !== undefined && sent < warmup.requests && !stop.aborted; sent += WARMUP_CONCURRENCY) {
    const batch = Math.min(WARMUP_CONCURRENCY, warmup.requests - sent);
    await Promise.all(Array.from({ length: batch }, () => warmup.client.send(warmup.call)));
  }
  const first = schedule.peek();
  if (first !== undefined) runner.origin = performance.now() + LEAD_MS - first.scheduledMs;
  for (let next = first; next !== undefined && !stop.aborted; next = schedule.peek()) {
    const wait = runner.origin + next.scheduledMs - performance.now();
    if (wait > 0) {
      await sleep(wait, undefined, { signal: stop }).catch(() => undefined);
      continue;
    }
    schedule.take();
    if (runner.inFlight < limit && head === waiting.length) void runner.send(next).then(release);
    else waiting.push(next);
  }
  const stopped = new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));
  while ((runner.inFlight > 0 || head < waiting.length) && !stop.aborted) await Promise.race([runner.idle(), stopped]);
  if (!stop.aborted) return { interrupted: false };
  while (head < waiting.length) runner.notSent(waiting[head++] as LoadInvocation);
  await runner.stop(options.graceMs);
  return { interrupted: true };
}
