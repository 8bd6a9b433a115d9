import { describe, expect, it } from '@jest/globals';
import { ContainerSpecError, createContainerModel, parseContainerModelSpec, type ContainerModel } from '../src/index.js';

/** Finishes everything admitted and returns [id, time] in the order calls finished. */
function finishAll(model: ContainerModel): [number, number][] {
  const finished: [number, number][] = [];
  while (model.running > 0) {
    const at = model.nextCompletionMs;
    finished.push([model.finishNext(), at]);
  }
  return finished;
}

describe('container models', () => {
  it('sequential workers take calls first come first served: a short call waits behind a long one', () => {
    const model = createContainerModel({ kind: 'sequential', capacity: 1 });
    model.admit(1, 250, 0);
    model.admit(2, 5, 1);
    model.admit(3, 5, 2);
    expect(finishAll(model)).toEqual([
      [1, 250],
      [2, 255],
      [3, 260],
    ]);
  });

  it('with two workers, a short call beside a long one ends first; a third waits for a free worker', () => {
    const model = createContainerModel({ kind: 'sequential', capacity: 2 });
    model.admit(1, 250, 0);
    model.admit(2, 5, 0);
    model.admit(3, 100, 0);
    expect(finishAll(model)).toEqual([
      [2, 5],
      [3, 105],
      [1, 250],
    ]);
  });

  it('processor sharing gives each of n calls min(1, K/n) of a core', () => {
    // Two cores, three calls of 30 ms: each runs at 2/3 speed, all end at 45 ms.
    const model = createContainerModel({ kind: 'shared', capacity: 2 });
    for (const id of [1, 2, 3]) model.admit(id, 30, 0);
    expect(finishAll(model).map(([id, at]) => [id, Number(at.toFixed(9))])).toEqual([
      [1, 45],
      [2, 45],
      [3, 45],
    ]);
  });

  it('processor sharing lets a short call overtake long ones and speeds up the rest as calls leave', () => {
    // One core: a 100 ms call alone for 10 ms (10 ms done), then shares with a 10 ms call: both at half
    // speed, the short one ends at 30 ms; the long one has 80 ms left alone, ending at 110 ms.
    const model = createContainerModel({ kind: 'shared', capacity: 1 });
    model.admit(1, 100, 0);
    expect(model.nextCompletionMs).toBe(100);
    model.admit(2, 10, 10);
    expect(finishAll(model)).toEqual([
      [2, 30],
      [1, 110],
    ]);
  });

  it('follows a change of cores at once, and of workers as calls end', () => {
    const shared = createContainerModel({ kind: 'shared', capacity: 2 });
    shared.admit(1, 100, 0);
    shared.admit(2, 100, 0);
    shared.setCapacity(1, 50);
    // 50 ms done each by then; at half speed the remaining 50 ms take 100 ms more.
    expect(shared.nextCompletionMs).toBe(150);
    const workers = createContainerModel({ kind: 'sequential', capacity: 2 });
    workers.admit(1, 100, 0);
    workers.admit(2, 100, 0);
    workers.admit(3, 10, 0);
    workers.setCapacity(1, 50);
    expect(finishAll(workers)).toEqual([
      [1, 100],
      [2, 100],
      [3, 110],
    ]);
  });

  it('an I/O-bound call takes its own time however many run', () => {
    const model = createContainerModel({ kind: 'io', capacity: 0 });
    for (let id = 0; id < 1000; id++) model.admit(id, 50, id);
    const finished = finishAll(model);
    expect(finished).toHaveLength(1000);
    expect(finished.every(([id, at]) => at === id + 50)).toBe(true);
  });

  it.each([
    ['sequential:1', { kind: 'sequential', capacity: 1 }],
    ['shared:2', { kind: 'shared', capacity: 2 }],
    ['io', { kind: 'io', capacity: 0 }],
  ])('parses %s', (text, spec) => {
    expect(parseContainerModelSpec(text)).toEqual(spec);
  });

  it.each([
    ['threads:2', 'unknown backend kind "threads"; known: sequential:K, shared:K, io'],
    ['sequential', 'sequential needs its workers as an integer >= 1, e.g. sequential:2; got "sequential"'],
    ['shared:0', 'shared needs its cores as an integer >= 1, e.g. shared:2; got "shared:0"'],
    ['io:4', 'io takes no count'],
  ])('rejects %s, saying what it expects', (text, message) => {
    expect(() => parseContainerModelSpec(text)).toThrow(ContainerSpecError);
    expect(() => parseContainerModelSpec(text)).toThrow(message);
  });
});
