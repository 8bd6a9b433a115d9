import { setTimeout as sleep } from 'node:timers/promises';
import { runScheduledLoad } from '../lib/scheduled-load.js';
import { get, type Launched } from './launch.js';
import { CONCURRENCY, type ServeSetup } from './serve-setups.js';

/** The backend's time per request under overload, as in the comparison. */
export const SERVICE_MS = 50;
/** Load as a multiple of capacity (CONCURRENCY / SERVICE_MS). */
export const OVERLOAD_FACTOR = 3;
const SETTLE_MS = 1000;
const RSS_SAMPLE_MS = 100;

export interface AfterTraffic {
  readonly rssBytes: number;
  readonly failed: number;
}

/** `count` requests answered at once by the backend, CONCURRENCY at a time; then RSS, after a settling second. */
export async function rssAfterRequests(target: Launched, setup: ServeSetup, count: number): Promise<AfterTraffic> {
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next++ < count) if ((await get(setup.port, '/', setup.headers)) !== 200) failed++;
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await sleep(SETTLE_MS);
  return { rssBytes: target.usage().rssBytes, failed };
}

export interface Idle {
  readonly cpuMs: number;
  /** Context switches of all its threads: how often something woke it. */
  readonly wakeups: number;
}

/**
 * V8's memory reducer collects garbage once, some 8 s after allocation stops (a one-off, with many
 * short steps); idle is measured after it, in the steady state a pod without traffic stays in.
 */
const QUIET_BEFORE_IDLE_MS = 10_000;

/** CPU used over `ms` without a request, from QUIET_BEFORE_IDLE_MS after the last one. */
export async function idleUsage(target: Launched, ms: number): Promise<Idle> {
  await sleep(QUIET_BEFORE_IDLE_MS);
  const before = target.usage();
  await sleep(ms);
  const after = target.usage();
  return { cpuMs: (after.cpuNs - before.cpuNs) / 1e6, wakeups: after.contextSwitches - before.contextSwitches };
}

export interface Overload {
  readonly requests: number;
  readonly ok: number;
  /** 503 queue-full, as Knative's queue-proxy answers beyond its queue. */
  readonly refused: number;
  /** Any other status, or no answer. */
  readonly other: number;
  /** The most RSS seen, sampled every 100 ms from the first send to the last answer. */
  readonly peakRssBytes: number;
}

/**
 * Open loop at OVERLOAD_FACTOR × capacity for `ms`: requests on a fixed schedule, each held
 * SERVICE_MS by the backend, whatever happened to earlier ones.
 */
export async function overload(target: Launched, setup: ServeSetup, ms: number): Promise<Overload> {
  const rate = (OVERLOAD_FACTOR * CONCURRENCY * 1000) / SERVICE_MS;
  const dueMs = Float64Array.from({ length: Math.round((rate * ms) / 1000) }, (_, index) => (index * 1000) / rate);
  let peakRssBytes = target.usage().rssBytes;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, target.usage().rssBytes);
  }, RSS_SAMPLE_MS);
  try {
    const result = await runScheduledLoad({
      origin: `http://127.0.0.1:${setup.port}`,
      dueMs,
      path: () => `/?ms=${SERVICE_MS}`,
      headers: setup.headers,
      timeoutMs: 30_000,
    });
    let ok = 0;
    let refused = 0;
    for (const status of result.status) {
      if (status === 200) ok++;
      else if (status === 503) refused++;
    }
    peakRssBytes = Math.max(peakRssBytes, target.usage().rssBytes);
    return { requests: dueMs.length, ok, refused, other: dueMs.length - ok - refused, peakRssBytes };
  } finally {
    clearInterval(sampler);
  }
}
