import { describe, expect, it } from '@jest/globals';
import { QueryShapes } from '../src/predictor/query-shapes.js';

describe('QueryShapes', () => {
  it('gives queries of one shape one key, read in place after the path', () => {
    const shapes = new QueryShapes();
    const target = '/report?range=week&format=csv';
    expect(shapes.keyOf(target, target.indexOf('?') + 1)).toBe(' ?range=week&format=csv');
    expect(shapes.keyOf('range=week&format=csv')).toBe(' ?range=week&format=csv');
    expect(shapes.keyOf('range=day&format=csv')).toBe(' ?range=day&format=csv');
    expect(shapes.keyOf('')).toBe(' ?');
  });

  it('spells a value learnt earlier in the same query even when the parameter overflows later in it', () => {
    const shapes = new QueryShapes();
    const values = Array.from({ length: 8 }, (_, i) => `q=v${i}`).join('&');
    expect(shapes.keyOf(values)).toBe(` ?${values}`);
    // A ninth distinct value turns `q` into a name only, from then on.
    expect(shapes.keyOf('q=v0&q=v8')).toBe(' ?q=v0&q');
    expect(shapes.keyOf('q=v0')).toBe(' ?q');
  });

  it('stands in `*` for names past the ones it keeps and for overlong values', () => {
    const shapes = new QueryShapes();
    for (let i = 0; i < 32; i++) shapes.keyOf(`p${i}=1`);
    expect(shapes.keyOf('late=1&p0=1')).toBe(' ?*&p0=1');
    expect(shapes.keyOf(`p1=${'x'.repeat(65)}`)).toBe(' ?p1=*');
  });

  it('keeps spelling shapes right past the number whose keys it remembers, and past three parameters', () => {
    const shapes = new QueryShapes();
    const names = Array.from({ length: 32 }, (_, i) => `n${i}`);
    for (const a of names) for (const b of names) expect(shapes.keyOf(`${a}=x&${b}=y`)).toBe(` ?${a}=x&${b}=y`);
    for (const a of names) expect(shapes.keyOf(`n1&n2=y&n3&${a}=z`)).toBe(` ?n1=&n2=y&n3=&${a}=z`);
    expect(shapes.keyOf('n1&n2=y&n3&n0=z')).toBe(' ?n1=&n2=y&n3=&n0=z');
  });
});
