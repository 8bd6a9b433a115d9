import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Agent, request } from 'undici';
import { TestBackend } from './support/test-backend.js';
import { startProxy, type TestProxy } from './support/test-proxy.js';

const TOTAL = 100 * 1024 * 1024;
/**
 * Below the 100 MB that pass through, so a body held whole anywhere fails the test. What remains is
 * garbage the collector has not reclaimed yet (about 35 MB here, with or without the proxy).
 */
const RSS_GROWTH_LIMIT = 72 * 1024 * 1024;

const agent = new Agent();
let backend: TestBackend;
let proxy: TestProxy;

beforeAll(async () => {
  backend = await TestBackend.start();
  proxy = await startProxy({
    pools: [{ name: 'p', backends: [backend.url], concurrency: 1 }],
    functions: [{ name: 'fn', pool: 'p', match: { pathPrefix: '/' } }],
  });
});

afterAll(async () => {
  await agent.close();
  await proxy.close();
  await backend.close();
});

/** Samples the process's resident memory while `work` runs; returns the growth over the start. */
async function rssGrowthDuring(work: () => Promise<void>): Promise<number> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage().rss) - start;
}

/** `total` bytes from one reused chunk, produced only as fast as they are consumed. */
function generated(total: number): Readable {
  const chunk = Buffer.alloc(64 * 1024, 98);
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const size = Math.min(left, chunk.length);
      left -= size;
      this.push(size === chunk.length ? chunk : chunk.subarray(0, size));
    },
  });
}

describe('100 MB bodies stream through with bounded memory', () => {
  test('upload', async () => {
    let received = '';
    const growth = await rssGrowthDuring(async () => {
      const response = await request(`${proxy.url}/upload?upload`, {
        dispatcher: agent,
        method: 'PUT',
        body: generated(TOTAL),
        headers: { 'content-length': String(TOTAL) },
      });
      received = await response.body.text();
    });

    expect(received).toBe(String(TOTAL));
    expect(growth).toBeLessThan(RSS_GROWTH_LIMIT);
  });

  test('download', async () => {
    let bytes = 0;
    const growth = await rssGrowthDuring(async () => {
      const response = await request(`${proxy.url}/download?download=${TOTAL}`, { dispatcher: agent });
      for await (const chunk of response.body) bytes += (chunk as Buffer).length;
    });

    expect(bytes).toBe(TOTAL);
    expect(growth).toBeLessThan(RSS_GROWTH_LIMIT);
  });

  test('a chunked upload (no content-length) streams too', async () => {
    const response = await request(`${proxy.url}/upload?upload`, { dispatcher: agent, method: 'POST', body: generated(5 * 1024 * 1024) });

    expect(await response.body.text()).toBe(String(5 * 1024 * 1024));
  });
});
