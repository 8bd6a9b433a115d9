import { spreadOf, type Spread } from '@shortline/load';
import { percentile } from '@shortline/sim';
import type { Arm } from './case-plan.js';

/** What one arm of one round measured, per invocation, indexed like the round's schedule. */
export interface ArmRecords {
  readonly arm: Arm;
  readonly round: number;
  readonly dueMs: Float64Array;
  /** From the due time to the end of the answer; NaN when none came. */
  readonly latencyMs: Float64Array;
  readonly status: Uint16Array;
  /** The backend's `x-sample-admitted` on each answer (its count of calls it took in), when it numbers them. */
  readonly admitted: readonly (string | undefined)[];
  readonly lagMs: Float64Array;
  /** Invocations before this index are warm-up. */
  readonly warmup: number;
}

/** Every invocation of a run accounted for: each answered once, by a call of its own. */
export interface AnswerCount {
  readonly sent: number;
  /** Answered 2xx. */
  readonly answered: number;
  /** Answered otherwise, or not at all. */
  readonly failed: number;
  /**
   * Answers that carry a backend call number another answer carries too: one call answered twice,
   * or two requests given the same answer. 0 when the backend does not number its calls.
   */
  readonly duplicated: number;
  /** Whether the backend numbered its calls, so that `duplicated` means something. */
  readonly numbered: boolean;
}

/** The counted invocations of one or more rounds of one arm, scored like the simulator scores its own. */
export interface ArmFigures {
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Counted answers per second, from the first counted due time to the last answer, summed over rounds. */
  readonly throughputPerSec: number;
  readonly completed: number;
  readonly sortedLatencyMs: Float64Array;
}

const ok = (status: number): boolean => status >= 200 && status < 300;

/** Counts the answers of all invocations, warm-up included (nothing may be lost there either). */
export function countAnswers(records: ArmRecords): AnswerCount {
  let answered = 0;
  const seen = new Set<string>();
  let numbered = false;
  let duplicated = 0;
  for (let i = 0; i < records.status.length; i++) {
    if (ok(records.status[i] as number)) answered++;
    const number = records.admitted[i];
    if (number === undefined) continue;
    numbered = true;
    if (seen.has(number)) duplicated++;
    else seen.add(number);
  }
  return { sent: records.status.length, answered, failed: records.status.length - answered, duplicated, numbered };
}

/** Adds up answer counts over rounds. */
export function sumAnswers(counts: readonly AnswerCount[]): AnswerCount {
  return counts.reduce<AnswerCount>(
    (sum, count) => ({
      sent: sum.sent + count.sent,
      answered: sum.answered + count.answered,
      failed: sum.failed + count.failed,
      duplicated: sum.duplicated + count.duplicated,
      numbered: sum.numbered || count.numbered,
    }),
    { sent: 0, answered: 0, failed: 0, duplicated: 0, numbered: false },
  );
}

/** Latencies and span of one round's counted invocations. */
function countedOf(records: ArmRecords): { latencies: number[]; spanMs: number } {
  const latencies: number[] = [];
  let lastEnd = -Infinity;
  for (let i = records.warmup; i < records.status.length; i++) {
    if (!ok(records.status[i] as number)) continue;
    const latency = records.latencyMs[i] as number;
    latencies.push(latency);
    lastEnd = Math.max(lastEnd, (records.dueMs[i] as number) + latency);
  }
  const first = records.dueMs[records.warmup];
  return { latencies, spanMs: first === undefined || latencies.length === 0 ? 0 : lastEnd - first };
}

/** Scores several rounds of one arm as one sample: pooled latencies, summed answers over summed spans. */
export function armFigures(rounds: readonly ArmRecords[]): ArmFigures {
  const all: number[] = [];
  let spanMs = 0;
  for (const records of rounds) {
    const counted = countedOf(records);
    for (const latency of counted.latencies) all.push(latency);
    spanMs += counted.spanMs;
  }
  return figuresOf(Float64Array.from(all).sort(), spanMs);
}

/** The figures of a sorted set of latencies answered over `spanMs`. */
export function figuresOf(sortedLatencyMs: Float64Array, spanMs: number): ArmFigures {
  let sum = 0;
  for (const latency of sortedLatencyMs) sum += latency;
  return {
    meanMs: sum / sortedLatencyMs.length,
    p50Ms: percentile(sortedLatencyMs, 0.5),
    p99Ms: percentile(sortedLatencyMs, 0.99),
    maxMs: percentile(sortedLatencyMs, 1),
    throughputPerSec: spanMs > 0 ? (1000 * sortedLatencyMs.length) / spanMs : 0,
    completed: sortedLatencyMs.length,
    sortedLatencyMs,
  };
}

/** How late the generator sent, over every send of the arm's rounds. */
export function sendLag(rounds: readonly ArmRecords[]): Spread {
  return spreadOf(rounds.flatMap((records) => [...records.lagMs]));
}
