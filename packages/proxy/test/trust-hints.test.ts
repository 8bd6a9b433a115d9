import { describe, expect, test } from '@jest/globals';
import type { ConfigOverrides } from '../src/index.js';
import { scrape } from './support/metric-values.js';
import { useProxyFixture, type TestProxy } from './support/test-proxy.js';

// Scheduling hints move a request in the queue, so they count only from sources the configuration
// trusts (by TCP peer address). From anyone else they are ignored, counted and kept from the backend.
// The test client is on 127.0.0.1.

const { backend, client, start } = useProxyFixture();
let proxy: TestProxy | undefined;

// Request features are off, so a call's prediction is its function's estimate, the same for /a and /b.
function oneSlot(trust: ConfigOverrides['trust']): ConfigOverrides {
  return {
    trust,
    predictor: { requestFeatures: false },
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' }, expectedDurationMs: 1000 }],
  };
}

interface Queued {
  readonly path: string;
  readonly headers?: Record<string, string | string[]>;
}

/** Holds the only slot, queues the requests in the order given, frees the slot: the order they were sent on. */
async function orderServed(started: TestProxy, requests: readonly Queued[]): Promise<string[]> {
  const hold = client.send(`${started.url}/hold?hold`);
  await backend.whenHeld(1);
  const answers = [];
  for (const [index, queued] of requests.entries()) {
    answers.push(client.send(`${started.url}${queued.path}`, queued.headers === undefined ? {} : { headers: queued.headers }));
    await started.whenQueued(index + 1);
  }
  backend.release();
  expect((await Promise.all([hold, ...answers])).map((answer) => answer.status)).toEqual(requests.map(() => 200).concat(200));
  return backend.paths.slice(1);
}

async function hintCounts(started: TestProxy): Promise<Record<string, number>> {
  const metrics = await scrape(started.adminUrl);
  const counts: Record<string, number> = {};
  for (const hint of ['expected-duration', 'workflow-remaining']) {
    for (const outcome of ['honoured', 'untrusted', 'invalid']) {
      const value = metrics.sum('shortline_scheduling_hints_total', { hint, outcome });
      if (value > 0) counts[`${hint} ${outcome}`] = value;
    }
  }
  return counts;
}

function forwardedHeaders(path: string): Record<string, string | string[] | undefined> {
  return backend.received.find((request) => request.url.startsWith(path))?.headers ?? {};
}

describe('an expected-duration hint', () => {
  const hinted = { path: '/b', headers: { 'x-shortline-expected-ms': '1' } };

  test('from an untrusted source is ignored, counted, and kept from the backend (the default trusts nobody)', async () => {
    proxy = await start(oneSlot(undefined));

    expect(await orderServed(proxy, [{ path: '/a' }, hinted])).toEqual(['/a', '/b']);
    expect(await hintCounts(proxy)).toEqual({ 'expected-duration untrusted': 1 });
    expect(forwardedHeaders('/b')['x-shortline-expected-ms']).toBeUndefined();
  });

  test('from a trusted source moves the request ahead, and is passed on', async () => {
    proxy = await start(oneSlot({ trustedSources: ['127.0.0.0/8'] }));

    expect(await orderServed(proxy, [{ path: '/a' }, hinted])).toEqual(['/b', '/a']);
    expect(await hintCounts(proxy)).toEqual({ 'expected-duration honoured': 1 });
    expect(forwardedHeaders('/b')['x-shortline-expected-ms']).toBe('1');
  });

  test('trust goes by the connection’s address: X-Forwarded-For naming a trusted address changes nothing', async () => {
    proxy = await start(oneSlot({ trustedSources: ['10.0.0.0/8'] }));
    const spoofed = { path: '/b', headers: { 'x-shortline-expected-ms': '1', 'x-forwarded-for': '10.0.0.7', forwarded: 'for=10.0.0.7' } };

    expect(await orderServed(proxy, [{ path: '/a' }, spoofed])).toEqual(['/a', '/b']);
    expect(await hintCounts(proxy)).toEqual({ 'expected-duration untrusted': 1 });
  });

  test.each([['1e3'], ['-5'], ['0x10'], ['5.5'], [' '], ['99999999999'], ['NaN'], [['1', '2']]])(
    'from a trusted source but not whole milliseconds (%j) is ignored and counted invalid',
    async (value) => {
      proxy = await start(oneSlot({ trustedSources: ['127.0.0.1'] }));

      expect(await orderServed(proxy, [{ path: '/a' }, { path: '/b', headers: { 'x-shortline-expected-ms': value } }])).toEqual(['/a', '/b']);
      expect(await hintCounts(proxy)).toEqual({ 'expected-duration invalid': 1 });
      expect(forwardedHeaders('/b')['x-shortline-expected-ms']).toBeUndefined();
    },
  );
});

describe('a workflow-remaining hint', () => {
  test('from a trusted source counts the rest of the workflow: a step with much work after it goes later', async () => {
    proxy = await start(oneSlot({ trustedSources: ['127.0.0.1/32', '::1'] }));
    const longWorkflow = { path: '/a', headers: { 'x-shortline-workflow-remaining-ms': '60000' } };

    expect(await orderServed(proxy, [longWorkflow, { path: '/b' }])).toEqual(['/b', '/a']);
    expect(await hintCounts(proxy)).toEqual({ 'workflow-remaining honoured': 1 });
  });

  test('from an untrusted source changes nothing', async () => {
    proxy = await start(oneSlot({ trustedSources: ['192.0.2.0/24'] }));
    const longWorkflow = { path: '/a', headers: { 'x-shortline-workflow-remaining-ms': '60000' } };

    expect(await orderServed(proxy, [longWorkflow, { path: '/b' }])).toEqual(['/a', '/b']);
    expect(await hintCounts(proxy)).toEqual({ 'workflow-remaining untrusted': 1 });
  });
});

describe('a reload of trust', () => {
  test('applies from the next request on, on connections already open, without a restart', async () => {
    proxy = await start(oneSlot(undefined));
    const hinted = { path: '/b', headers: { 'x-shortline-expected-ms': '1' } };
    // The function's estimate is learnt between rounds; /a's 20 ms keep it well above the 1 ms hint.
    const unhinted = { path: '/a?slow-head=20' };
    expect(await orderServed(proxy, [unhinted, hinted])).toEqual(['/a', '/b']);

    const before = proxy.shortline.config;
    proxy.shortline.applyConfig({ ...before, trust: { ...before.trust, trustedSources: ['127.0.0.0/8'] } });
    backend.received.length = 0;
    expect(await orderServed(proxy, [unhinted, hinted])).toEqual(['/b', '/a']);

    proxy.shortline.applyConfig(before);
    backend.received.length = 0;
    expect(await orderServed(proxy, [unhinted, hinted])).toEqual(['/a', '/b']);
    expect(await hintCounts(proxy)).toEqual({ 'expected-duration untrusted': 2, 'expected-duration honoured': 1 });
  });
});

describe('hint header names', () => {
  test('are configurable; a header under the default name is then no hint and passes untouched', async () => {
    proxy = await start(oneSlot({ trustedSources: ['127.0.0.1'], hintHeaders: { expectedDuration: 'X-Estimate-Ms' } }));
    const custom = { path: '/b', headers: { 'x-estimate-ms': '1' } };
    const defaultName = { path: '/c', headers: { 'x-shortline-expected-ms': '1' } };

    expect(await orderServed(proxy, [{ path: '/a' }, defaultName, custom])).toEqual(['/b', '/a', '/c']);
    expect(await hintCounts(proxy)).toEqual({ 'expected-duration honoured': 1 });
    expect(forwardedHeaders('/c')['x-shortline-expected-ms']).toBe('1');
  });
});
