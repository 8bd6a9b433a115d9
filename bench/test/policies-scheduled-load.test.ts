import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../lib/free-port.js';
import { runScheduledLoad } from '../lib/scheduled-load.js';

// A target that answers by path: /ok with a Server-Timing header, /missing with 404; it counts requests.
let server: Server;
let origin: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url?.startsWith('/ok') === true) res.writeHead(200, { 'server-timing': `queue;dur=0.5, upstream;dur=${req.url.slice(4)}` }).end('ok');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('scheduled open-loop load', () => {
  test('sends every request of the schedule, after the warm-up, and keeps status and the asked header', async () => {
    seen.length = 0;
    const dueMs = Float64Array.from({ length: 30 }, (_, i) => 2 * i);
    const result = await runScheduledLoad({
      origin,
      dueMs,
      path: (index) => (index % 10 === 9 ? '/missing' : `/ok/${index}`),
      captureHeader: 'server-timing',
      warmup: { path: '/warm', requests: 12 },
      timeoutMs: 5000,
    });
    expect(seen.slice(0, 12)).toEqual(new Array(12).fill('/warm'));
    expect(seen.slice(12)).toHaveLength(30);
    expect(Array.from(result.status).filter((status) => status === 404)).toHaveLength(3);
    expect(result.captured[4]).toBe('queue;dur=0.5, upstream;dur=4');
    expect([result.queueMs[4], result.upstreamMs[4]]).toEqual([0.5, 4]);
    expect(result.queueMs[9]).toBeNaN();
    expect(result.captured[9]).toBeUndefined();
    expect(Array.from(result.latencyMs).every((latency) => latency > 0)).toBe(true);
    expect(result.histogram.totalCount).toBe(30);
  });

  test('a target that is not there gives status 0 and no latency, and the run still ends', async () => {
    const port = await freePort();
    const result = await runScheduledLoad({ origin: `http://127.0.0.1:${port}`, dueMs: Float64Array.of(0, 1, 2), path: () => '/', timeoutMs: 1000 });
    expect(Array.from(result.status)).toEqual([0, 0, 0]);
    expect(Array.from(result.latencyMs).every(Number.isNaN)).toBe(true);
  });
});
