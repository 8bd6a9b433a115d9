import type { ExchangeObserver, ObservedExchange } from '../lifecycle.js';
import { pathWithoutQuery } from '../path-without-query.js';
import type { TimerHandle, Timers } from '../timers/timers.js';

export interface LiveQueueOptions {
  /** The proxy's `observe` (Shortline.observe). */
  readonly observe: (observer: ExchangeObserver) => () => void;
  /** What the scheduler predicts for a request of `functionName` now (`scheduler.predictor.predict`). */
  readonly predict: (functionName: string) => number;
  /** The proxy's clock and timers (Shortline.timers): `now` as `arrivedAtMs` reads it, and the idle timer. */
  readonly timers: Timers;
  /** Completions kept for the page. Default 50. */
  readonly recent?: number;
  /** Stops observing once nobody has asked for this long. Default 30 s. */
  readonly idleMs?: number;
}

/** A request waiting or running, as the page shows it. */
export interface LiveRequest {
  readonly requestId: string;
  readonly function: string;
  readonly method: string;
  readonly path: string;
  /** Time in the queue: so far, or until it was sent to a backend. */
  readonly waitedMs: number;
  /** Time since it was sent to a backend; undefined while it waits. */
  readonly runningMs: number | undefined;
  /** The caller's trusted estimate if any, else the scheduler's prediction. */
  readonly predictedMs: number;
}

/** A request answered (or given up on) lately. */
export interface LiveCompletion {
  readonly requestId: string;
  readonly function: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly waitedMs: number;
  /** Sent to a backend until its answer ended; 0 if it never was. */
  readonly ranMs: number;
  readonly predictedMs: number;
  readonly agoMs: number;
}

/** Per-request detail of the queue, for the admin port's live page. */
export interface LiveQueueSnapshot {
  /** How long requests have been watched: those that arrived before are counted but not listed. */
  readonly watchingForMs: number;
  readonly waiting: readonly LiveRequest[];
  readonly running: readonly LiveRequest[];
  /** Newest first. */
  readonly recent: readonly LiveCompletion[];
}

export interface LiveQueue {
  snapshot(): LiveQueueSnapshot;
  stop(): void;
}

interface Tracked {
  startedAtMs: number | undefined;
  predictedMs: number;
}

/** A completion slot of the ring, written over in place: the page costs no allocation per completion. */
interface Slot {
  requestId: string;
  function: string;
  method: string;
  path: string;
  status: number;
  waitedMs: number;
  ranMs: number;
  predictedMs: number;
  finishedAtMs: number;
}

const MAX_PATH = 200;

/** The path without its query, cut to a length a table can show. */
function pathOf(url: string | undefined): string {
  const path = pathWithoutQuery(url);
  return path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path;
}

/**
 * What waits, what runs and what finished lately, request by request, from the proxy's lifecycle
 * events. It observes only while someone looks: the first snapshot subscribes, and `idleMs` without
 * one unsubscribes, so the request path pays nothing when the page is closed. Requests that arrived
 * before it subscribed are not listed (the scheduler's counts still include them).
 */
export function createLiveQueue(options: LiveQueueOptions): LiveQueue {
  const capacity = options.recent ?? 50;
  const idleMs = options.idleMs ?? 30_000;
  const open = new Map<ObservedExchange, Tracked>();
  const ring: Slot[] = [];
  let next = 0;
  let unobserve: (() => void) | undefined;
  let idleTimer: TimerHandle | undefined;
  let watchingSinceMs = 0;

  const timers = options.timers;
  const predicted = (exchange: ObservedExchange): number => exchange.predictedMs ?? exchange.expectedDurationMs ?? options.predict(exchange.functionName);

  const observer: ExchangeObserver = {
    arrived(exchange) {
      open.set(exchange, { startedAtMs: undefined, predictedMs: 0 });
    },
    started(exchange) {
      const tracked = open.get(exchange);
      if (tracked === undefined || tracked.startedAtMs !== undefined) return;
      tracked.startedAtMs = timers.now();
      tracked.predictedMs = predicted(exchange);
    },
    finished(exchange) {
      const tracked = open.get(exchange);
      if (tracked === undefined) return;
      open.delete(exchange);
      const now = timers.now();
      let slot = ring[next];
      if (slot === undefined) {
        slot = { requestId: '', function: '', method: '', path: '', status: 0, waitedMs: 0, ranMs: 0, predictedMs: 0, finishedAtMs: 0 };
        ring[next] = slot;
      }
      next = (next + 1) % capacity;
      slot.requestId = exchange.requestId;
      slot.function = exchange.functionName;
      slot.method = exchange.req.method ?? '';
      slot.path = pathOf(exchange.req.url);
      slot.status = exchange.response.status;
      slot.waitedMs = (tracked.startedAtMs ?? now) - exchange.arrivedAtMs;
      slot.ranMs = tracked.startedAtMs === undefined ? 0 : now - tracked.startedAtMs;
      slot.predictedMs = tracked.startedAtMs === undefined ? predicted(exchange) : tracked.predictedMs;
      slot.finishedAtMs = now;
    },
  };

  const stop = (): void => {
    if (idleTimer !== undefined) timers.clearTimeout(idleTimer);
    idleTimer = undefined;
    unobserve?.();
    unobserve = undefined;
    open.clear();
  };

  const keepWatching = (): void => {
    if (unobserve === undefined) {
      watchingSinceMs = timers.now();
      unobserve = options.observe(observer);
    }
    if (idleTimer === undefined) idleTimer = timers.setTimeout(stop, idleMs, undefined).unref();
    else idleTimer.refresh();
  };

  return {
    snapshot(): LiveQueueSnapshot {
      keepWatching();
      const now = timers.now();
      const waiting: LiveRequest[] = [];
      const running: LiveRequest[] = [];
      for (const [exchange, tracked] of open) {
        // Not classified yet (its body is being read), or answered by the layers before the queue.
        if (exchange.functionName === '') continue;
        const started = tracked.startedAtMs;
        const request: LiveRequest = {
          requestId: exchange.requestId,
          function: exchange.functionName,
          method: exchange.req.method ?? '',
          path: pathOf(exchange.req.url),
          waitedMs: (started ?? now) - exchange.arrivedAtMs,
          runningMs: started === undefined ? undefined : now - started,
          predictedMs: started === undefined ? predicted(exchange) : tracked.predictedMs,
        };
        (started === undefined ? waiting : running).push(request);
      }
      waiting.sort((a, b) => b.waitedMs - a.waitedMs);
      running.sort((a, b) => (b.runningMs ?? 0) - (a.runningMs ?? 0));
      const recent: LiveCompletion[] = [];
      for (let i = 1; i <= ring.length; i++) {
        const slot = ring[(next - i + capacity) % capacity];
        if (slot === undefined) continue;
        const { finishedAtMs, ...completion } = slot;
        recent.push({ ...completion, agoMs: now - finishedAtMs });
      }
      return { watchingForMs: now - watchingSinceMs, waiting, running, recent };
    },
    stop,
  };
}
