import type http2 from 'node:http2';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { TestProxy } from './test-proxy.js';

/** Listens on a free port of 127.0.0.1 and resolves with it. */
export function listening<T extends Server | http2.Http2Server>(server: T): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/**
 * Feeds every connection to the proxy's h2c server, as the sidecar's dual-protocol listener does;
 * resolves with its URL and how to close it.
 */
export async function h2cFront(proxy: TestProxy): Promise<{ url: string; close: () => Promise<void> }> {
  const front = createServer((socket) => proxy.shortline.http2Server.emit('connection', socket));
  const port = await listening(front);
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => front.close(() => resolve())) };
}
