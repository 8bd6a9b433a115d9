import { describe, expect, test } from '@jest/globals';
import { PRIORITIES, TIER_CAP_STRETCH } from '@shortline/core';
import { ManualTimers, type ConfigOverrides, type DebugFunction, type FunctionInput } from '../src/index.js';
import { scrape } from './support/metric-values.js';
import { useProxyFixture, type Answer, type TestProxy } from './support/test-proxy.js';

// Priority tiers, the starvation bound of a lower tier, and deadlines, live through the proxy: real
// sockets, one backend slot, on manual time. Every call is held at the backend until the test
// releases it, so the order the backend receives calls in is the order the scheduler chose, and
// "it ran for 100 ms" means the test moved the clock 100 ms before releasing it.

const { backend, client, start } = useProxyFixture();

/** One pool of one slot shared by `functions`, each matched by `/<name>/`. */
function oneSlot(functions: readonly Omit<FunctionInput, 'pool' | 'match'>[], scheduler: ConfigOverrides['scheduler'] = {}): ConfigOverrides {
  return {
    scheduler,
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: functions.map((fn) => ({ ...fn, pool: 'one', match: { pathPrefix: `/${fn.name}/` } })),
  };
}

/** Sends a call that the backend holds, and resolves once it waits in the queue, or is held at the backend. */
async function send(proxy: TestProxy, path: string, answers: Promise<Answer>[]): Promise<void> {
  const scheduler = proxy.shortline.scheduler;
  const waiting = scheduler.waiting;
  const received = backend.received.length;
  answers.push(client.send(`${proxy.url}${path}?hold`));
  // Queued behind the call that holds the one slot, or sent straight to the backend.
  await Promise.race([proxy.when(() => scheduler.waiting === waiting + 1 && scheduler.inFlight === 1), backend.whenReceived(received + 1)]);
}

/** Moves the clock by `ranMs` (how long the running call took), then answers it; resolves once the next one, if any, has reached the backend. */
async function finishRunning(proxy: TestProxy, timers: ManualTimers, ranMs: number): Promise<void> {
  const received = backend.received.length;
  const next = proxy.shortline.scheduler.waiting > 0;
  timers.advance(ranMs);
  backend.release();
  if (next) await backend.whenReceived(received + 1);
}

/** Answers every call still held or queued, each after `ranMs`. */
async function finishAll(proxy: TestProxy, timers: ManualTimers, ranMs: number, answers: readonly Promise<Answer>[]): Promise<void> {
  while (backend.held > 0) await finishRunning(proxy, timers, ranMs);
  expect((await Promise.all(answers)).map((answer) => answer.status)).toEqual(answers.map(() => 200));
}

async function debugFunctions(proxy: TestProxy): Promise<DebugFunction[]> {
  return (JSON.parse((await client.send(`${proxy.adminUrl}/debug/queue`)).body) as { functions: DebugFunction[] }).functions;
}

describe('priority tiers through the proxy', () => {
  test('calls of a priority high function are served before the normal ones waiting, however long they are predicted to take', async () => {
    const timers = new ManualTimers();
    const proxy = await start(
      oneSlot([
        { name: 'normal', expectedDurationMs: 10 },
        { name: 'high', priority: 'high', expectedDurationMs: 1_000 },
      ]),
      { timers },
    );
    const answers: Promise<Answer>[] = [];
    // A normal call takes the slot; two short normal calls wait, then two long high ones.
    for (const path of ['/normal/0', '/normal/1', '/normal/2', '/high/1', '/high/2']) await send(proxy, path, answers);

    await finishAll(proxy, timers, 10, answers);

    expect(backend.paths).toEqual(['/normal/0', '/high/1', '/high/2', '/normal/1', '/normal/2']);
  });

  test('a priority low call is not starved by high ones that keep coming: it starts within the bound of docs/scheduling.md', async () => {
    const timers = new ManualTimers();
    // Every call is predicted, and takes, D = 100 ms (all the defaults of aging-srtf: fifoFactor 2, cappedShare 3/8).
    const D = 100;
    const proxy = await start(
      oneSlot([
        { name: 'high', priority: 'high', expectedDurationMs: D },
        { name: 'low', priority: 'low', expectedDurationMs: D },
      ]),
      { timers },
    );
    const answers: Promise<Answer>[] = [];
    // At t = 0 a high call takes the slot and three wait; then the low call arrives, and three high calls
    // stay waiting ever after: each time one starts, another arrives.
    for (let i = 0; i < 4; i++) await send(proxy, `/high/${i}`, answers);
    await send(proxy, '/low/1', answers);
    let sent = 4;
    const HIGH_BACKLOG = 3;
    while (!backend.paths.includes('/low/1') && sent < 50) {
      await finishRunning(proxy, timers, D);
      while (proxy.shortline.scheduler.waiting - (backend.paths.includes('/low/1') ? 0 : 1) < HIGH_BACKLOG) await send(proxy, `/high/${sent++}`, answers);
    }
    await finishAll(proxy, timers, D, answers);

    // Each call ran D, one after another: the k-th call to reach the backend started at k·D.
    const lowStartedMs = backend.paths.indexOf('/low/1') * D;
    // The bound: under FIFO it would have waited V = 4·D (the running call and three before it), and so
    // would every high call after it (each finds four calls ahead under FIFO), so the cap in force for
    // the low tier, set by the latest arrival, is at most its stretch · fifoFactor · V (V the longest
    // recent FIFO wait, fading only downwards). At c = cap, Q = 3 other calls wait, carrying W = 3·D,
    // and L = max(1, ⌊3/8 · 1⌋) = 1 slot takes capped calls: wait ≤ cap + min(⌈(Q + 1) / L⌉ · D, D + W / L).
    const cap = (TIER_CAP_STRETCH[PRIORITIES.indexOf('low')] as number) * 2 * 4 * D;
    const bound = cap + Math.min(Math.ceil((HIGH_BACKLOG + 1) / 1) * D, D + (HIGH_BACKLOG * D) / 1);
    expect(lowStartedMs).toBeLessThanOrEqual(bound);
    // High calls that arrived after it went first (it was not served in arrival order, which is index 4).
    expect(backend.paths.indexOf('/low/1')).toBeGreaterThan(4);
    expect(backend.paths.slice(0, backend.paths.indexOf('/low/1')).every((path) => path.startsWith('/high/'))).toBe(true);
  });
});

describe('deadlines through the proxy', () => {
  // slo: deadline 1 s, predicted 200 ms, so its slack is 800 ms and it is at risk after waiting 400 ms.
  // other: no deadline, predicted 150 ms (shorter, so shortest-first puts it ahead of slo).
  const functions = [
    { name: 'hold', expectedDurationMs: 1_000 },
    { name: 'slo', deadlineMs: 1_000, expectedDurationMs: 200 },
    { name: 'other', expectedDurationMs: 150 },
  ];

  async function queueBehindHold(): Promise<{ proxy: TestProxy; timers: ManualTimers; answers: Promise<Answer>[] }> {
    const timers = new ManualTimers();
    const proxy = await start(oneSlot(functions), { timers });
    const answers: Promise<Answer>[] = [];
    for (const path of ['/hold/0', '/slo/1', '/other/1', '/other/2']) await send(proxy, path, answers);
    return { proxy, timers, answers };
  }

  test('a call not yet at risk keeps its place in shortest-first order', async () => {
    const { proxy, timers, answers } = await queueBehindHold();

    await finishRunning(proxy, timers, 399); // a millisecond before slo/1 is at risk
    await finishAll(proxy, timers, 0, answers);

    expect(backend.paths).toEqual(['/hold/0', '/other/1', '/other/2', '/slo/1']);
  });

  test('a call at risk of missing its deadline is promoted, and /metrics and /debug/queue count met and missed', async () => {
    const { proxy, timers, answers } = await queueBehindHold();

    await finishRunning(proxy, timers, 400); // slo/1 has used half its slack: at risk
    await finishRunning(proxy, timers, 100); // slo/1 ends 500 ms after it arrived: met
    await finishAll(proxy, timers, 0, answers);
    expect(backend.paths).toEqual(['/hold/0', '/slo/1', '/other/1', '/other/2']);

    // slo/2 starts at once and runs 1,001 ms: missed.
    await send(proxy, '/slo/2', answers);
    await finishAll(proxy, timers, 1_001, answers);

    const metrics = await scrape(proxy.adminUrl);
    expect(metrics.sum('shortline_deadlines_total', { function: 'slo', outcome: 'met' })).toBe(1);
    expect(metrics.sum('shortline_deadlines_total', { function: 'slo', outcome: 'missed' })).toBe(1);
    // Functions without a deadline have no series.
    expect(metrics.sum('shortline_deadlines_total', { function: 'other' })).toBe(0);
    expect((await client.send(`${proxy.adminUrl}/metrics`)).body).not.toMatch(/shortline_deadlines_total\{function="(other|hold)"/);

    const slo = (await debugFunctions(proxy)).find((fn) => fn.name === 'slo');
    expect(slo).toMatchObject({ priority: 'normal', deadlineMs: 1_000, counters: { deadlinesMet: 1, deadlinesMissed: 1 }, deadlineAttainment: 0.5 });
    expect((await debugFunctions(proxy)).find((fn) => fn.name === 'other')?.deadlineAttainment).toBeNull();
  });

  test('a discovered function carries its priority and deadline, and its deadline series goes when it is removed', async () => {
    const timers = new ManualTimers();
    const proxy = await start(oneSlot([{ name: 'static' }]), { timers });
    proxy.shortline.upsertPool('found', 'least-loaded');
    proxy.shortline.backends.add('found', { id: 'found-1', url: backend.url, capacity: 1 });
    proxy.shortline.upsertFunction({ name: 'discovered', pool: 'found', timeoutMs: 10_000, priority: 'high', deadlineMs: 50 });

    expect((await debugFunctions(proxy)).find((fn) => fn.name === 'discovered')).toMatchObject({ priority: 'high', deadlineMs: 50, deadlineAttainment: null });
    const before = await scrape(proxy.adminUrl);
    expect(before.sum('shortline_deadlines_total', { function: 'discovered', outcome: 'met' })).toBe(0);
    expect((await client.send(`${proxy.adminUrl}/metrics`)).body).toContain('shortline_deadlines_total{function="discovered",outcome="missed"} 0');

    proxy.shortline.removeFunction('discovered');

    expect((await client.send(`${proxy.adminUrl}/metrics`)).body).not.toContain('function="discovered"');
  });
});
