import { describe, expect, test } from '@jest/globals';
import { judgeSendLag } from '@shortline/load';
import { armFigures, countAnswers, figuresOf, type ArmRecords } from '../concurrency/arm-figures.js';
import type { CaseOutcome } from '../concurrency/case-outcome.js';
import { planRound } from '../concurrency/case-plan.js';
import { caseTargets } from '../concurrency/case-targets.js';
import { caseRate, CASES } from '../concurrency/concurrency-cases.js';
import { parseConcurrencyArgs } from '../concurrency/concurrency-options.js';
import { BenchUsageError } from '../lib/bench-usage-error.js';
import { readLearning } from '../concurrency/controller-learning.js';
import type { LimitSample } from '../concurrency/limit-watch.js';
import { concurrencyReportJson } from '../concurrency/report-json.js';
import { concurrencyReportMarkdown } from '../concurrency/report-markdown.js';
import { createTwoRouteWorkload, LONG_ROUTE, SHORT_ROUTE } from '../concurrency/two-route-workload.js';

// The pure parts of bench:concurrency: what each round sends, how answers are counted and scored,
// how the controller's samples are read, and how the targets are judged. Nothing here is timed.

const sequential = CASES.sequential;
const PHASES = { warmupS: 5, measuredS: 20 };

function records(latencies: readonly number[], options: { warmup?: number; status?: readonly number[]; admitted?: readonly (string | undefined)[] } = {}): ArmRecords {
  const n = latencies.length;
  return {
    arm: 'shortline',
    round: 0,
    dueMs: Float64Array.from(latencies, (_, i) => 100 * i),
    latencyMs: Float64Array.from(latencies),
    status: Uint16Array.from(options.status ?? latencies.map(() => 200)),
    admitted: options.admitted ?? latencies.map(() => undefined),
    lagMs: new Float64Array(n),
    warmup: options.warmup ?? 0,
  };
}

const sample = (atMs: number, kind: LimitSample['kind'], limit: number, longBudget = 0, completed = 0): LimitSample => ({ atMs, kind, limit, longBudget, parallelism: limit, completed });

describe('bench:concurrency plan', () => {
  test('a round sends the issue mix at the case rate: 90% short calls of 5 ms, 10% long of 250 ms, the warm-up first', () => {
    const plan = planRound(sequential, PHASES, 1, 0);
    const { schedule } = plan;
    const n = schedule.arrivalMs.length;
    expect(n).toBe(Math.round(caseRate(sequential) * 25));
    expect(caseRate(sequential)).toBeCloseTo(0.7 / 0.0295, 6);
    const long = schedule.functionIndex.filter((fn) => fn === LONG_ROUTE).length;
    expect(long / n).toBeGreaterThan(0.06);
    expect(long / n).toBeLessThan(0.14);
    schedule.functionIndex.forEach((fn, i) => expect(schedule.durationMs[i]).toBe(fn === SHORT_ROUTE ? 5 : 250));
    expect(schedule.arrivalMs[plan.warmup - 1]).toBeLessThan(5000);
    expect(schedule.arrivalMs[plan.warmup]).toBeGreaterThanOrEqual(5000);
    expect(plan.changeAtMs).toBeUndefined();
  });

  test('rounds differ by seed and rotate the arms; the halving case changes capacity into the counted phase', () => {
    const [first, second] = [planRound(sequential, PHASES, 7, 0), planRound(sequential, PHASES, 7, 1)];
    expect([first.seed, second.seed]).toEqual([7, 8]);
    expect(first.order).toEqual(['direct', 'shortline']);
    expect(second.order).toEqual(['shortline', 'direct']);
    expect(planRound(sequential, PHASES, 7, 0).schedule.arrivalMs).toEqual(first.schedule.arrivalMs);
    expect(second.schedule.arrivalMs).not.toEqual(first.schedule.arrivalMs);
    const halving = planRound(CASES.halving, PHASES, 1, 0);
    expect(halving.changeAtMs).toBe(5000 + 1000 * (CASES.halving.capacityChange?.afterS ?? NaN));
  });

  test('the two-route workload refuses a share or work it cannot draw', () => {
    expect(() => createTwoRouteWorkload({ shortMs: 5, longMs: 250, longShare: 1 })).toThrow(/longShare/);
    expect(() => createTwoRouteWorkload({ shortMs: 0, longMs: 250, longShare: 0.1 })).toThrow(/ms > 0/);
    expect(createTwoRouteWorkload({ shortMs: 5, longMs: 250, longShare: 0.1 }).meanDurationMs).toBeCloseTo(29.5, 9);
  });
});

describe('bench:concurrency answers and figures', () => {
  test('every call is counted once: failures and backend call numbers seen twice are reported', () => {
    const clean = countAnswers(records([1, 2, 3], { admitted: ['1', '2', '3'] }));
    expect(clean).toEqual({ sent: 3, answered: 3, failed: 0, duplicated: 0, numbered: true });
    const bad = countAnswers(records([1, NaN, 3, 4], { status: [200, 0, 503, 200], admitted: ['1', undefined, '3', '1'] }));
    expect(bad).toEqual({ sent: 4, answered: 2, failed: 2, duplicated: 1, numbered: true });
    expect(countAnswers(records([1, 2])).numbered).toBe(false);
  });

  test('figures skip the warm-up and failures and pool the rounds', () => {
    const round = records([1000, 10, 20, 30], { warmup: 1, status: [200, 200, 200, 500] });
    const figures = armFigures([round, round]);
    expect(figures.completed).toBe(4);
    expect(figures.meanMs).toBe(15);
    expect(figures.p50Ms).toBe(10);
    expect(figures.maxMs).toBe(20);
    // Counted from the first counted due time (100 ms) to the last answer (200 + 20 ms): 2 in 120 ms per round.
    expect(figures.throughputPerSec).toBeCloseTo((1000 * 4) / 240, 9);
    expect(figuresOf(new Float64Array(), 0).throughputPerSec).toBe(0);
  });
});

describe('bench:concurrency controller samples', () => {
  test('when the kind was named, and the state at the end of the warm-up and of the run', () => {
    const samples = [sample(-50, 'unknown', 0), sample(4000, 'unknown', 0, 0, 90), sample(6000, 'sequential', 1, 0, 140), sample(9000, 'sequential', 1, 0, 200)];
    const learning = readLearning(samples, 5000, undefined);
    expect(learning).toMatchObject({ learntAtMs: 6000, learntAfterCompleted: 140, followedAfterMs: undefined, beforeChange: undefined });
    expect(learning.atWarmupEnd?.kind).toBe('unknown');
    expect(learning.atEnd?.atMs).toBe(9000);
  });

  test('a halved capacity is followed when the limit (sequential) or the long budget (shared) first stands at or below it', () => {
    const seq = [sample(0, 'sequential', 4), sample(1000, 'sequential', 4), sample(2500, 'sequential', 5), sample(4000, 'sequential', 2)];
    expect(readLearning(seq, 0, { atMs: 1500, capacity: 2 })).toMatchObject({ followedAfterMs: 2500, beforeChange: { limit: 4 } });
    const shared = [sample(0, 'shared', 0, 4), sample(3000, 'shared', 0, 2)];
    expect(readLearning(shared, 0, { atMs: 1000, capacity: 2 }).followedAfterMs).toBe(2000);
    expect(readLearning([sample(0, 'unknown', 0)], 0, { atMs: 0, capacity: 2 }).followedAfterMs).toBeUndefined();
  });
});

function outcome(name: keyof typeof CASES, live: { direct: number[]; shortline: number[] }, learning: CaseOutcome['learning'] = []): CaseOutcome {
  const direct = armFigures([records(live.direct)]);
  const shortline = armFigures([records(live.shortline, { admitted: live.shortline.map((_, i) => String(i)) })]);
  const lag = judgeSendLag([0.1, 0.2], { maxLagP99Ms: 5, maxLagMs: 50 });
  return {
    spec: CASES[name],
    phases: PHASES,
    ratePerSec: caseRate(CASES[name]),
    invocationsPerRound: [live.direct.length],
    warmupPerRound: [0],
    live: { direct, shortline },
    answers: { direct: countAnswers(records(live.direct)), shortline: countAnswers(records(live.shortline, { admitted: live.shortline.map((_, i) => String(i)) })) },
    lag: { direct: lag, shortline: judgeSendLag([0.1, 80], { maxLagP99Ms: 5, maxLagMs: 50 }) },
    rounds: [{ round: 0, seed: 1, order: ['direct', 'shortline'], meanRatio: shortline.meanMs / direct.meanMs, p99Ratio: 1, throughputRatio: 1, medianAddedMs: 0 }],
    learning,
    limitSamples: [[sample(0, 'sequential', 1)]],
    changedAtMs: [{ direct: undefined, shortline: undefined }],
    simulated: { none: direct, auto: shortline, learnt: [undefined], followedAfterMs: [1200], limitedFromMs: [undefined] },
  };
}

describe('bench:concurrency targets and report', () => {
  test('one sequential worker: 40% lower mean is met at half the latency, missed at 0.7 of it', () => {
    const met = caseTargets(outcome('sequential', { direct: [100, 100, 100], shortline: [50, 50, 50] }));
    expect(met.map((target) => target.met)).toEqual([true, true, true]);
    expect(met[0]?.result).toMatch(/^50\.0% below direct/);
    expect(caseTargets(outcome('sequential', { direct: [100, 100], shortline: [70, 70] }))[0]?.met).toBe(false);
  });

  test('the halving case is missed when a round never followed, and says so', () => {
    const followed = readLearning([sample(0, 'sequential', 4), sample(3000, 'sequential', 2)], 0, { atMs: 1000, capacity: 2 });
    const never = readLearning([sample(0, 'sequential', 4)], 0, { atMs: 1000, capacity: 2 });
    const targets = caseTargets(outcome('halving', { direct: [10], shortline: [10] }, [followed, never]));
    expect(targets[0]).toMatchObject({ met: false, result: expect.stringMatching(/^2\.0 s, never/) });
  });

  test('the report names the command, the targets and an invalid generator; the JSON carries no latency arrays', () => {
    const run = {
      settings: { cases: ['sequential' as const], rounds: 1, quick: true, seed: 1, maxLagP99Ms: 5, maxLagMs: 50, outDir: '/tmp' },
      command: 'npm run bench:concurrency -- --quick',
      startedAt: '2026-12-02T00:00:00.000Z',
      machine: { cpus: 2, node: '20.20.2', loadAverageBefore: 1.5, loadAverageAfter: 2 },
      policy: 'aging-srtf',
      cases: [outcome('sequential', { direct: [100, 100], shortline: [50, 50] })],
    };
    const markdown = concurrencyReportMarkdown(run);
    expect(markdown).toContain('npm run bench:concurrency -- --quick');
    expect(markdown).toContain('**INVALID RUN**');
    expect(markdown).toContain('| sequential | mean latency at least 40% lower than direct | 50.0% below direct');
    expect(markdown).toContain('load average 1.50 before, 2.00 after');
    const json = concurrencyReportJson(run) as { valid: boolean; cases: { sequential: { live: { shortline: Record<string, unknown> }; versusDirect: { mean: number } } } };
    expect(json.valid).toBe(false);
    expect(json.cases.sequential.versusDirect.mean).toBe(0.5);
    expect(json.cases.sequential.live.shortline).not.toHaveProperty('sortedLatencyMs');
  });
});

describe('bench:concurrency options', () => {
  test('all four cases, two rounds by default; --quick one round', () => {
    expect(parseConcurrencyArgs([])).toMatchObject({ cases: ['sequential', 'shared', 'io', 'halving'], rounds: 2, quick: false, seed: 1 });
    expect(parseConcurrencyArgs(['--quick', '--cases', 'io,halving'])).toMatchObject({ cases: ['io', 'halving'], rounds: 1, quick: true });
    expect(parseConcurrencyArgs(['--help'])).toBeUndefined();
  });

  test.each([
    [['--cases', 'fast'], /--cases: unknown case "fast"/],
    [['--cases', 'io,io'], /--cases names io twice/],
    [['--rounds', '0'], /--rounds must be an integer >= 1, got "0"/],
    [['--bogus'], /bogus/],
  ])('%j is refused, naming the option', (args, message) => {
    expect(() => parseConcurrencyArgs(args)).toThrow(BenchUsageError);
    expect(() => parseConcurrencyArgs(args)).toThrow(message);
  });
});
