import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { IdIndex, type InvocationId } from '@shortline/core';

type Op = { kind: 'set'; id: InvocationId; value: number } | { kind: 'delete'; id: InvocationId };

/** Ids that collide on purpose: small integers, their fractions, look-alike strings, NaN and -0. */
const idArbitrary: fc.Arbitrary<InvocationId> = fc.oneof(
  fc.integer({ min: -3, max: 300 }),
  fc.integer({ min: 0, max: 40 }).map((n) => n + 0.5),
  fc.integer({ min: 0, max: 40 }).map(String),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(Number.NaN, -0, 2 ** 40, -(2 ** 33), Number.MAX_SAFE_INTEGER),
);

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), id: idArbitrary, value: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: idArbitrary }) },
);

function expectSameAs(index: IdIndex<number>, model: Map<InvocationId, number>): void {
  expect(index.size).toBe(model.size);
  const wrong = [...model].filter(([id, value]) => !index.has(id) || index.get(id) !== value);
  expect(wrong).toEqual([]);
  expect([...index.values()].sort((a, b) => a - b)).toEqual([...model.values()].sort((a, b) => a - b));
}

describe('IdIndex', () => {
  it('answers like a Map under any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 400 }), (ops) => {
        const index = new IdIndex<number>();
        const model = new Map<InvocationId, number>();
        for (const op of ops) {
          if (op.kind === 'set') {
            index.set(op.id, op.value);
            model.set(op.id, op.value);
          } else {
            expect(index.delete(op.id)).toBe(model.delete(op.id));
          }
          expect(index.get(op.id)).toBe(model.get(op.id));
        }
        expectSameAs(index, model);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every entry through growth to thousands and shrinkage back to none', () => {
    const index = new IdIndex<number>();
    const model = new Map<InvocationId, number>();
    for (let id = 0; id < 5000; id++) {
      index.set(id, id * 2);
      model.set(id, id * 2);
    }
    expectSameAs(index, model);
    for (let id = 0; id < 5000; id += 2) {
      expect(index.delete(id)).toBe(true);
      model.delete(id);
    }
    expectSameAs(index, model);
    for (let id = 1; id < 5000; id += 2) expect(index.delete(id)).toBe(true);
    expect(index.size).toBe(0);
    expect(index.get(1)).toBeUndefined();
  });

  it('tells a number id from the same digits as a string, as a Map does', () => {
    const index = new IdIndex<string>();
    index.set(7, 'number');
    index.set('7', 'string');
    expect(index.get(7)).toBe('number');
    expect(index.get('7')).toBe('string');
    expect(index.delete(7)).toBe(true);
    expect(index.get('7')).toBe('string');
  });

  it('holds steady churn (one in, one out, a few dozen live) without losing an entry', () => {
    const index = new IdIndex<number>();
    let missed = 0;
    for (let id = 0; id < 100_000; id++) {
      index.set(id, id);
      if (id >= 32 && !index.delete(id - 32)) missed++;
    }
    expect(missed).toBe(0);
    expect(index.size).toBe(32);
    for (let id = 100_000 - 32; id < 100_000; id++) expect(index.get(id)).toBe(id);
  });
});
