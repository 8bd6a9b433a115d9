import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { TestBackend } from './support/test-backend.js';
import { createClient, startProxy, until, type TestProxy } from './support/test-proxy.js';

const client = createClient();
let backend: TestBackend;
let proxy: TestProxy;

beforeAll(async () => {
  backend = await TestBackend.start();
  proxy = await startProxy({
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [{ name: 'ws', pool: 'one', match: { pathPrefix: '/ws' } }],
  });
});

afterAll(async () => {
  await client.close();
  await proxy.close();
  await backend.close();
});

/** Opens a raw connection and sends an upgrade request; resolves with the socket and the response head. */
function upgrade(path: string, headers = ''): Promise<{ socket: Socket; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(proxy.url).port), '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: example.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${headers}\r\n`);
    });
    let received = '';
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      resolve({ socket, head: received.slice(0, end) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

function echo(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8')));
    socket.write(text);
  });
}

async function gauge(): Promise<string | undefined> {
  const metrics = await client.send(`${proxy.adminUrl}/metrics`);
  return /^shortline_upgrades_active (\d+)$/m.exec(metrics.body)?.[1];
}

describe('HTTP upgrades (WebSocket)', () => {
  test('pass through to a backend of the function, bypassing the queue, counted in a gauge', async () => {
    const { socket, head } = await upgrade('/ws/chat');

    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await echo(socket, 'hello')).toBe('hello');
    expect(proxy.shortline.scheduler.inFlight).toBe(0);
    expect(await gauge()).toBe('1');
    // The slot is free for ordinary requests while the upgraded connection lives.
    expect((await client.send(`${proxy.url}/ws/plain`)).status).toBe(200);

    socket.destroy();
    await until(() => proxy.shortline.debugSnapshot().upgrades === 0, 'the relay to notice the close');
    expect(await gauge()).toBe('0');
  });

  test('an upgrade no function matches gets 404, with Server-Timing as every answer', async () => {
    const { socket, head } = await upgrade('/elsewhere');

    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 404 Not Found');
    expect(head).toMatch(/\r\nserver-timing: queue;dur=\d+\.\d, upstream;dur=0\.0\r\n/);
    socket.destroy();
  });

  test('go through the same request checks and request ids as any request', async () => {
    const long = 'x'.repeat(300);
    const relayed = await upgrade('/ws/ids', `X-Request-Id: ${long}\r\n`);
    expect(relayed.head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    const seen = backend.received.at(-1);
    expect(seen?.url).toBe('/ws/ids');
    // Too long to pass on: replaced by a fresh id, as for any request; forwarded headers added once.
    expect(seen?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1');
    relayed.socket.destroy();

    const twoHosts = await upgrade('/ws/bad', 'Host: other.test\r\n');
    expect(twoHosts.head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(twoHosts.head).toContain('x-shortline-reason: invalid-host');
    twoHosts.socket.destroy();
  });
});
