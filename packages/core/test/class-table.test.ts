import { describe, expect, it } from '@jest/globals';
import { ClassTable } from '../src/predictor/class-table.js';

describe('ClassTable', () => {
  it('keeps a class in steady use through a flood of new ones, evicting the least recent of the rest', () => {
    const table = new ClassTable(16);
    const hot = table.touch('hot', 'route');
    const cold = (i: number, j: number): string => `cold-${i}-${j}`;
    for (let i = 0; i < 200; i++) {
      for (let j = 0; j < 3; j++) table.touch(cold(i, j), 'route');
      expect(table.touch('hot', 'route')).toBe(hot);
    }
    expect(hot.evicted).toBe(false);
    expect([table.size, table.evictions]).toEqual([16, 601 - 16]);
    const newest = [195, 196, 197, 198, 199].flatMap((i) => [0, 1, 2].map((j) => cold(i, j)));
    expect([...table.classes()].map((c) => c.key).sort()).toEqual(['hot', ...newest].sort());
  });

  it('is exactly least recently used up to 7 classes', () => {
    const table = new ClassTable(7);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    for (const key of keys) table.touch(key, 'route');
    for (const key of ['a', 'c', 'e', 'g', 'b']) table.touch(key, 'route');
    table.touch('h', 'route');
    table.touch('i', 'route');
    expect([...table.classes()].map((c) => c.key).sort()).toEqual(['a', 'b', 'c', 'e', 'g', 'h', 'i']);
  });
});
