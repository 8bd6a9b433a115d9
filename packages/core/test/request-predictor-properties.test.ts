import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Predictor, requestFeatures, type RequestFeatures } from '@shortline/core';
import { lcg, male, noise, teach } from './support/request-stream.js';

/** Any features at all: well-formed routes, arbitrary strings, absurd and non-finite sizes. */
const anyFeatures: fc.Arbitrary<RequestFeatures> = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT'), fc.string({ maxLength: 40 })),
  path: fc.oneof(
    fc.constantFrom('/', '/a', '/a/b', ''),
    fc.array(fc.oneof(fc.constantFrom('a', 'b', '42', 'users', ''), fc.string({ maxLength: 12 })), { maxLength: 20 }).map((s) => `/${s.join('/')}`),
    fc.string({ maxLength: 300 }),
  ),
  query: fc.oneof(
    fc.constant(''),
    fc.array(fc.tuple(fc.constantFrom('q', 'page', 'x'), fc.string({ maxLength: 6 })), { maxLength: 12 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
    fc.string({ maxLength: 100 }),
  ),
  contentLength: fc.oneof(fc.integer({ min: -1, max: 10_000_000 }), fc.double(), fc.constantFrom(1e15, Number.NaN, Infinity, -Infinity)),
  ceType: fc.option(fc.oneof(fc.constantFrom('a', 'b'), fc.string({ maxLength: 20 })), { nil: undefined }),
  extra: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
}).map(({ method, path, query, contentLength, ceType, extra }) =>
  requestFeatures(method, query === '' ? path : `${path}?${query}`, contentLength, ceType, extra),
);
const anyDuration = fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double());

describe('request-level prediction, for any input', () => {
  it('keeps at most maxClasses classes per function and predicts between 1 ms and 1e9 ms', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyFeatures, anyDuration), { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), (calls, maxClasses) => {
        const predictor = new Predictor({ maxClasses });
        for (const [features, durationMs] of calls) {
          const prediction = teach(predictor, 'f', features, durationMs);
          expect(prediction.predictedMs).toBeGreaterThanOrEqual(1);
          expect(prediction.predictedMs).toBeLessThanOrEqual(1e9);
          expect(prediction.estimates.every((c) => Number.isFinite(c))).toBe(true);
          expect(predictor.requestStats('f')?.classCount).toBeLessThanOrEqual(maxClasses);
        }
      }),
    );
  });

  it('is deterministic: the same calls give the same predictions and the same report', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyFeatures, anyDuration), { minLength: 1, maxLength: 150 }), (calls) => {
        const replay = (): { predictions: number[]; report: string } => {
          const predictor = new Predictor({ maxClasses: 16 });
          const predictions = calls.map(([features, durationMs]) => teach(predictor, 'f', features, durationMs).predictedMs);
          return { predictions, report: JSON.stringify(predictor.requestStats('f', 100)) };
        };
        expect(replay()).toEqual(replay());
      }),
    );
  });

  it('converges on a function linear in its body size, under noise, whatever its fixed and per-byte costs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 50, noNaN: true }),
        fc.double({ min: 100, max: 100_000, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (fixedMs, bytesPerMs, seed) => {
          const predictor = new Predictor();
          const random = lcg(seed);
          const pairs: [number, number][] = [];
          for (let i = 0; i < 300; i++) {
            const bytes = Math.round(1_000 * 10_000 ** random());
            const durationMs = (fixedMs + bytes / bytesPerMs) * noise(random, 0.2);
            pairs.push([teach(predictor, 'f', requestFeatures('POST', '/upload', bytes), durationMs).predictedMs, Math.max(1, durationMs)]);
          }
          // Noise of spread 0.2 alone costs 0.16; a class without the size fit would cost several times that.
          expect(male(pairs.slice(200))).toBeLessThan(0.3);
        },
      ),
      { numRuns: 50 },
    );
  });
});
