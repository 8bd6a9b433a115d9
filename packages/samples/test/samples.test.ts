import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';
import { formatSampleUsage, parseSampleUsage, SAMPLE_USAGE_HEADER, SampleStartError, spawnSampleServer, startSampleServer, type RunningSample } from '../src/index.js';
import { call as callWith, type Reply } from './support/http-call.js';

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function call(base: string, path: string, options: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer } = {}): Promise<Reply> {
  return callWith(agent, base, path, options);
}

let sleep: RunningSample;
let spin: RunningSample;
let echo: RunningSample;

beforeAll(async () => {
  [sleep, spin, echo] = await Promise.all([
    startSampleServer('sleep', { maxMs: 5000 }),
    startSampleServer('spin', { maxMs: 5000 }),
    startSampleServer('echo'),
  ]);
});

afterAll(async () => {
  agent.destroy();
  await Promise.all([sleep.close(), spin.close(), echo.close()]);
});

describe('sleep', () => {
  test('waits ?ms= and answers small text', async () => {
    const reply = await call(sleep.url, '/sleep?ms=30');
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('slept 30 ms\n');
  });

  test('takes the duration from x-sleep-ms when the query has none; the query wins', async () => {
    expect((await call(sleep.url, '/', { headers: { 'x-sleep-ms': '12.5' } })).body.toString()).toBe('slept 12.5 ms\n');
    expect((await call(sleep.url, '/?ms=1', { headers: { 'x-sleep-ms': '9' } })).body.toString()).toBe('slept 1 ms\n');
  });

  test('answers at once without a duration, whatever the path and method', async () => {
    const reply = await call(sleep.url, '/any/path', { method: 'POST', body: Buffer.from('ignored body') });
    expect(reply.body.toString()).toBe('slept 0 ms\n');
  });

  test.each([
    ['/?ms=abc', 'ms must be a number of milliseconds from 0 to 5000, got "abc"\n'],
    ['/?ms=-5', 'ms must be a number of milliseconds from 0 to 5000, got "-5"\n'],
    ['/?ms=', 'ms must be a number of milliseconds from 0 to 5000, got ""\n'],
    ['/?ms=5001', 'ms must be a number of milliseconds from 0 to 5000, got "5001"\n'],
    ['/?ms=1e3', 'ms must be a number of milliseconds from 0 to 5000, got "1e3"\n'],
  ])('%s is a 400 naming the parameter', async (path, message) => {
    const reply = await call(sleep.url, path);
    expect(reply.status).toBe(400);
    expect(reply.body.toString()).toBe(message);
  });

  test('a bad x-sleep-ms header is a 400 naming the header', async () => {
    const reply = await call(sleep.url, '/', { headers: { 'x-sleep-ms': 'soon' } });
    expect(reply.status).toBe(400);
    expect(reply.body.toString()).toBe('x-sleep-ms must be a number of milliseconds from 0 to 5000, got "soon"\n');
  });

  test('keeps connections alive, also after a 400', async () => {
    await call(sleep.url, '/?ms=bad');
    const second = await call(sleep.url, '/');
    expect(second.reusedSocket).toBe(true);
  });
});

describe('spin', () => {
  test('keeps the CPU busy for ?ms= and says so', async () => {
    const reply = await call(spin.url, '/spin?ms=20');
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toMatch(/^spun 20 ms \(\d+ iterations\)\n$/);
  });

  test('a bad ms is a 400 naming the parameter', async () => {
    const reply = await call(spin.url, '/spin?ms=forever');
    expect(reply.status).toBe(400);
    expect(reply.body.toString()).toContain('ms must be');
  });
});

describe('echo', () => {
  test('sends the body back byte for byte', async () => {
    const body = randomBytes(1 << 20);
    const reply = await call(echo.url, '/echo', { method: 'POST', body, headers: { 'content-type': 'application/x-test' } });
    expect(reply.status).toBe(200);
    expect(reply.body.equals(body)).toBe(true);
  });

  test('streams: the first chunk comes back before the request has ended', async () => {
    const firstChunk = await new Promise<string>((resolve, reject) => {
      const req = request(`${echo.url}/echo`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.once('data', (chunk: Buffer) => {
          resolve(chunk.toString());
          req.end();
          res.resume();
        });
      });
      req.on('error', reject);
      // The request stays open: only a streaming echo can answer this chunk.
      req.write('hello, ');
    });
    expect(firstChunk).toBe('hello, ');
  });
});

describe('usage per call, when asked', () => {
  const usage = (reply: Reply) => parseSampleUsage(reply.headers[SAMPLE_USAGE_HEADER] as string | undefined);

  test('spin and sleep report the CPU time and peak memory of the call; unasked, they report nothing', async () => {
    const spun = usage(await call(spin.url, '/spin?ms=20', { headers: { [SAMPLE_USAGE_HEADER]: '1' } }));
    expect(spun?.cpuMs).toBeGreaterThan(0);
    expect(spun?.peakRssKb).toBeGreaterThan(1000);
    const slept = usage(await call(sleep.url, '/?ms=5', { headers: { [SAMPLE_USAGE_HEADER]: '1' } }));
    expect(slept?.cpuMs).toBeGreaterThanOrEqual(0);
    expect(slept?.peakRssKb).toBeGreaterThan(1000);
    expect((await call(sleep.url, '/?ms=1')).headers[SAMPLE_USAGE_HEADER]).toBeUndefined();
  });

  test('the header reads back what was written; anything else is no usage', () => {
    expect(parseSampleUsage(formatSampleUsage({ cpuMs: 1.23456, peakRssKb: 4096.4 }))).toEqual({ cpuMs: 1.235, peakRssKb: 4096 });
    for (const header of [undefined, '', 'cpu-ms=1', 'cpu-ms=x, peak-rss-kb=2']) expect(parseSampleUsage(header)).toBeUndefined();
  });
});

describe('spawnSampleServer', () => {
  test('runs a sample in a child process until closed', async () => {
    const child = await spawnSampleServer('sleep');
    try {
      expect((await call(child.url, '/?ms=5')).body.toString()).toBe('slept 5 ms\n');
    } finally {
      await child.close();
    }
    // A fresh connection: the shared keep-alive agent may still hold the socket the child had open,
    // and a request on it fails with ECONNRESET before the agent hears the socket closed.
    await expect(callWith(new Agent(), child.url, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('a port in use is a SampleStartError naming the port', async () => {
    const error = await spawnSampleServer('echo', { port: sleep.port }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SampleStartError);
    expect((error as SampleStartError).message).toContain(`could not listen on port ${sleep.port}: listen EADDRINUSE`);
  });
});
