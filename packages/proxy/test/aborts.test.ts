import { describe, expect, test } from '@jest/globals';
import type { ConfigOverrides } from '../src/index.js';
import { useProxyFixture, type Answer, type TestProxy } from './support/test-proxy.js';

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
    await backend.whenHeld(1);
    const leaving = abortable(`${started.url}/leaving`);
    await started.whenQueued(1);

    leaving.abort();
    await started.whenQueued(0);
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
    await backend.whenHeld(1);

    leaving.abort();
    await started.whenInFlight(0);
    await backend.whenAborted(1);
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
    await backend.whenReceived(1);
    await started.whenInFlight(1);

    controller.abort();
    await started.whenInFlight(0);

    expect((await client.send(`${started.url}/next`)).status).toBe(200);
  });
});
