import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { ManualTimers } from '../src/index.js';
import { TestBackend } from './support/test-backend.js';
import { sendRaw } from './support/raw-http.js';
import { startProxy, type TestProxy } from './support/test-proxy.js';

// Slow clients hold sockets (and, once a request is sent on, a backend slot). The request head must
// arrive within connections.headersTimeoutMs; a body being read must keep coming. A request waiting in
// the queue leaves its body unread on purpose, so none of these limits may cut it.

const IDLE_MS = 200;
let backend: TestBackend;
let proxy: TestProxy;
let port: number;

beforeAll(async () => {
  backend = await TestBackend.start();
  proxy = await startProxy({
    connections: { headersTimeoutMs: IDLE_MS, bodyIdleTimeoutMs: IDLE_MS },
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [
      { name: 'events', pool: 'one', match: { ceType: 'com.example.created' } },
      { name: 'fn', pool: 'one', match: { pathPrefix: '/' } },
    ],
  });
  port = Number(new URL(proxy.url).port);
});

afterEach(async () => {
  backend.release(backend.held);
  await proxy.shortline.settled();
  backend.received.length = 0;
  backend.aborted.length = 0;
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

function statuses(conversation: { responses: readonly { status: number }[] }): number[] {
  return conversation.responses.map((response) => response.status);
}

describe('a slow request head', () => {
  test('that stops half-way gets 408 headers-timeout and the connection closes; nothing is forwarded', async () => {
    const conversation = await sendRaw(port, 'GET /slow HTTP/1.1\r\nHost: a\r\n');

    expect(conversation.closed).toBe(true);
    expect(statuses(conversation)).toEqual([408]);
    expect(conversation.responses[0]?.headers['x-shortline-reason']).toBe('headers-timeout');
    expect(backend.received).toEqual([]);
  });

  test('is held to a head timeout lowered by a reload, on a proxy started with a long one', async () => {
    const patient = await startProxy({
      connections: { headersTimeoutMs: 60_000 },
      pools: [{ name: 'one', backends: [backend.url] }],
      functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' } }],
    });
    try {
      const config = patient.shortline.config;
      patient.shortline.applyConfig({ ...config, connections: { ...config.connections, headersTimeoutMs: IDLE_MS } });
      const conversation = await sendRaw(Number(new URL(patient.url).port), 'GET /slow HTTP/1.1\r\nHost: a\r\n');
      expect(statuses(conversation)).toEqual([408]);
    } finally {
      await patient.close();
    }
  });

  test('that keeps dribbling header lines is cut all the same: the limit is on the whole head', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `X-${i}: v\r\n`);

    const conversation = await sendRaw(port, 'GET /slowloris HTTP/1.1\r\nHost: a\r\n', { then: lines, gapMs: 25 });

    expect(statuses(conversation)).toEqual([408]);
    expect(backend.received).toEqual([]);
  });
});

describe('a slow request body', () => {
  test('that stops while being sent to the backend: 408, the backend call aborted, the slot freed', async () => {
    const head = 'POST /stalled?upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\nConnection: close\r\n\r\n';

    const conversation = await sendRaw(port, head, { then: ['0123456789'] });

    expect(statuses(conversation)).toEqual([408]);
    expect(conversation.responses[0]?.headers['x-shortline-reason']).toBe('request-body-timeout');
    expect(conversation.closed).toBe(true);
    await backend.whenAborted(1);
    expect(proxy.shortline.scheduler.inFlight).toBe(0);
    const next = await sendRaw(port, 'GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(statuses(next)).toEqual([200]);
  });

  test('that stops while a structured CloudEvent is read to classify it: 408, nothing forwarded', async () => {
    const head =
      'POST /events HTTP/1.1\r\nHost: a\r\nContent-Type: application/cloudevents+json\r\nContent-Length: 200\r\nConnection: close\r\n\r\n';

    const conversation = await sendRaw(port, head, { then: ['{"specversion":"1.0",'] });

    expect(statuses(conversation)).toEqual([408]);
    expect(backend.received).toEqual([]);
  });

  test('that arrives slowly but steadily goes through whole', async () => {
    const parts = Array.from({ length: 10 }, () => 'abcdefghij');
    const head = 'POST /steady?upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\nConnection: close\r\n\r\n';

    const conversation = await sendRaw(port, head, { then: parts, gapMs: 20 });

    expect(conversation.responses.map((response) => [response.status, response.body])).toEqual([[200, '100']]);
  });
});

describe('a held request', () => {
  test('waits in the queue, its body unread, for longer than every client limit, and is then served whole', async () => {
    const timers = new ManualTimers();
    const held = await startProxy(
      {
        connections: { bodyIdleTimeoutMs: IDLE_MS },
        scheduler: { policy: 'fifo' },
        pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
        functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' } }],
      },
      { timers },
    );
    const heldPort = Number(new URL(held.url).port);
    const hold = sendRaw(heldPort, 'GET /hold?hold HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    await backend.whenHeld(1);
    const queued = [
      sendRaw(heldPort, 'POST /queued-body?upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'),
      sendRaw(heldPort, 'GET /queued HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'),
    ];
    await held.whenQueued(2);

    // Three body-idle periods pass with both bodies unread in the queue: neither is cut.
    timers.advance(3 * IDLE_MS);
    expect(held.shortline.scheduler.waiting).toBe(2);
    backend.release();

    const answers = await Promise.all(queued);
    expect(answers.map((answer) => answer.responses.map((response) => [response.status, response.body]))).toEqual([
      [[200, '5']],
      [[200, 'ok /queued']],
    ]);
    expect(statuses(await hold)).toEqual([200]);
    await held.close();
  });
});

describe('a backend slower to read the body than the client is to send it', () => {
  let slowReader: Server;
  let slowUrl: string;

  beforeAll(async () => {
    // Reads nothing for a while, then counts the body: the proxy's buffers fill and the client waits.
    slowReader = createServer((req, res) => {
      setTimeout(() => {
        let bytes = 0;
        req.on('data', (chunk: Buffer) => (bytes += chunk.length));
        req.on('end', () => res.end(String(bytes)));
      }, 3 * IDLE_MS);
    });
    await new Promise<void>((resolve) => slowReader.listen(0, '127.0.0.1', resolve));
    slowUrl = `http://127.0.0.1:${(slowReader.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => slowReader.close(() => resolve()));
  });

  test('is not taken for a slow client: the upload completes', async () => {
    const slowProxy = await startProxy({
      connections: { bodyIdleTimeoutMs: IDLE_MS },
      functions: [{ name: 'fn', backends: [slowUrl], concurrency: 1 }],
    });
    try {
      const body = Buffer.alloc(4 * 1024 * 1024, 120);
      const response = await request(`${slowProxy.url}/upload`, { method: 'POST', body });
      expect([response.statusCode, await response.body.text()]).toEqual([200, String(body.length)]);
    } finally {
      await slowProxy.close();
    }
  });
});
