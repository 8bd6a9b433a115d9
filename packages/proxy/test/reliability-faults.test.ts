import { afterEach, describe, expect, test } from '@jest/globals';
import { defaultConfig, type ConfigOverrides } from '../src/index.js';
import { FaultyBackend } from './support/faulty-backend.js';
import { expectBooksBalanced } from './support/metric-values.js';
import { sendRaw, type RawConversation } from './support/raw-http.js';
import { startProxy, type TestProxy } from './support/test-proxy.js';

// Backends that crash mid-response, reset connections, never answer, drip bytes, or vanish from
// discovery; a reload and a drain (what SIGTERM starts) in the middle. After each: no slot leaked,
// no request answered twice or sent twice, no queued request lost, and /metrics adds up.

const TIMEOUT_MS = 400;
const started: { proxy?: TestProxy | undefined; backends: FaultyBackend[] } = { backends: [] };

afterEach(async () => {
  await started.proxy?.close();
  await Promise.all(started.backends.map((backend) => backend.close()));
  started.proxy = undefined;
  started.backends = [];
});

async function backends(count: number): Promise<FaultyBackend[]> {
  const list = await Promise.all(Array.from({ length: count }, () => FaultyBackend.start()));
  started.backends.push(...list);
  return list;
}

async function proxyFor(overrides: ConfigOverrides): Promise<TestProxy> {
  started.proxy = await startProxy(overrides);
  return started.proxy;
}

function send(proxy: TestProxy, path: string): Promise<RawConversation> {
  return sendRaw(Number(new URL(proxy.url).port), `GET ${path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`, { limitMs: 20_000 });
}

/** What the client saw: one status, or `cut` for a response that started and then stopped. */
function outcome(conversation: RawConversation): string {
  expect(conversation.closed).toBe(true);
  expect(conversation.responses.length).toBeLessThanOrEqual(1);
  const response = conversation.responses[0];
  if (response === undefined) {
    expect(conversation.leftover).toMatch(/^HTTP\/1\.1 200 /);
    return 'cut';
  }
  expect(conversation.leftover).toBe('');
  return `${response.status}${response.headers['x-shortline-reason'] === undefined ? '' : ` ${response.headers['x-shortline-reason']}`}`;
}

/** Nothing left behind: no open request, nothing queued or in flight, the books balanced, no internal error. */
async function expectSettled(proxy: TestProxy): Promise<void> {
  await proxy.shortline.settled();
  expect(proxy.shortline.scheduler.inFlight).toBe(0);
  expect(proxy.shortline.scheduler.waiting).toBe(0);
  expect(proxy.shortline.debugSnapshot().pools.every((pool) => pool.inFlight === 0)).toBe(true);
  await expectBooksBalanced(proxy.adminUrl);
  expect(proxy.lines.filter((line) => line.reason === 'internal-error' || line.level >= 60)).toEqual([]);
}

describe('each fault answers its request once and frees its slot', () => {
  test.each([
    ['crashes mid-response', '/crash-mid/1', 'cut', 'cut'],
    ['resets the connection', '/reset/1', '502 upstream-error', 'refused'],
    ['closes the connection without answering', '/close/1', '502 upstream-error', 'refused'],
    ['never answers', '/never/1', '504 request-timeout', 'refused'],
    ['drips its answer byte by byte', '/drip/1', '200', 'answered'],
  ])('a backend that %s', async (_fault, path, seen, finished) => {
    const [backend] = await backends(1);
    const proxy = await proxyFor({ functions: [{ name: 'fn', backends: [backend?.url ?? ''], concurrency: 1, timeoutMs: TIMEOUT_MS }] });

    expect(outcome(await send(proxy, path))).toBe(seen);
    expect(outcome(await send(proxy, '/ok/after'))).toBe('200');

    await expectSettled(proxy);
    const metrics = await expectBooksBalanced(proxy.adminUrl);
    expect(metrics.sum('shortline_requests_finished_total', { outcome: finished })).toBeGreaterThanOrEqual(1);
    expect(backend?.received).toEqual([path, '/ok/after']);
  });

  test('a request queued behind a fault is served once the fault frees the slot', async () => {
    const [backend] = await backends(1);
    const proxy = await proxyFor({
      pools: [{ name: 'one', backends: [backend?.url ?? ''], concurrency: 1 }],
      functions: [
        { name: 'stuck', pool: 'one', match: { pathPrefix: '/never' }, timeoutMs: TIMEOUT_MS },
        { name: 'fn', pool: 'one', match: { pathPrefix: '/' }, timeoutMs: 10_000 },
      ],
    });
    const first = send(proxy, '/never/q');
    await proxy.whenInFlight(1);
    const faults = ['/crash-mid/q', '/reset/q'].map((path) => send(proxy, path));
    await proxy.whenQueued(2);
    const behind = send(proxy, '/ok/behind');

    expect((await Promise.all([first, ...faults])).map(outcome)).toEqual(['504 request-timeout', 'cut', '502 upstream-error']);
    expect(outcome(await behind)).toBe('200');
    await expectSettled(proxy);
  });
});

describe('the keep-alive race: a kept-alive connection closes under the request going out on it', () => {
  function post(proxy: TestProxy, path: string, body: string): Promise<RawConversation> {
    const head = `POST ${path} HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    return sendRaw(Number(new URL(proxy.url).port), head + body, { limitMs: 20_000 });
  }

  test('a bodiless GET is sent again once, on a new connection, and answered', async () => {
    const [backend] = await backends(1);
    const proxy = await proxyFor({ functions: [{ name: 'fn', backends: [backend?.url ?? ''], concurrency: 1, timeoutMs: 5_000 }] });
    // Leaves one kept-alive connection from the proxy to the backend, which the next call reuses.
    expect(outcome(await send(proxy, '/ok/first'))).toBe('200');

    expect(outcome(await send(proxy, '/close-reused/1'))).toBe('200');
    expect(backend?.received).toEqual(['/ok/first', '/close-reused/1', '/close-reused/1']);
    await expectSettled(proxy);
    const metrics = await expectBooksBalanced(proxy.adminUrl);
    expect(metrics.sum('shortline_upstream_resends_total', { function: 'fn' })).toBe(1);
    expect(metrics.sum('shortline_requests_finished_total', { outcome: 'answered' })).toBe(2);
  });

  test('a request with a body is never sent again: 502, and the backend saw it once', async () => {
    const [backend] = await backends(1);
    const proxy = await proxyFor({ functions: [{ name: 'fn', backends: [backend?.url ?? ''], concurrency: 1, timeoutMs: 5_000 }] });
    expect(outcome(await send(proxy, '/ok/first'))).toBe('200');

    expect(outcome(await post(proxy, '/close-reused/1', 'a body'))).toBe('502 upstream-error');
    expect(backend?.received).toEqual(['/ok/first', '/close-reused/1']);
    await expectSettled(proxy);
    expect((await expectBooksBalanced(proxy.adminUrl)).sum('shortline_upstream_resends_total')).toBe(0);
  });

  test('a request is sent again at most once: when the second connection closes too, 502', async () => {
    const [backend] = await backends(1);
    const proxy = await proxyFor({ functions: [{ name: 'fn', backends: [backend?.url ?? ''], concurrency: 2, timeoutMs: 5_000 }] });
    // Two calls at once leave two kept-alive connections: the resend goes out on the other one.
    const opening = [send(proxy, '/drip/a'), send(proxy, '/drip/b')];
    await proxy.whenInFlight(2);
    expect((await Promise.all(opening)).map(outcome)).toEqual(['200', '200']);

    expect(outcome(await send(proxy, '/close-reused/1'))).toBe('502 upstream-error');
    expect(backend?.received.filter((path) => path === '/close-reused/1')).toHaveLength(2);
    await expectSettled(proxy);
    expect((await expectBooksBalanced(proxy.adminUrl)).sum('shortline_upstream_resends_total')).toBe(1);
  });
});

describe('backends vanish from discovery while requests are in flight and queued', () => {
  test('in-flight requests finish on the removed backend; queued ones wait and go to the one that appears', async () => {
    const [first, second] = await backends(2);
    const proxy = await proxyFor({ functions: [{ name: 'fn', backends: [first?.url ?? ''], concurrency: 1, timeoutMs: 5_000 }] });
    const registry = proxy.shortline.backends;
    registry.add('fn', { id: 'pod-a', url: second?.url ?? '', capacity: 1 });
    const inFlight = [send(proxy, '/drip/a1'), send(proxy, '/drip/a2')];
    await proxy.whenInFlight(2);
    const queued = [1, 2, 3, 4].map((i) => send(proxy, `/ok/q${i}`));
    await proxy.whenQueued(4);

    // Both backends go: one from discovery, one by reload. Nothing may start until one comes back.
    await Promise.all([registry.remove('pod-a'), registry.remove(registry.ids('fn').find((id) => id !== 'pod-a') ?? '')]);
    expect((await Promise.all(inFlight)).map(outcome)).toEqual(['200', '200']);
    expect(proxy.shortline.scheduler.waiting).toBe(4);
    registry.add('fn', { id: 'pod-b', url: second?.url ?? '', capacity: 2 });

    expect((await Promise.all(queued)).map(outcome)).toEqual(['200', '200', '200', '200']);
    await expectSettled(proxy);
    const received = [...(first?.received ?? []), ...(second?.received ?? [])];
    expect(received.sort()).toEqual(['/drip/a1', '/drip/a2', '/ok/q1', '/ok/q2', '/ok/q3', '/ok/q4']);
  });

  test('queued requests of a pool left without backends end at their deadline, never lost', async () => {
    const [backend] = await backends(1);
    const proxy = await proxyFor({ functions: [{ name: 'fn', backends: [backend?.url ?? ''], concurrency: 1, timeoutMs: TIMEOUT_MS }] });
    const held = send(proxy, '/drip/held');
    await proxy.whenInFlight(1);
    const queued = [send(proxy, '/ok/q1'), send(proxy, '/ok/q2')];
    await proxy.whenQueued(2);

    const registry = proxy.shortline.backends;
    await Promise.all(registry.ids('fn').map((id) => registry.remove(id)));

    expect(outcome(await held)).toBe('200');
    expect((await Promise.all(queued)).map(outcome)).toEqual(['504 deadline', '504 deadline']);
    await expectSettled(proxy);
    expect(backend?.received).toEqual(['/drip/held']);
  });
});

describe('every fault at once, with backends vanishing, a reload and a drain in the middle', () => {
  test('every request ends exactly once, none is sent twice but by the keep-alive resend, nothing leaks, the books balance', async () => {
    const [a, b, c] = await backends(3);
    const urls = [a?.url ?? '', b?.url ?? ''];
    const config = (backendUrls: string[], policy: 'aging-srtf' | 'fifo'): ConfigOverrides => ({
      scheduler: { policy, maxQueued: 40 },
      drain: { quietPeriodMs: 0 },
      pools: [{ name: 'p', backends: backendUrls, concurrency: 2 }],
      functions: [{ name: 'fn', pool: 'p', match: { pathPrefix: '/' }, timeoutMs: TIMEOUT_MS }],
    });
    const proxy = await proxyFor(config(urls, 'aging-srtf'));
    let arrived = 0;
    proxy.shortline.observe({ arrived: () => arrived++ });
    proxy.shortline.backends.add('p', { id: 'discovered', url: c?.url ?? '', capacity: 2 });
    const modes = ['ok', 'crash-mid', 'reset', 'close', 'never', 'drip', 'slow'];
    const paths = Array.from({ length: 70 }, (_, i) => `/${modes[i % modes.length] ?? 'ok'}/${i}`);

    const answers = paths.map((path) => send(proxy, path));
    await proxy.when(() => proxy.shortline.scheduler.waiting > 10);
    await proxy.shortline.backends.remove('discovered');
    proxy.shortline.applyConfig(
      defaultConfig({ ...config([urls[1] ?? ''], 'fifo'), listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 } }),
    );
    const late = paths.slice(0, 10).map((path) => send(proxy, `${path}-late`));
    // Drain once every request has reached the proxy: one still connecting when the listener closes
    // is refused by the operating system (the quiet period is what keeps those away).
    await proxy.when(() => arrived === paths.length + late.length);
    const drained = proxy.shortline.drain();

    const outcomes = (await Promise.all([...answers, ...late])).map(outcome);
    await drained;

    const allowed: Record<string, string[]> = {
      ok: ['200'],
      slow: ['200'],
      drip: ['200', 'cut'],
      'crash-mid': ['cut', '502 upstream-error'],
      reset: ['502 upstream-error'],
      close: ['502 upstream-error'],
      never: ['504 request-timeout'],
    };
    const everyPath = [...paths, ...paths.slice(0, 10).map((path) => `${path}-late`)];
    everyPath.forEach((path, i) => {
      const mode = path.split('/')[1] ?? '';
      const seen = outcomes[i] ?? '';
      // The request timeout counts the queue wait: any request may reach it, queued or running.
      // And the queue has a bound: past it, 503.
      expect([...(allowed[mode] ?? []), '504 deadline', '504 request-timeout', '503 queue-full']).toContain(seen);
    });
    // The storm was a storm: answers, cuts, backend failures and timeouts all happened.
    expect(new Set(outcomes).size).toBeGreaterThanOrEqual(4);
    // Sent twice only where the backend closed a kept-alive connection without answering (the
    // keep-alive race's pattern: an idempotent bodiless request goes again, once), and counted so.
    const received = [...(a?.received ?? []), ...(b?.received ?? []), ...(c?.received ?? [])];
    const sentAgain = received.filter((path, i) => received.indexOf(path) !== i);
    expect(sentAgain.filter((path) => !path.startsWith('/close/'))).toEqual([]);
    expect(new Set(sentAgain).size).toBe(sentAgain.length);
    const resends = await proxy.shortline.registry.getSingleMetric('shortline_upstream_resends_total')?.get();
    expect((resends?.values ?? []).reduce((sum, sample) => sum + sample.value, 0)).toBe(sentAgain.length);
    expect(proxy.shortline.server.listening).toBe(false);
    expect(proxy.shortline.scheduler.inFlight).toBe(0);
    expect(proxy.shortline.scheduler.waiting).toBe(0);
    expect(proxy.shortline.debugSnapshot().openRequests).toBe(0);
    expect(proxy.lines.filter((line) => line.reason === 'internal-error' || line.level >= 60)).toEqual([]);
  });
});
