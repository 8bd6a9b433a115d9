import { performance } from 'node:perf_hooks';
import type { Clock } from '@shortline/core';

/** A pending timer: what the proxy does with one besides clearing it. Node's `Timeout` is one. */
export interface TimerHandle {
  /** Starts its delay again from now (a body that keeps arriving restarts its idle watch). */
  refresh(): this;
  /** Lets the process exit while it is pending (a backend's ejection must not hold a shutdown). */
  unref(): this;
}

/**
 * Time as the proxy sees it: a monotonic clock and timers on that clock. Every part of the proxy that
 * waits takes one, so a test can drive all of them by hand (ManualTimers) instead of waiting.
 */
export interface Timers extends Clock {
  /** Calls `callback(arg)` once `delayMs` have passed. The argument saves a closure per request. */
  setTimeout<A>(callback: (arg: A) => void, delayMs: number, arg: A): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The process's own timers and `performance.now`. Node keeps one list per distinct delay, so callers
 * round delays to whole milliseconds: requests of a function then share one list.
 */
export const REAL_TIMERS: Timers = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs, arg) => setTimeout(callback, delayMs, arg),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
