import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import http2 from 'node:http2';
import { createServer, type AddressInfo } from 'node:net';
import { TestBackend } from './support/test-backend.js';
import { sendRaw } from './support/raw-http.js';
import { startProxy, type TestProxy } from './support/test-proxy.js';

// Structured CloudEvents the classifier must read: whatever the body, one clear answer (400 or 413,
// or the event routed), and the proxy goes on serving.

let backend: TestBackend;
let proxy: TestProxy;
let port: number;

beforeAll(async () => {
  backend = await TestBackend.start();
  proxy = await startProxy({
    limits: { maxCloudEventBytes: 200 },
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [
      { name: 'orders', pool: 'one', match: { ceType: 'com.example.order.created' } },
      { name: 'fn', pool: 'one', match: { pathPrefix: '/' } },
    ],
  });
  port = Number(new URL(proxy.url).port);
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

async function post(body: string, contentType = 'application/cloudevents+json'): Promise<string> {
  const conversation = await sendRaw(
    port,
    `POST /events HTTP/1.1\r\nHost: a\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  expect(conversation.responses).toHaveLength(1);
  const response = conversation.responses[0];
  return `${response?.status} ${response?.headers['x-shortline-reason'] ?? ''}`.trim();
}

describe('invalid structured CloudEvents', () => {
  test.each([
    ['not JSON', '{"type":'],
    ['a JSON array (a batch is not one event)', '[{"specversion":"1.0","id":"1","source":"/s","type":"com.example.order.created"}]'],
    ['a 1.0 event without its required attributes', '{"specversion":"1.0","type":"com.example.order.created"}'],
    ['an event of another spec version without a type', '{"specversion":" "}'],
    ['a 0.3 event without a type', '{"specversion":"0.3","id":"1","source":"/s"}'],
    ['an empty body', ''],
    ['binary junk', '\u0000\u00ff\u0001'],
  ])('%s: 400 invalid-cloudevent, never forwarded', async (_name, body) => {
    expect(await post(body)).toBe('400 invalid-cloudevent');
    expect(backend.received).toEqual([]);
  });

  test('a body over limits.maxCloudEventBytes: 413', async () => {
    expect(await post(JSON.stringify({ specversion: '1.0', id: '1', source: '/s', type: 'x', data: 'a'.repeat(300) }))).toBe(
      '413 cloudevent-too-large',
    );
  });

  test('after all of them a valid event is routed by its type, and nothing is left open', async () => {
    expect(await post(JSON.stringify({ specversion: '1.0', id: '1', source: '/s', type: 'com.example.order.created' }))).toBe('200');
    await proxy.shortline.settled();
    expect(proxy.lines.filter((line) => line.level >= 50)).toEqual([]);
  });
});

describe('over HTTP/2 (h2c)', () => {
  test('a refusal that would close an HTTP/1.1 connection leaves the session serving its other streams', async () => {
    const front = createServer((socket) => proxy.shortline.http2Server.emit('connection', socket));
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const session = http2.connect(`http://127.0.0.1:${(front.address() as AddressInfo).port}`);
    const send = (body: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/events', 'content-type': 'application/cloudevents+json' });
        let status = '';
        stream.on('response', (headers) => (status = `${headers[':status']} ${headers['x-shortline-reason'] ?? ''}`.trim()));
        stream.on('error', reject);
        stream.on('end', () => resolve(status));
        stream.resume();
        stream.end(body);
      });
    try {
      const tooLarge = JSON.stringify({ specversion: '1.0', id: '1', source: '/s', type: 'x', data: 'a'.repeat(300) });
      expect(await send(tooLarge)).toBe('413 cloudevent-too-large');
      expect(await send('{"specversion":" "}')).toBe('400 invalid-cloudevent');
      expect(await send(tooLarge)).toBe('413 cloudevent-too-large');
      expect(session.closed || session.destroyed).toBe(false);
    } finally {
      session.close();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });
});
