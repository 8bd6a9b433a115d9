import { describe, expect, test } from '@jest/globals';
import { parseConfig } from '@shortline/proxy';
import { createMixSchedule, createSyntheticWorkload } from '@shortline/sim';
import { evaluate, type Target } from '../fairness/fairness-targets.js';
import { deadlinePlan, DEADLINE_FACTOR, randomTierPlan, TIER_SHARE, tierPlan } from '../fairness/function-plan.js';
import type { SeedFigures } from '../fairness/shape-seed-run.js';

const schedule = createMixSchedule(createSyntheticWorkload({ kind: 'lognormal', parameters: { functions: 20 } }), {
  invocations: 20_000,
  slots: 4,
  load: 0.8,
  seed: 1,
});

function workShare(names: ReadonlySet<string>): number {
  let part = 0;
  let total = 0;
  schedule.durationMs.forEach((duration, i) => {
    total += duration;
    if (names.has((schedule.functions[schedule.functionIndex[i] as number] as { name: string }).name)) part += duration;
  });
  return part / total;
}

describe('the fairness benchmark plans', () => {
  test.each([
    ['most work first', () => tierPlan(schedule)],
    ['in a random order', () => randomTierPlan(schedule, 7)],
  ])('%s: fill the high and low tiers up to 30% of the work each, leaving normal only functions that fit in neither, as a config shortline serve reads', (_name, makePlan) => {
    const plan = makePlan();
    const named = (priority: string): Set<string> => new Set([...plan.settings].filter(([, s]) => s.priority === priority).map(([name]) => name));
    const high = workShare(named('high'));
    const low = workShare(named('low'));
    expect(high).toBeLessThanOrEqual(TIER_SHARE + 1e-9);
    expect(low).toBeLessThanOrEqual(TIER_SHARE + 1e-9);
    expect(plan.high.work).toBeCloseTo(high, 9);
    expect(plan.low.work).toBeCloseTo(low, 9);
    for (const fn of schedule.functions) {
      if (plan.settings.has(fn.name)) continue;
      const share = workShare(new Set([fn.name]));
      expect(high + share).toBeGreaterThan(TIER_SHARE);
      expect(low + share).toBeGreaterThan(TIER_SHARE);
    }
    expect(parseConfig(plan.configYaml, 'plan').functions.length).toBe(plan.settings.size);
  });

  test('in a random order: the same seed gives the same plan, and the order decides which functions are high', () => {
    const tiersOf = (seed: number): string => JSON.stringify([...randomTierPlan(schedule, seed).settings]);
    expect(tiersOf(1)).toBe(tiersOf(1));
    expect(new Set([1, 2, 3, 4].map(tiersOf)).size).toBeGreaterThan(1);
  });

  test('give every other function a deadline of a few times its mean duration', () => {
    const plan = deadlinePlan(schedule);
    expect([...plan.settings.keys()]).toEqual(schedule.functions.filter((_, i) => i % 2 === 0).map((fn) => fn.name));
    const first = schedule.functions[0]?.name as string;
    let sum = 0;
    let count = 0;
    schedule.durationMs.forEach((duration, i) => {
      if (schedule.functionIndex[i] === 0) {
        sum += duration;
        count++;
      }
    });
    expect(plan.settings.get(first)?.deadlineMs).toBe(Math.ceil((DEADLINE_FACTOR * sum) / count));
  });
});

describe('a target over seeds', () => {
  const seeds = [3, 1, 4, 1.5, 9, 2, 6, 5].map((value) => ({ value }) as unknown as SeedFigures);
  const target = (direction: Target['direction'], bound: number): Target => ({
    name: 't',
    figure: 'f',
    direction,
    bound,
    value: (s) => (s as unknown as { value: number }).value,
  });

  test('is met when the median seed meets it, taking the worse of the two middle seeds', () => {
    // Sorted: 1 1.5 2 3 4 5 6 9; the middle two are 3 and 4.
    expect(evaluate(target('at-most', 4), seeds)).toMatchObject({ median: 4, worst: 9, met: true });
    expect(evaluate(target('at-most', 3.5), seeds)).toMatchObject({ median: 4, met: false });
    expect(evaluate(target('at-least', 3), seeds)).toMatchObject({ median: 3, worst: 1, met: true });
  });
});
