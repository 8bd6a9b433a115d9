import { describe, expect, test } from '@jest/globals';
import type { ConfigOverrides } from '../src/index.js';
import { useProxyFixture, until, type Answer, type TestProxy } from './support/test-proxy.js';

const { backend, client, start } = useProxyFixture();
let proxy: TestProxy | undefined;

function oneSlot(): ConfigOverrides {
  return {
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' } }],
  };
}

/** Sends a request the test can abort (the client closes its connection). */
function abortable(url: string): { answer: Promise<Answer>; abort: () => void } {
  const controller = new AbortController();
  const answer = client.send(url, { signal: controller.signal });
  answer.catch(() => undefined);
  return { answer, abort: () => controller.abort() };
}

describe('a client that goes away', () => {
  test('while queued is removed from the queue and never forwarded', async () => {
    proxy = await start(oneSlot());
    const started = proxy;
    const hold = client.send(`${started.url}/hold?hold`);
    await until(() => backend.held === 1, 'the slot to be taken');
    const leaving = abortable(`${started.url}/leaving`);
    await until(() => started.shortline.scheduler.waiting === 1, 'the request to be queued');

    leaving.abort();
    await until(() => started.shortline.scheduler.waiting === 0, 'the request to leave the queue');
    backend.release();
    await hold;
    const after = await client.send(`${started.url}/after`);

    expect(after.status).toBe(200);
    expect(backend.paths).toEqual(['/hold', '/after']);
    const fn = started.shortline.scheduler.snapshot(0).functions[0];
    expect(fn?.counters.cancelled).toBe(1);
  });

  test('while in flight aborts the backend call and frees the slot at once', async () => {
    proxy = await start(oneSlot());
    const started = proxy;
    const leaving = abortable(`${started.url}/leaving?hold`);
    await until(() => backend.held === 1, 'the request to reach the backend');

    leaving.abort();
    await until(() => started.shortline.scheduler.inFlight === 0, 'the slot to be freed');
    await until(() => backend.aborted.length === 1, 'the backend to see its connection closed');
    // The backend never answered the aborted call, yet the next request gets the slot.
    const next = await client.send(`${started.url}/next`);

    expect(next.status).toBe(200);
    expect(backend.aborted).toEqual(['/leaving?hold']);
    expect(started.shortline.debugSnapshot().openRequests).toBe(0);
  });

  test('while the response streams aborts the backend call and frees the slot', async () => {
    proxy = await start(oneSlot());
    const started = proxy;
    const controller = new AbortController();
    const streaming = client.send(`${started.url}/stall?stall`, { signal: controller.signal });
    streaming.catch(() => undefined);
    await until(() => started.shortline.scheduler.inFlight === 1 && backend.received.length === 1, 'the response to start');
    await until(() => started.shortline.debugSnapshot().openRequests === 1, 'the exchange to be open');

    controller.abort();
    await until(() => started.shortline.scheduler.inFlight === 0, 'the slot to be freed');

    expect((await client.send(`${started.url}/next`)).status).toBe(200);
  });
});
