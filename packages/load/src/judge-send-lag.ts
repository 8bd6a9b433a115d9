import { spreadOf, type Spread } from './spread.js';

export interface LagLimits {
  readonly maxLagP99Ms: number;
  readonly maxLagMs: number;
}

export interface LagVerdict {
  readonly lag: Spread;
  /** False when the injector could not keep to the schedule: the latencies measured are not the schedule's. */
  readonly valid: boolean;
  /** Why not, when not valid. */
  readonly problems: readonly string[];
}

/**
 * Judges how late the injector sent, over every send (sent − scheduled): a machine too busy to send
 * on time, or too few connections for the schedule, would otherwise produce quietly wrong numbers.
 */
export function judgeSendLag(lagMs: Iterable<number>, limits: LagLimits): LagVerdict {
  const lag = spreadOf(lagMs);
  const problems: string[] = [];
  if (lag.p99Ms > limits.maxLagP99Ms) problems.push(`p99 send lag ${lag.p99Ms.toFixed(2)} ms > ${limits.maxLagP99Ms} ms`);
  if (lag.maxMs > limits.maxLagMs) problems.push(`max send lag ${lag.maxMs.toFixed(2)} ms > ${limits.maxLagMs} ms`);
  return { lag, valid: problems.length === 0, problems };
}
