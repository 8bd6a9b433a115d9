import type { LoadResult } from '../lib/load-result.js';

/** One target's measured window in one round; CPU only for the proxies (they report it over IPC). */
export interface Window {
  readonly result: LoadResult;
  /** The proxy process's CPU time (user + system) over the window, per completed request. */
  readonly cpuMicrosPerRequest: number | undefined;
}

/**
 * The order of the targets in round `round` (from 0): rotated by one each round, so that each target
 * runs first, second, ... in turn, and whatever recurs at one point of a round (the first window
 * after the previous round's last target) does not always fall on the same target.
 */
export function roundOrder<T>(targets: readonly T[], round: number): T[] {
  const shift = round % targets.length;
  return [...targets.slice(shift), ...targets.slice(0, shift)];
}

/** The median; NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 === 1 ? (sorted[Math.floor(middle)] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface RatioSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** One ratio per round, in round order. */
  readonly rounds: readonly number[];
}

/**
 * `numerator`'s throughput over `denominator`'s, round by round: each ratio compares two windows
 * measured seconds apart, so a slow spell of a shared machine hits both sides of it alike.
 */
export function throughputRatio(numerator: readonly Window[], denominator: readonly Window[]): RatioSummary {
  const rounds = numerator.map((window, i) => window.result.requestsPerSecond / (denominator[i] as Window).result.requestsPerSecond);
  return ratioSummary(rounds);
}

function ratioSummary(rounds: readonly number[]): RatioSummary {
  return { median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds), rounds };
}

/**
 * `numerator`'s CPU time per request over `denominator`'s, round by round, as throughputRatio; rounds
 * where either side has no CPU figure are left out.
 */
export function cpuPerRequestRatio(numerator: readonly Window[], denominator: readonly Window[]): RatioSummary {
  const rounds: number[] = [];
  numerator.forEach((window, i) => {
    const other = denominator[i]?.cpuMicrosPerRequest;
    if (window.cpuMicrosPerRequest !== undefined && other !== undefined) rounds.push(window.cpuMicrosPerRequest / other);
  });
  return ratioSummary(rounds);
}

/** A target's windows condensed: the median of each figure over the rounds, errors summed. */
export interface TargetSummary {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly errors: number;
  readonly cpuMicrosPerRequest: number;
}

export function summarizeTarget(windows: readonly Window[]): TargetSummary {
  const of = (pick: (window: Window) => number | undefined): number =>
    median(windows.map(pick).filter((value): value is number => value !== undefined));
  return {
    requestsPerSecond: of((w) => w.result.requestsPerSecond),
    p50: of((w) => w.result.latencyMs.p50),
    p90: of((w) => w.result.latencyMs.p90),
    p99: of((w) => w.result.latencyMs.p99),
    errors: windows.reduce((sum, w) => sum + w.result.errors, 0),
    cpuMicrosPerRequest: of((w) => w.cpuMicrosPerRequest),
  };
}
