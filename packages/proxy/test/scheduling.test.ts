import { describe, expect, test } from '@jest/globals';
import { ManualTimers, type ConfigOverrides } from '../src/index.js';
import { useProxyFixture, type Answer, type TestProxy } from './support/test-proxy.js';
import type { TestBackend } from './support/test-backend.js';

/** One backend with one slot; `hold` occupies it until the test releases it. */
function oneSlot(backend: TestBackend, scheduler: ConfigOverrides['scheduler']): ConfigOverrides {
  return {
    scheduler,
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [
      { name: 'hold', pool: 'one', match: { pathPrefix: '/hold' }, expectedDurationMs: 5_000 },
      { name: 'long', pool: 'one', match: { pathPrefix: '/long' }, expectedDurationMs: 1_000 },
      { name: 'short', pool: 'one', match: { pathPrefix: '/short' }, expectedDurationMs: 10 },
    ],
  };
}

const { backend, client, start } = useProxyFixture();
let proxy: TestProxy | undefined;

/** Occupies the only slot, then queues `paths` one by one (each surely queued before the next is sent). */
async function queueBehindHold(started: TestProxy, paths: readonly string[]): Promise<Promise<Answer>[]> {
  const answers = [client.send(`${started.url}/hold/0?hold`)];
  await backend.whenHeld(1);
  return [...answers, ...(await queueBehindHoldMore(started, paths, 0))];
}

describe('scheduling through the proxy (one slot)', () => {
  test('a short request overtakes long ones queued before it when the slot frees (aging-srtf)', async () => {
    proxy = await start(oneSlot(backend, { policy: 'aging-srtf' }));
    const answers = await queueBehindHold(proxy, ['/long/1', '/long/2', '/short/1']);

    backend.release();
    const statuses = (await Promise.all(answers)).map((answer) => answer.status);

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(backend.paths).toEqual(['/hold/0', '/short/1', '/long/1', '/long/2']);
  });

  test('fifo keeps arrival order', async () => {
    proxy = await start(oneSlot(backend, { policy: 'fifo' }));
    const answers = await queueBehindHold(proxy, ['/long/1', '/long/2', '/short/1']);

    backend.release();
    await Promise.all(answers);

    expect(backend.paths).toEqual(['/hold/0', '/long/1', '/long/2', '/short/1']);
  });

  test('the starvation cap sends a long request that waited maxWaitMs ahead of shorter ones', async () => {
    const timers = new ManualTimers();
    proxy = await start(oneSlot(backend, { policy: 'aging-srtf', maxWaitMs: 50, fifoFactor: Infinity }), { timers });
    const answers = await queueBehindHold(proxy, ['/long/1']);
    timers.advance(50); // the long request is now at its cap; the short ones below arrive fresh
    answers.push(...(await queueBehindHoldMore(proxy, ['/short/1', '/short/2', '/short/3'], 1)));

    backend.release();
    await Promise.all(answers);

    expect(backend.paths).toEqual(['/hold/0', '/long/1', '/short/1', '/short/2', '/short/3']);
  });

  test('without reaching the cap the same long request goes last', async () => {
    const timers = new ManualTimers();
    proxy = await start(oneSlot(backend, { policy: 'aging-srtf', maxWaitMs: 50, fifoFactor: Infinity }), { timers });
    const answers = await queueBehindHold(proxy, ['/long/1']);
    timers.advance(49); // a millisecond short of its cap
    answers.push(...(await queueBehindHoldMore(proxy, ['/short/1', '/short/2', '/short/3'], 1)));

    backend.release();
    await Promise.all(answers);

    expect(backend.paths).toEqual(['/hold/0', '/short/1', '/short/2', '/short/3', '/long/1']);
  });

  test('a long request gets through within its cap while short ones keep arriving', async () => {
    proxy = await start(oneSlot(backend, { policy: 'aging-srtf', maxWaitMs: 300, fifoFactor: Infinity }));
    const started = proxy;
    const [hold] = await queueBehindHold(started, []);
    let longDone = false;
    const long = client.send(`${started.url}/long/1`).then((answer) => {
      longDone = true;
      return answer;
    });
    await started.whenQueued(1);
    // Three closed-loop clients keep short requests queued whenever the slot frees; bounded in count.
    let shortsSent = 0;
    const shortLoop = async (): Promise<void> => {
      while (!longDone && shortsSent < 5_000) {
        shortsSent++;
        await client.send(`${started.url}/short/${shortsSent}`);
      }
    };
    const loops = [shortLoop(), shortLoop(), shortLoop()];
    await started.when(() => started.shortline.scheduler.waiting >= 3);
    backend.release();

    expect((await long).status).toBe(200);
    await Promise.all([hold, ...loops]);
    const longAt = backend.paths.indexOf('/long/1');
    expect(shortsSent).toBeLessThan(5_000);
    expect(longAt).toBeGreaterThan(1); // some short ones went first: it was not simply FIFO
  });
});

/** Queues more requests behind those already waiting. */
async function queueBehindHoldMore(started: TestProxy, paths: readonly string[], alreadyWaiting: number): Promise<Promise<Answer>[]> {
  const answers: Promise<Answer>[] = [];
  for (const [index, path] of paths.entries()) {
    answers.push(client.send(`${started.url}${path}`));
    await started.whenQueued(alreadyWaiting + index + 1);
  }
  return answers;
}
