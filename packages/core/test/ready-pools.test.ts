import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ReadyPools, type ReadyFlagged } from '../src/capacity/ready-pools.js';

class Pool implements ReadyFlagged {
  ready = false;
  constructor(readonly name: number) {}
}

type Op = { kind: 'add' | 'delete'; pool: number } | { kind: 'clear' };

function members(set: ReadyPools<Pool>): number[] {
  return Array.from({ length: set.size }, (_, i) => set.at(i).name);
}

describe('ReadyPools', () => {
  it('holds the pools added and not deleted since the last clear, in the order they were added, each flagged', () => {
    const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), pool: fc.integer({ min: 0, max: 7 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), pool: fc.integer({ min: 0, max: 7 }) }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
    );
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 200 }), (ops) => {
        const pools = Array.from({ length: 8 }, (_, i) => new Pool(i));
        const set = new ReadyPools<Pool>();
        let model: number[] = [];
        for (const op of ops) {
          if (op.kind === 'clear') {
            set.clear();
            model = [];
          } else if (op.kind === 'add') {
            set.add(pools[op.pool] as Pool);
            if (!model.includes(op.pool)) model.push(op.pool);
          } else {
            set.delete(pools[op.pool] as Pool);
            model = model.filter((name) => name !== op.pool);
          }
          expect(members(set)).toEqual(model);
          expect(pools.filter((pool) => pool.ready).map((pool) => pool.name).sort()).toEqual([...model].sort());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lets a backwards loop delete the pool it is at', () => {
    const pools = Array.from({ length: 5 }, (_, i) => new Pool(i));
    const set = new ReadyPools<Pool>();
    for (const pool of pools) set.add(pool);
    const visited: number[] = [];
    for (let i = set.size - 1; i >= 0; i--) {
      const pool = set.at(i);
      visited.push(pool.name);
      if (pool.name % 2 === 0) set.delete(pool);
    }
    expect(visited).toEqual([4, 3, 2, 1, 0]);
    expect(members(set)).toEqual([1, 3]);
  });
});
