import { describe, expect, it } from '@jest/globals';
import { dependentLoadNs, INTS_PER_LINE, randomCycle } from '../core/memory-latency.js';

describe('bench:core memory latency', () => {
  it('walks one cycle through every line of the working set, so no short loop stays in a cache', () => {
    for (const lines of [2, 3, 64, 1000]) {
      const next = randomCycle(lines);
      const visited = new Set<number>();
      let at = 0;
      for (let step = 0; step < lines; step++) {
        expect(at % INTS_PER_LINE).toBe(0);
        visited.add(at);
        at = next[at] as number;
      }
      expect(visited.size).toBe(lines);
      expect(at).toBe(0);
    }
  });

  it('does not visit the lines in address order', () => {
    const next = randomCycle(1000);
    let inOrder = 0;
    for (let line = 0; line < 1000; line++) if (next[line * INTS_PER_LINE] === ((line + 1) % 1000) * INTS_PER_LINE) inOrder++;
    expect(inOrder).toBeLessThan(10);
  });

  it('reports a positive time per load', () => {
    expect(dependentLoadNs(64 * 1024, 10_000)).toBeGreaterThan(0);
  });
});
