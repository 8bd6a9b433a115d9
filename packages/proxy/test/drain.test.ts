import { describe, expect, test } from '@jest/globals';
import type { ConfigOverrides } from '../src/index.js';
import { useProxyFixture, type TestProxy } from './support/test-proxy.js';

const { backend, client, start } = useProxyFixture();
let proxy: TestProxy | undefined;

function oneSlot(quietPeriodMs = 0): ConfigOverrides {
  return {
    drain: { quietPeriodMs },
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' } }],
  };
}

describe('drain', () => {
  test('answers every queued and in-flight request, then closes the listeners', async () => {
    proxy = await start(oneSlot());
    const started = proxy;
    const answers = [client.send(`${started.url}/hold?hold`)];
    await backend.whenHeld(1);
    for (const path of ['/q1', '/q2', '/q3']) answers.push(client.send(`${started.url}${path}`));
    await started.whenQueued(3);

    let drained = false;
    const drain = started.shortline.drain().then(() => (drained = true));
    expect((await client.send(`${started.adminUrl}/readyz`)).status).toBe(503);
    expect(drained).toBe(false);
    backend.release();
    const statuses = (await Promise.all(answers)).map((answer) => answer.status);
    await drain;

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(backend.paths).toEqual(['/hold', '/q1', '/q2', '/q3']);
    expect(started.shortline.server.listening).toBe(false);
    await expect(client.send(`${started.url}/late`)).rejects.toThrow();
  });

  test('keeps accepting requests during the quiet period and asks clients to close their connections', async () => {
    proxy = await start(oneSlot(150));
    const started = proxy;
    const drain = started.shortline.drain();

    const during = await client.send(`${started.url}/during`);
    await drain;

    expect(during.status).toBe(200);
    expect(during.headers.connection).toBe('close');
    expect(started.shortline.server.listening).toBe(false);
  });

  test('close() answers what is still queued with 503 and cuts what is in flight', async () => {
    proxy = await start(oneSlot());
    const started = proxy;
    const inFlight = client.send(`${started.url}/hold?hold`);
    inFlight.catch(() => undefined);
    await backend.whenHeld(1);
    const queued = client.send(`${started.url}/queued`);
    await started.whenQueued(1);

    await started.shortline.close();

    const refused = await queued;
    expect(refused.status).toBe(503);
    expect(refused.body).toContain('shutting-down');
    const cut = await inFlight.then((answer) => answer.status, () => 'connection cut');
    expect([503, 'connection cut']).toContain(cut);
    expect(started.shortline.scheduler.waiting + started.shortline.scheduler.inFlight).toBe(0);
  });
});
