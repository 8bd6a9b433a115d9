import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { P2Quantile, Predictor, requestFeatures } from '@shortline/core';
import { lcg } from './support/request-stream.js';

function exactQuantile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.round((sorted.length - 1) * p)] as number;
}

describe('P2Quantile', () => {
  it('is exact while it has seen fewer than five values', () => {
    const q = new P2Quantile(0.5);
    expect(q.value).toBeNaN();
    for (const x of [30, 10, 20]) q.observe(x);
    expect(q.value).toBe(20);
  });

  it.each([
    ['p50 of a uniform', 0.5, (u: number) => 100 + 900 * u],
    ['p90 of a uniform', 0.9, (u: number) => 100 + 900 * u],
    ['p50 of a log-normal-ish tail', 0.5, (u: number) => Math.exp(4 + 2 * u * u)],
    ['p90 of a log-normal-ish tail', 0.9, (u: number) => Math.exp(4 + 2 * u * u)],
  ])('tracks the %s within 3%% over 20,000 values', (_name, p, draw) => {
    const random = lcg(42);
    const q = new P2Quantile(p);
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = draw(random());
      values.push(x);
      q.observe(x);
    }
    const exact = exactQuantile(values, p);
    expect(Math.abs(q.value - exact) / exact).toBeLessThan(0.03);
  });

  it('stays between the smallest and largest value seen, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.constantFrom(0.5, 0.9), (xs, p) => {
        const q = new P2Quantile(p);
        for (const x of xs) q.observe(x);
        expect(q.value).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(q.value).toBeLessThanOrEqual(Math.max(...xs));
      }),
    );
  });
});

describe('Predictor', () => {
  it('predicts the configured expectation, then the global prior, for functions never seen', () => {
    const predictor = new Predictor({ priorMs: 700 });
    predictor.setPrior('resize', 200);
    expect(predictor.predict('resize')).toBe(200);
    expect(predictor.predict('other')).toBe(700);
  });

  it('starts from the plain mean of what it saw, then weighs recent calls more', () => {
    const predictor = new Predictor({ ewmaWeight: 0.5 });
    predictor.observe('f', 1000, 100);
    expect(predictor.predict('f')).toBe(100);
    predictor.observe('f', 100, 300);
    expect(predictor.predict('f')).toBe(200);
    predictor.observe('f', 200, 600);
    expect(predictor.predict('f')).toBe(400);
  });

  it('follows a function whose duration changes', () => {
    const predictor = new Predictor();
    for (let i = 0; i < 100; i++) predictor.observe('f', 0, 100);
    for (let i = 0; i < 200; i++) predictor.observe('f', 0, 1000);
    expect(predictor.predict('f')).toBeGreaterThan(990);
  });

  it('predicts with the chosen estimate', () => {
    const predictor = new Predictor({ estimate: 'p90' });
    for (let i = 1; i <= 100; i++) predictor.observe('f', 0, i);
    expect(predictor.predict('f')).toBeGreaterThan(85);
    expect(predictor.predict('f')).toBeLessThan(95);
  });

  it('reports the mean absolute percentage error of the predictions it was scored on', () => {
    const predictor = new Predictor();
    predictor.observe('f', 150, 100);
    predictor.observe('f', 50, 100);
    predictor.observe('f', 100, 100);
    expect(predictor.stats('f')?.mape).toBeCloseTo(1 / 3, 10);
    expect(predictor.stats('f')?.samples).toBe(3);
  });

  it('forgets a removed function entirely, its request classes too', () => {
    const predictor = new Predictor({ priorMs: 5 });
    predictor.setPrior('f', 10);
    const request = predictor.predictRequest('f', requestFeatures('GET', '/c', 0));
    predictor.observe('f', 10, 99, request);
    predictor.forget('f');
    expect(predictor.predict('f')).toBe(5);
    expect(predictor.stats('f')).toBeUndefined();
    expect(predictor.requestStats('f')).toBeUndefined();
  });

  it('names the option when configured out of range', () => {
    expect(() => new Predictor({ ewmaWeight: 0 })).toThrow('predictor.ewmaWeight must be in (0, 1], got 0');
    expect(() => new Predictor({ priorMs: -1 })).toThrow(/predictor.priorMs/);
    expect(() => new Predictor({ maxClasses: 0 })).toThrow('predictor.maxClasses must be an integer from 1 to 100000, got 0');
  });
});
