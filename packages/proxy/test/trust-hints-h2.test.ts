import { afterEach, expect, test } from '@jest/globals';
import http2 from 'node:http2';
import { h2cFront as feedH2c, listening } from './support/h2c.js';
import { scrape } from './support/metric-values.js';
import { startProxy, type TestProxy } from './support/test-proxy.js';

// An h2c request carries the same client policy as an HTTP/1.1 one: hints from a trusted source count.

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function h2cBackend(): Promise<string> {
  const server = http2.createServer((_req, res) => res.end('ok'));
  const port = await listening(server);
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${port}`;
}

async function h2cFront(proxy: TestProxy): Promise<string> {
  const front = await feedH2c(proxy);
  closers.push(front.close);
  return front.url;
}

function h2cGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on('error', reject);
    const stream = session.request({ ':path': '/x', ...headers });
    stream.on('response', (head) => {
      stream.resume();
      stream.on('end', () => {
        session.close();
        resolve(Number(head[':status']));
      });
    });
    stream.on('error', reject);
  });
}

async function hintOutcomes(proxy: TestProxy): Promise<[number, number]> {
  const metrics = await scrape(proxy.adminUrl);
  return [
    metrics.sum('shortline_scheduling_hints_total', { hint: 'expected-duration', outcome: 'honoured' }),
    metrics.sum('shortline_scheduling_hints_total', { hint: 'expected-duration', outcome: 'untrusted' }),
  ];
}

test.each([
  ['honoured from a trusted source', ['127.0.0.0/8'], [1, 0]],
  ['ignored from anyone else', [], [0, 1]],
])('an h2c request’s expected-duration hint is %s', async (_name, trustedSources, expected) => {
  const backend = await h2cBackend();
  const proxy = await startProxy({
    trust: { trustedSources },
    pools: [{ name: 'one', backends: [backend], concurrency: 1 }],
    functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' } }],
  });
  closers.push(() => proxy.close());
  const front = await h2cFront(proxy);

  expect(await h2cGet(front, { 'x-shortline-expected-ms': '5' })).toBe(200);
  expect(await hintOutcomes(proxy)).toEqual(expected);
});
