import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startSampleServer, type RunningSample } from '@shortline/samples';
import { createPassThrough } from '../overhead/pass-through.js';

let echo: RunningSample;
let sleep: RunningSample;
let echoProxy: Server;
let sleepProxy: Server;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let echoUrl: string;
let sleepUrl: string;

beforeAll(async () => {
  [echo, sleep] = await Promise.all([startSampleServer('echo'), startSampleServer('sleep')]);
  echoProxy = createPassThrough(echo.url);
  sleepProxy = createPassThrough(sleep.url);
  echoUrl = await listen(echoProxy);
  sleepUrl = await listen(sleepProxy);
});

afterAll(async () => {
  for (const server of [echoProxy, sleepProxy]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all([echo.close(), sleep.close()]);
});

describe('the minimal pass-through (the baseline of bench:overhead)', () => {
  test('forwards path, query and status', async () => {
    const ok = await request(`${sleepUrl}/x?ms=1`);
    expect([ok.statusCode, await ok.body.text()]).toEqual([200, 'slept 1 ms\n']);
    const bad = await request(`${sleepUrl}/x?ms=nope`);
    expect(bad.statusCode).toBe(400);
    await bad.body.dump();
  });

  test('forwards request bodies and headers', async () => {
    const body = 'x'.repeat(100_000);
    const reply = await request(`${echoUrl}/`, { method: 'POST', body, headers: { 'content-type': 'text/x-test' } });
    expect(reply.headers['content-type']).toBe('text/x-test');
    expect(await reply.body.text()).toBe(body);
  });

  test('answers 502 when the backend is gone', async () => {
    const orphan = createPassThrough('http://127.0.0.1:1');
    const url = await listen(orphan);
    try {
      const reply = await request(url);
      expect(reply.statusCode).toBe(502);
      await reply.body.dump();
    } finally {
      orphan.closeAllConnections();
      await new Promise((resolve) => orphan.close(resolve));
    }
  });
});
