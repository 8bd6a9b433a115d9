import { describe, expect, test } from '@jest/globals';
import { ManualTimers, type ConfigOverrides } from '../src/index.js';
import { sendRaw } from './support/raw-http.js';
import { useProxyFixture, type Answer, type TestProxy } from './support/test-proxy.js';

// Request-level prediction through real sockets, on manual time: one catch-all function with one
// slot (the way a sidecar sees a revision), whose calls take as long as the test says. The proxy
// learns which routes and sizes are short and serves them first, with no configuration.

const { backend, client, start } = useProxyFixture();

function catchAll(predictor: ConfigOverrides['predictor'] = {}): ConfigOverrides {
  return {
    predictor,
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [{ name: 'revision', pool: 'one', match: { pathPrefix: '/' } }],
  };
}

/** Sends one call that the backend holds, lets `ms` pass, and has the backend answer it. */
async function callTaking(proxy: TestProxy, timers: ManualTimers, path: string, ms: number, body?: Buffer): Promise<void> {
  const answer = client.send(`${proxy.url}${path}${path.includes('?') ? '&' : '?'}hold`, body === undefined ? {} : { method: 'POST', body });
  await backend.whenHeld(1);
  timers.advance(ms);
  backend.release();
  expect((await answer).status).toBe(200);
}

/** Takes the slot with a held call, then queues `paths` in this order; resolves with their answers. */
async function queueBehindHold(proxy: TestProxy, paths: readonly (string | { path: string; body: Buffer })[]): Promise<Promise<Answer>[]> {
  const answers = [client.send(`${proxy.url}/hold-the-slot?hold`)];
  await backend.whenHeld(1);
  for (const [index, item] of paths.entries()) {
    const path = typeof item === 'string' ? item : item.path;
    const options = typeof item === 'string' ? {} : { method: 'POST' as const, body: item.body };
    answers.push(client.send(`${proxy.url}${path}${path.includes('?') ? '&' : '?'}hold`, options));
    await proxy.whenQueued(index + 1);
  }
  return answers;
}

/** Answers the held calls one at a time, in the order the proxy sends them. */
async function releaseAll(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await backend.whenHeld(1);
    backend.release();
  }
}

describe('request-level prediction, no configuration', () => {
  test('a short route overtakes long calls queued before it, once each has been seen a few times', async () => {
    const timers = new ManualTimers();
    const proxy = await start(catchAll(), { timers });
    // The revision serves /report in 2 s and /lookup/<id> in 20 ms.
    for (let i = 0; i < 4; i++) {
      await callTaking(proxy, timers, '/report', 2_000);
      await callTaking(proxy, timers, `/lookup/${1000 + i}`, 20);
    }
    backend.received.length = 0;

    const answers = await queueBehindHold(proxy, ['/report', '/report', '/report', '/lookup/77']);
    await releaseAll(5);
    await Promise.all(answers);

    expect(backend.paths).toEqual(['/hold-the-slot', '/lookup/77', '/report', '/report', '/report']);
    const learnt = proxy.shortline.debugSnapshot().functions[0]?.requests;
    expect(learnt?.classes.map((entry) => entry.key)).toEqual(expect.arrayContaining(['GET /report', 'GET /lookup/{n}']));
    expect(learnt?.samples).toBe(13);
  });

  test('with request features off it is FIFO in one function, as Knative is', async () => {
    const timers = new ManualTimers();
    const proxy = await start(catchAll({ requestFeatures: false }), { timers });
    for (let i = 0; i < 4; i++) {
      await callTaking(proxy, timers, '/report', 2_000);
      await callTaking(proxy, timers, `/lookup/${1000 + i}`, 20);
    }
    backend.received.length = 0;

    const answers = await queueBehindHold(proxy, ['/report', '/report', '/lookup/77']);
    await releaseAll(4);
    await Promise.all(answers);

    expect(backend.paths).toEqual(['/hold-the-slot', '/report', '/report', '/lookup/77']);
  });

  test('a small upload overtakes a big one: duration learnt against Content-Length', async () => {
    const timers = new ManualTimers();
    const proxy = await start(catchAll(), { timers });
    // Uploads take 1 ms per KB.
    for (const kb of [1, 64, 8, 256, 2, 32, 128, 4]) await callTaking(proxy, timers, '/upload', kb, Buffer.alloc(kb * 1024));
    backend.received.length = 0;

    const answers = await queueBehindHold(proxy, [
      { path: '/upload', body: Buffer.alloc(512 * 1024) },
      { path: '/upload', body: Buffer.alloc(200 * 1024) },
      { path: '/upload', body: Buffer.alloc(1024) },
    ]);
    await releaseAll(4);
    const sizes = (await Promise.all(answers)).map((answer) => answer.status);

    expect(sizes).toEqual([200, 200, 200, 200]);
    expect(backend.received.map((request) => request.headers['content-length'])).toEqual([undefined, '1024', '204800', '524288']);
  });

  test('what it learnt is in /debug/queue and its error in /metrics; classes never become labels', async () => {
    const timers = new ManualTimers();
    const proxy = await start(catchAll(), { timers });
    for (let i = 0; i < 3; i++) await callTaking(proxy, timers, `/items/${i}`, 5);

    const debug = JSON.parse((await client.send(`${proxy.adminUrl}/debug/queue`)).body) as {
      functions: { name: string; requests: { classes: { key: string; samples: number; estimateMs: number }[] } }[];
    };
    const items = debug.functions[0]?.requests.classes.find((entry) => entry.key === 'GET /items/{n}');
    expect(items).toEqual(expect.objectContaining({ samples: 3, estimateMs: expect.closeTo(5, 0) as unknown }));
    const metrics = (await client.send(`${proxy.adminUrl}/metrics`)).body;
    expect(metrics).toMatch(/^shortline_request_prediction_error\{function="revision",measure="male"\} /m);
    expect(metrics).toContain('shortline_request_classes{function="revision"}');
    expect(metrics).not.toContain('/items');
  });

  test('hostile request lines are predicted like any other, and the classes stay within maxClasses', async () => {
    const proxy = await start(catchAll({ maxClasses: 16 }));
    const paths = [`/${'a'.repeat(4000)}`, '/%00%ff?x=' + 'y'.repeat(1000), ...Array.from({ length: 60 }, (_, i) => `/r${i}/s${i * 7}/t?k${i}=v`)];
    for (const path of paths) expect((await client.send(`${proxy.url}${path}`)).status).toBe(200);
    // A body of 10^15 bytes announced, a few sent, then the client leaves.
    await sendRaw(Number(new URL(proxy.url).port), 'POST /claims-a-huge-body HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000000000000\r\n\r\nabc', { limitMs: 100 });

    const requests = proxy.shortline.debugSnapshot().functions[0]?.requests;
    expect(requests?.classCount).toBeLessThanOrEqual(16);
    expect((await client.send(`${proxy.url}/after`)).status).toBe(200);
  });
});
