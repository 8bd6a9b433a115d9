import { afterEach, describe, expect, test } from '@jest/globals';
import { pino } from 'pino';
import { ManualTimers, type RefusalReason } from '../src/index.js';
import { DispatchLoop } from '../src/dispatch/dispatch-loop.js';
import type { Dispatchable } from '../src/dispatch/dispatchable.js';
import type { Upstream } from '../src/dispatch/upstream.js';

// The dispatch loop on its own: facts in, commands out, on manual time. No sockets: the invocations
// record the commands they are given.

class Invocation implements Dispatchable {
  static next = 0;
  readonly id = Invocation.next++;
  readonly commands: string[] = [];
  upstream: Upstream | undefined = undefined;

  constructor(
    readonly functionName: string,
    readonly deadlineMs?: number,
  ) {}

  queued(retried: boolean): void {
    this.commands.push(retried ? 'queued again' : 'queued');
  }

  start(upstream: Upstream, now: number): void {
    this.upstream = upstream;
    this.commands.push(`start on ${upstream.url} at ${now}`);
  }

  refuse(reason: RefusalReason): void {
    this.commands.push(`refuse ${reason}`);
  }
}

const loops: DispatchLoop<Invocation>[] = [];
afterEach(async () => {
  for (const loop of loops.splice(0)) {
    loop.close();
    await loop.destroyConnections();
  }
});

/** A loop with pool `p` and function `f` (expected 10 ms), and the backends given as url → capacity. */
function loopWith(backends: Record<string, number>, timers = new ManualTimers()): { loop: DispatchLoop<Invocation>; timers: ManualTimers } {
  const loop = new DispatchLoop<Invocation>({
    timers,
    logger: pino({ level: 'silent' }),
    policy: { name: 'fifo' },
    predictor: {},
    limits: {},
    ejectionMs: 100,
  });
  loops.push(loop);
  loop.upsertPool('p', 'first-available');
  loop.upsertFunction({ name: 'f', pool: 'p', expectedDurationMs: 10, maxQueueWaitMs: 500 });
  for (const [url, capacity] of Object.entries(backends)) loop.addBackend('p', { id: url, url, capacity });
  return { loop, timers };
}

/** Lets the loop's pump (a microtask) run. */
const pumped = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));

describe('the dispatch loop', () => {
  test('queues an arrival and starts it in the next microtask, never inside the call that reported it', async () => {
    const { loop } = loopWith({ 'http://a': 1 });
    const first = new Invocation('f');

    loop.arrived(first);
    expect(first.commands).toEqual(['queued']);
    await pumped();

    expect(first.commands).toEqual(['queued', 'start on http://a at 0']);
  });

  test('a completion frees the slot for the next in line', async () => {
    const { loop, timers } = loopWith({ 'http://a': 1 });
    const [first, second] = [new Invocation('f'), new Invocation('f')];
    loop.arrived(first);
    loop.arrived(second);
    await pumped();
    expect(second.commands).toEqual(['queued']);

    timers.advance(7);
    loop.completed(first, 7);
    await pumped();

    expect(second.commands).toEqual(['queued', 'start on http://a at 7']);
    expect(loop.snapshot().functions[0]?.prediction?.samples).toBe(1);
  });

  test('a client that leaves while queued is forgotten, and while running frees its slot without teaching', async () => {
    const { loop } = loopWith({ 'http://a': 1 });
    const [running, waiting, next] = [new Invocation('f'), new Invocation('f'), new Invocation('f')];
    for (const invocation of [running, waiting, next]) loop.arrived(invocation);
    await pumped();

    loop.left(waiting);
    loop.left(running);
    await pumped();

    expect(waiting.commands).toEqual(['queued']);
    expect(next.commands).toEqual(['queued', 'start on http://a at 0']);
    expect(loop.snapshot().functions[0]?.prediction).toBeUndefined();
  });

  test('an unreachable backend is ejected; the call goes to another backend with a free slot, keeping its place', async () => {
    const { loop, timers } = loopWith({ 'http://dead': 1, 'http://live': 1 });
    const first = new Invocation('f');
    loop.arrived(first);
    await pumped();
    expect(first.upstream?.url).toBe('http://dead');

    loop.unreachable(first);
    await pumped();

    expect(first.commands).toEqual(['queued', 'start on http://dead at 0', 'queued again', 'start on http://live at 0']);
    expect(loop.backendViews().map((view) => [view.id, view.state, view.ejected])).toEqual([
      ['http://dead', 'draining', true],
      ['http://live', 'active', false],
    ]);
    expect(loop.scheduler.counters('f')).toEqual(expect.objectContaining({ accepted: 1, retried: 1, dispatched: 1 }));

    // The ejection ends once its period has passed: the backend takes calls again.
    timers.advance(100);
    expect(loop.backendViews().map((view) => view.state)).toEqual(['active', 'active']);
  });

  test('with no other backend free, an unreachable backend means a refusal', async () => {
    const { loop } = loopWith({ 'http://dead': 1 });
    const only = new Invocation('f');
    loop.arrived(only);
    await pumped();

    loop.unreachable(only);

    expect(only.commands.at(-1)).toBe('refuse upstream-unreachable');
    expect(loop.scheduler.inFlight).toBe(0);
  });

  test('a queued call is refused when its max queue wait passes, at that time and not before', async () => {
    const { loop, timers } = loopWith({ 'http://a': 1 });
    const [running, waiting] = [new Invocation('f'), new Invocation('f')];
    loop.arrived(running);
    loop.arrived(waiting);
    await pumped();

    timers.advance(499);
    expect(waiting.commands).toEqual(['queued']);
    timers.advance(1);

    expect(waiting.commands).toEqual(['queued', 'refuse max-queue-wait']);
  });

  test('a backend added later starts what waits, with no call to remember', async () => {
    const { loop } = loopWith({});
    const waiting = new Invocation('f');
    loop.arrived(waiting);
    await pumped();
    expect(waiting.commands).toEqual(['queued']);

    loop.addBackend('p', { id: 'late', url: 'http://late', capacity: 1 });
    await pumped();

    expect(waiting.commands).toEqual(['queued', 'start on http://late at 0']);
  });

  test('removing a function refuses what waits for it; what runs finishes', async () => {
    const { loop } = loopWith({ 'http://a': 1 });
    const [running, waiting] = [new Invocation('f'), new Invocation('f')];
    loop.arrived(running);
    loop.arrived(waiting);
    await pumped();

    loop.removeFunction('f');

    expect(waiting.commands).toEqual(['queued', 'refuse function-removed']);
    expect(running.commands).toEqual(['queued', 'start on http://a at 0']);
    expect(loop.scheduler.inFlight).toBe(1);
  });

  test('refuses an arrival its queue cannot take', () => {
    const { loop } = loopWith({});
    loop.configure(undefined, { maxQueued: 1 }, {});
    const [kept, refused, unknown] = [new Invocation('f'), new Invocation('f'), new Invocation('nope')];

    for (const invocation of [kept, refused, unknown]) loop.arrived(invocation);

    expect([kept, refused, unknown].map((invocation) => invocation.commands)).toEqual([['queued'], ['refuse queue-full'], ['refuse unknown-function']]);
  });

  test('a backend with concurrency auto is held to what it was learnt to take; a reload with the same setting keeps it, a number replaces it', async () => {
    const { loop, timers } = loopWith({});
    loop.upsertFunction({ name: 'short', pool: 'p', expectedDurationMs: 3 });
    loop.upsertFunction({ name: 'long', pool: 'p', expectedDurationMs: 60 });
    const auto = { id: 'http://one-worker', url: 'http://one-worker', capacity: { auto: true } } as const;
    await loop.syncPool('p', [auto]);
    const run = async (invocation: Invocation): Promise<void> => {
      loop.arrived(invocation);
      await pumped();
    };
    // One worker, first come first served: a short call sent behind a long one ends after it.
    for (let round = 0; round < 60 && loop.backendViews()[0]?.capacity !== 1; round++) {
      for (let i = 0; i < 4; i++) {
        const alone = new Invocation('short');
        await run(alone);
        timers.advance(3);
        loop.completed(alone, 3);
      }
      const [long, short] = [new Invocation('long'), new Invocation('short')];
      await run(long);
      await run(short);
      timers.advance(60);
      loop.completed(long, 60);
      timers.advance(3);
      loop.completed(short, 63);
    }
    expect(loop.backendViews()[0]).toMatchObject({ capacity: 1, concurrency: 'auto' });

    await loop.syncPool('p', [{ ...auto, capacity: { auto: true } }]);
    expect(loop.backendViews()[0]).toMatchObject({ capacity: 1, concurrency: 'auto' });
    const [running, held] = [new Invocation('long'), new Invocation('short')];
    await run(running);
    await run(held);
    expect(held.commands).toEqual(['queued']);

    await loop.syncPool('p', [{ ...auto, capacity: 2 }]);
    await pumped();
    expect(loop.backendViews()[0]).toMatchObject({ capacity: 2, concurrency: 'fixed' });
    expect(held.commands.at(-1)).toMatch(/^start on http:\/\/one-worker/);
  });
});
