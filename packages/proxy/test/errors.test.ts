import { describe, expect, test } from '@jest/globals';
import { request } from 'undici';
import { ManualTimers, type ConfigOverrides, type FunctionInput } from '../src/index.js';
import { deadUrl, useProxyFixture, type Answer, type TestProxy } from './support/test-proxy.js';

const { backend, client, start } = useProxyFixture();
let proxy: TestProxy | undefined;

/** A one-slot pool; `hold` keeps the slot busy; `fn` is the function under test at /fn. */
function oneSlot(fn: Partial<FunctionInput> = {}, rest: ConfigOverrides = {}): ConfigOverrides {
  return {
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [
      { name: 'hold', pool: 'one', match: { pathPrefix: '/hold' } },
      { name: 'fn', pool: 'one', match: { pathPrefix: '/fn' }, ...fn },
    ],
    ...rest,
  };
}

/** Takes the only slot; the hold request's answer comes once the test releases it. */
async function occupySlot(started: TestProxy): Promise<{ answer: Promise<Answer> }> {
  const answer = client.send(`${started.url}/hold?hold`);
  await backend.whenHeld(1);
  return { answer };
}

function logged(started: TestProxy, reason: string): unknown[] {
  return started.lines.filter((line) => line.reason === reason);
}

describe('every error path gets exactly one clear answer', () => {
  test('a request no rule matches, with no default function, gets 404 naming the reason and request id', async () => {
    proxy = await start(oneSlot());

    const answer = await client.send(`${proxy.url}/nowhere`, { headers: { 'x-request-id': 'req-404' } });

    expect(answer.status).toBe(404);
    expect(answer.body).toContain('unknown-function');
    expect(answer.body).toContain('req-404');
    expect(answer.headers['x-shortline-reason']).toBe('unknown-function');
    expect(logged(proxy, 'unknown-function')).toEqual([expect.objectContaining({ requestId: 'req-404', msg: 'request refused' })]);
    expect(backend.received).toHaveLength(0);
  });

  test('a full queue answers 503 with Retry-After', async () => {
    proxy = await start(oneSlot({}, { scheduler: { maxQueued: 1 }, limits: { retryAfterSeconds: 7 } }));
    const { answer: hold } = await occupySlot(proxy);
    const queued = client.send(`${proxy.url}/fn/1`);
    await proxy.whenQueued(1);

    const refused = await client.send(`${proxy.url}/fn/2`);

    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('7');
    expect(refused.body).toContain('queue-full');
    backend.release();
    expect((await queued).status).toBe(200);
    await hold;
    expect(backend.paths).toEqual(['/hold', '/fn/1']);
  });

  test("a function's own queue limit answers 503 function-queue-full", async () => {
    proxy = await start(oneSlot({ maxQueued: 1 }));
    const { answer: hold } = await occupySlot(proxy);
    const queued = client.send(`${proxy.url}/fn/1`);
    await proxy.whenQueued(1);

    const refused = await client.send(`${proxy.url}/fn/2`);

    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body).toContain('function-queue-full');
    backend.release();
    await Promise.all([queued, hold]);
  });

  test('a request that waits past its max queue wait gets 503 naming the reason, and is never forwarded', async () => {
    const timers = new ManualTimers();
    proxy = await start(oneSlot({ maxQueueWaitMs: 30 }), { timers });
    const { answer: hold } = await occupySlot(proxy);
    const waiting = client.send(`${proxy.url}/fn/1`);
    await proxy.whenQueued(1);

    // Just before its max queue wait it still waits; at it, it is answered.
    timers.advance(29);
    expect(proxy.shortline.scheduler.waiting).toBe(1);
    timers.advance(1);
    const expired = await waiting;

    expect(expired.status).toBe(503);
    expect(expired.body).toContain('max-queue-wait');
    expect(expired.headers['server-timing']).toBe('queue;dur=30.0, upstream;dur=0.0');
    backend.release();
    await hold;
    expect(backend.paths).toEqual(['/hold']);
  });

  test('the request timeout counts the queue wait: 504 while still queued', async () => {
    const timers = new ManualTimers();
    proxy = await start(oneSlot({ timeoutMs: 40 }), { timers });
    const { answer: hold } = await occupySlot(proxy);
    const waiting = client.send(`${proxy.url}/fn/1`);
    await proxy.whenQueued(1);

    timers.advance(40);
    const timedOut = await waiting;

    expect(timedOut.status).toBe(504);
    expect(timedOut.body).toContain('deadline');
    backend.release();
    await hold;
    expect(backend.paths).toEqual(['/hold']);
  });

  test('the request timeout in flight answers 504, aborts the backend call and frees the slot', async () => {
    const timers = new ManualTimers();
    proxy = await start(oneSlot({ timeoutMs: 60 }), { timers });
    const answer = client.send(`${proxy.url}/fn/1?hold`);
    await backend.whenHeld(1);

    timers.advance(60);
    const timedOut = await answer;

    expect(timedOut.status).toBe(504);
    expect(timedOut.body).toContain('request-timeout');
    expect(proxy.shortline.scheduler.inFlight).toBe(0);
    await backend.whenAborted(1);
    expect((await client.send(`${proxy.url}/fn/2`)).status).toBe(200);
  });

  test('the request timeout after the response started cuts the connection', async () => {
    const timers = new ManualTimers();
    proxy = await start(oneSlot({ timeoutMs: 60 }), { timers });
    const response = await request(`${proxy.url}/fn/1?stall`);
    expect(response.statusCode).toBe(200);

    timers.advance(60);

    await expect(response.body.text()).rejects.toThrow();
    expect(proxy.shortline.scheduler.inFlight).toBe(0);
  });

  test('the response-start timeout answers 504 when the backend sends no head in time', async () => {
    const timers = new ManualTimers();
    proxy = await start(oneSlot({}, { timeouts: { responseStartMs: 40 } }), { timers });
    const pending = client.send(`${proxy.url}/fn/1?hold`);
    await backend.whenHeld(1);

    timers.advance(40);
    const answer = await pending;

    expect(answer.status).toBe(504);
    expect(answer.body).toContain('response-start-timeout');
    expect(proxy.shortline.scheduler.inFlight).toBe(0);
  });

  test('the idle timeout cuts a response whose body stops arriving', async () => {
    const timers = new ManualTimers();
    proxy = await start(oneSlot({}, { timeouts: { idleMs: 50 } }), { timers });
    const response = await request(`${proxy.url}/fn/1?stall`);
    expect(response.statusCode).toBe(200);

    timers.advance(50);

    await expect(response.body.text()).rejects.toThrow();
    await proxy.whenInFlight(0);
    expect(logged(proxy, 'idle-timeout')).toHaveLength(1);
  });

  test('an unreachable backend is skipped for another one of the pool with a free slot', async () => {
    const dead = await deadUrl();
    proxy = await start({
      pools: [{ name: 'two', backends: [dead, backend.url], concurrency: 1, loadBalancing: 'first-available' }],
      functions: [{ name: 'fn', pool: 'two', match: { pathPrefix: '/fn' } }],
    });

    const answer = await client.send(`${proxy.url}/fn/1`);

    expect(answer.status).toBe(200);
    expect(backend.paths).toEqual(['/fn/1']);
    const ejected = proxy.shortline.backends.list().find((view) => view.url === dead);
    expect(ejected).toEqual(expect.objectContaining({ ejected: true, state: 'draining', inFlight: 0 }));
    const snapshot = proxy.shortline.scheduler.snapshot(0);
    expect(snapshot.inFlight).toBe(0);
    expect(snapshot.pools[0]?.backends.map((b) => b.inFlight)).toEqual([0, 0]);
    // Sent back to the queue, not taken in a second time: one request, one acceptance, one retry.
    expect(snapshot.functions[0]?.counters).toEqual(expect.objectContaining({ accepted: 1, retried: 1, dispatched: 1, completed: 1 }));
  });

  test('with no other backend to try, an unreachable backend means 502', async () => {
    proxy = await start({
      pools: [{ name: 'dead', backends: [await deadUrl()], concurrency: 1 }],
      functions: [{ name: 'fn', pool: 'dead', match: { pathPrefix: '/fn' } }],
    });

    const answer = await client.send(`${proxy.url}/fn/1`, { headers: { 'x-request-id': 'req-502' } });

    expect(answer.status).toBe(502);
    expect(answer.body).toContain('upstream-unreachable');
    expect(logged(proxy, 'upstream-unreachable')).toEqual([expect.objectContaining({ requestId: 'req-502' })]);
    expect(proxy.shortline.scheduler.inFlight).toBe(0);
  });

  test('an ejected backend comes back after the ejection period', async () => {
    const dead = await deadUrl();
    const timers = new ManualTimers();
    proxy = await start(
      {
        pools: [{ name: 'two', backends: [dead, backend.url], concurrency: 1, loadBalancing: 'first-available' }],
        functions: [{ name: 'fn', pool: 'two', match: { pathPrefix: '/fn' } }],
      },
      { ejectionMs: 30, timers },
    );
    expect((await client.send(`${proxy.url}/fn/1`)).status).toBe(200);
    const states = (): string[] => proxy?.shortline.backends.list().map((view) => `${view.state}${view.ejected ? ' ejected' : ''}`) ?? [];

    // Out of rotation for the ejection period, then back as a fresh backend.
    timers.advance(29);
    expect(states()).toEqual(['draining ejected', 'active']);
    timers.advance(1);
    expect(states()).toEqual(['active', 'active']);
  });

  test('a backend failing mid-response ends the client connection instead of a clean short body', async () => {
    proxy = await start(oneSlot());

    await expect(client.send(`${proxy.url}/fn/1?fail-mid`)).rejects.toThrow();

    await proxy.whenInFlight(0);
    expect(logged(proxy, 'upstream-error')).toHaveLength(1);
    expect((await client.send(`${proxy.url}/fn/2`)).status).toBe(200);
  });

  test("a backend's own error status passes through untouched", async () => {
    proxy = await start(oneSlot());

    const answer = await client.send(`${proxy.url}/fn/1?status=500`);

    expect(answer.status).toBe(500);
    expect(answer.body).toBe('backend says so');
    expect(answer.headers['x-shortline-reason']).toBeUndefined();
  });
});
