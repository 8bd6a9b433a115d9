import { describe, expect, it } from '@jest/globals';
import { createPolicy, type Queued } from '@shortline/core';
import { tierOf } from '../src/fairness/priority.js';
import { LongWorkQueue, type WorkSized } from '../src/capacity/long-work-queue.js';

const NORMAL = tierOf('normal');

class Item implements WorkSized {
  prev: this | undefined = undefined;
  next: this | undefined = undefined;
  heapIndex = -1;
  bucket = -1;
  queuedLong = false;
  constructor(
    readonly seq: number,
    readonly predictedDurationMs: number,
    readonly arrivalMs = seq,
  ) {}
  get predictedMs(): number {
    return this.predictedDurationMs;
  }
}

function split(policy: string, longFromMs: number): LongWorkQueue<Item> {
  const queue = new LongWorkQueue<Item>(createPolicy(policy).createQueue<Item>(NORMAL), createPolicy(policy).createQueue<Item>(NORMAL));
  queue.longFromMs = longFromMs;
  return queue;
}

function drain(queue: LongWorkQueue<Item>, now: number): number[] {
  const order: number[] = [];
  for (let item = queue.best(now); item !== undefined; item = queue.best(now)) {
    order.push(item.seq);
    queue.remove(item);
  }
  return order;
}

describe('LongWorkQueue', () => {
  it.each(['fifo', 'sept', 'aging-srtf'])('with room for long calls, keeps the %s order of one queue', (policy) => {
    const sizes = [300, 5, 250, 5, 1000, 20];
    const one = createPolicy(policy).createQueue<Item & Queued>(NORMAL);
    const queue = split(policy, 100);
    sizes.forEach((ms, seq) => {
      one.add(new Item(seq, ms));
      queue.add(new Item(seq, ms));
    });
    const expected: number[] = [];
    for (let item = one.best(10); item !== undefined; item = one.best(10)) {
      expected.push(item.seq);
      one.remove(item);
    }
    expect(drain(queue, 10)).toEqual(expected);
  });

  it('without room for long calls, offers only the short ones, in order, even under FIFO', () => {
    const queue = split('fifo', 100);
    [300, 5, 250, 5, 20].forEach((ms, seq) => queue.add(new Item(seq, ms)));
    queue.longRoom = false;
    expect(drain(queue, 0)).toEqual([1, 3, 4]);
    expect(queue.size).toBe(2);
    queue.longRoom = true;
    expect(drain(queue, 0)).toEqual([0, 2]);
  });

  it('decides long or short when an item is queued, and keeps it there', () => {
    const queue = split('fifo', Infinity);
    const early = new Item(0, 300);
    queue.add(early);
    queue.longFromMs = 100;
    const late = new Item(1, 300);
    queue.add(late);
    queue.longRoom = false;
    expect(queue.best(0)).toBe(early);
    queue.remove(early);
    expect(queue.best(0)).toBeUndefined();
    expect(queue.size).toBe(1);
  });

  it('puts a returning item back in its part by arrival', () => {
    const queue = split('fifo', 100);
    const items = [new Item(0, 300), new Item(1, 400), new Item(2, 5)];
    items.forEach((item) => queue.add(item));
    const first = queue.best(0) as Item;
    queue.remove(first);
    queue.restore(first);
    expect(drain(queue, 0)).toEqual([0, 1, 2]);
  });
});
