import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, request as httpRequest, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClassifier, NEEDS_BODY } from '../src/classify/index.js';
import { defaultConfig } from '../src/config/index.js';

const MAX_BYTES = 256;
const config = defaultConfig({
  pools: [{ name: 'p', backends: ['http://127.0.0.1:9101'] }],
  functions: [
    { name: 'orders', pool: 'p', match: { ceType: 'com.example.order.created' } },
    { name: 'refunds', pool: 'p', match: { ceType: 'com.example.refund' } },
  ],
});
const classifier = createClassifier(config.functions, undefined, { maxCloudEventBytes: MAX_BYTES });

/** Told how classifyStructured ended for a request to /watched: 'resolved', or the rejection. */
let reportWatched: (outcome: unknown) => void = () => undefined;
let server: Server;
let port: number;

// The server answers with the classification it made, the way the proxy would use it.
beforeAll(async () => {
  server = createServer((req, res) => {
    const first = classifier.classify(req);
    if (first !== NEEDS_BODY) {
      res.end(JSON.stringify({ functionName: first ?? null }));
      return;
    }
    const pending = classifier.classifyStructured(req);
    if (req.url === '/watched') {
      pending.then(
        () => reportWatched('resolved'),
        (error: unknown) => reportWatched(error),
      );
    }
    pending.then(
      (result) => {
        if ('error' in result) {
          res.writeHead(result.error === 'too-large' ? 413 : 400, { connection: 'close' });
          res.end(JSON.stringify(result));
        } else {
          res.end(JSON.stringify({ functionName: result.functionName ?? null, body: result.body.toString('utf8') }));
        }
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function send(body: string | undefined, headers: OutgoingHttpHeaders): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const STRUCTURED = { 'content-type': 'application/cloudevents+json' };
const event = (type: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ specversion: '1.0', id: 'e-1', source: '/shop', type, ...extra });

describe('classifyStructured', () => {
  test('reads the type from the body and returns the body to forward', async () => {
    const body = event('com.example.refund', { data: { amount: 5 } });
    expect(await send(body, STRUCTURED)).toEqual({ status: 200, json: { functionName: 'refunds', body } });
  });

  test('accepts content-type parameters in any spelling', async () => {
    const body = event('com.example.order.created');
    const response = await send(body, { 'content-type': 'application/cloudevents+json;charset=UTF-8' });
    expect(response.json['functionName']).toBe('orders');
  });

  test('a type no rule names falls through to the default (here: none)', async () => {
    expect((await send(event('com.example.unknown'), STRUCTURED)).json['functionName']).toBeNull();
  });

  test.each([
    ['not JSON at all', 'not a valid structured CloudEvent: '],
    [JSON.stringify({ specversion: '1.0', id: '1', type: 'com.example.refund' }), "must have required property 'source'"],
    [JSON.stringify({ specversion: '1.0', id: '1', source: '/s', type: 5 }), 'type must be string'],
    ['null', 'not a valid structured CloudEvent: '],
    ['[]', 'not a valid structured CloudEvent: '],
  ])('an invalid event (%s) is an invalid-cloudevent error', async (body, message) => {
    const response = await send(body, STRUCTURED);
    expect(response.status).toBe(400);
    expect(response.json['error']).toBe('invalid-cloudevent');
    expect(response.json['message']).toContain(message);
  });

  test('an empty body is an invalid-cloudevent error', async () => {
    const response = await send(undefined, STRUCTURED);
    expect(response.json['error']).toBe('invalid-cloudevent');
  });

  test('a Content-Length over the limit is too large without reading anything', async () => {
    const body = event('com.example.refund', { data: 'x'.repeat(MAX_BYTES) });
    const response = await send(body, STRUCTURED);
    expect(response.status).toBe(413);
    expect(response.json).toEqual({ error: 'too-large', message: `a structured CloudEvent may have at most ${MAX_BYTES} bytes (limits.maxCloudEventBytes)` });
  });

  test('a chunked body is too large as soon as it passes the limit, before the client has finished', async () => {
    const response = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: STRUCTURED }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET') reject(error);
      });
      // More than the limit, and the request is never ended: only an early answer can resolve this.
      req.write('x'.repeat(MAX_BYTES + 1));
    });
    expect(response).toBe(413);
  });

  test('rejects when the client goes away before the body ends', async () => {
    const outcome = new Promise<unknown>((resolve) => (reportWatched = resolve));
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/watched', headers: STRUCTURED });
    req.on('error', () => undefined);
    req.write('{"specversion":', () => setTimeout(() => req.destroy(), 20));
    // Node's own error comes from another realm than Jest's, so look at its shape, not its class.
    expect(await outcome).toMatchObject({ message: expect.any(String) as unknown });
  });
});
