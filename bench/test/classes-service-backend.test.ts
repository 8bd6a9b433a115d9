import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { createServiceBackend, DURATION_HEADER, NOISE_HEADER } from '../classes/service-backend.js';

// The benchmark's backend through a real socket: each call's duration from what the call shows.

let server: Server;
let origin: string;

beforeAll(async () => {
  // Time at 1/100: a month's report (2,400 ms) takes 24 ms here; nothing below 0.5 ms.
  server = createServiceBackend({ factor: 0.01, floorMs: 0.5 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function call(path: string, noise: string | undefined, body?: Buffer): Promise<[number, string | undefined]> {
  const response = await request(`${origin}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: noise === undefined ? {} : { [NOISE_HEADER]: noise },
    body: body ?? null,
  });
  await response.body.dump();
  const duration = response.headers[DURATION_HEADER];
  return [response.statusCode, typeof duration === 'string' ? duration : undefined];
}

describe('the service backend of bench:classes', () => {
  test("takes the service workload's duration for the route, the report's range and the body it read, times the noise", async () => {
    expect(await call('/items/42', '1')).toEqual([200, '0.500']);
    expect(await call('/search?q=abc&page=2', '1')).toEqual([200, '0.500']);
    expect(await call('/report?range=month&format=csv', '1')).toEqual([200, '24.000']);
    expect(await call('/report?format=json&range=week', '1.5')).toEqual([200, '9.000']);
    // An upload: 3 ms + 1 ms per 10 KB, of the bytes that arrived.
    expect(await call('/upload', '1', Buffer.alloc(200_000))).toEqual([200, '0.500']);
    expect(await call('/upload', '2', Buffer.alloc(1_000_000))).toEqual([200, '2.060']);
    // A thumbnail: 40 ms at 100 KB, as the 0.7th power of the size.
    expect(await call('/thumbnail', '1', Buffer.alloc(1_000_000))).toEqual([200, (0.4 * 10 ** 0.7).toFixed(3)]);
  });

  test('answers 404 for a route the service does not have, and 400 without a usable noise factor', async () => {
    expect((await call('/report?range=year', '1'))[0]).toBe(404);
    expect((await call('/nothing', '1'))[0]).toBe(404);
    expect((await call('/items/1', undefined))[0]).toBe(400);
    expect((await call('/items/1', '-1'))[0]).toBe(400);
  });
});
