import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { FaultyBackend } from './support/faulty-backend.js';
import { sendRaw } from './support/raw-http.js';
import { startProxy, type TestProxy } from './support/test-proxy.js';

// Generated request bytes, from almost-right to hostile, sent through real sockets. Whatever comes
// in, the proxy answers (with a status from a known set), never crashes, never forwards a request
// with ambiguous framing or a smuggled one, and ends every request it took in.

/** 417: Node's answer to an Expect it does not know. 502: a path the faulty backend takes as an order to fail. */
const STATUSES = new Set([100, 200, 400, 404, 405, 408, 413, 417, 431, 501, 502, 503, 504, 505]);
let backend: FaultyBackend;
let proxy: TestProxy;
let port: number;

beforeAll(async () => {
  backend = await FaultyBackend.start();
  proxy = await startProxy({
    connections: { headersTimeoutMs: 100, bodyIdleTimeoutMs: 100, maxHeaderBytes: 2048 },
    limits: { maxCloudEventBytes: 256 },
    pools: [{ name: 'one', backends: [backend.url], concurrency: 2 }],
    functions: [
      { name: 'events', pool: 'one', match: { ceType: 'com.example.created' } },
      { name: 'fn', pool: 'one', match: { pathPrefix: '/' } },
    ],
  });
  port = Number(new URL(proxy.url).port);
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

const text = fc.string({ maxLength: 12 });
const controlText = fc.string({ unit: 'binary', maxLength: 8 });
/** Mostly what a client would send, sometimes anything: valid requests must get as far as the backend. */
function mostly<T>(usual: fc.Arbitrary<T>, unusual: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: unusual, weight: 1 });
}

const method = mostly(fc.constantFrom('GET', 'POST', 'PUT'), fc.oneof(fc.constantFrom('DELETE', 'OPTIONS', 'CONNECT', 'get', 'G ET', ''), text));
const target = mostly(
  fc.oneof(fc.constantFrom('/', '/x?y=1', '/a/b/../c', '//x'), fc.webPath().map((path) => (path.startsWith('/') ? path : `/${path}`))),
  fc.oneof(fc.constantFrom('*', 'http://elsewhere.example/x', '/%00', ''), text),
);
const version = mostly(fc.constant('HTTP/1.1'), fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'http/1.1', 'HTTP/1.1 ', ''));
const headerName = fc.oneof(
  fc.constantFrom('Host', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Expect', 'Content-Type', 'ce-type', 'X-Shortline-Expected-Ms', 'Upgrade'),
  fc.stringMatching(/^[A-Za-z-]{1,10}$/),
  text,
);
const headerValue = fc.oneof(
  fc.constantFrom('0', '5', '12', '-1', '1, 1', 'chunked', 'gzip, chunked', 'chunked, identity', 'close', 'keep-alive', '100-continue', 'a'),
  fc.constantFrom('0', '5', '12', '-1', '1, 1', 'chunked', 'gzip, chunked', 'chunked, identity', 'close', 'keep-alive', '100-continue', 'a'),
  fc.constantFrom('application/cloudevents+json', 'com.example.created'),
  text,
  controlText,
);
const lineEnd = mostly(fc.constant('\r\n'), fc.constantFrom('\n', '\r'));
/** After a well-framed chunked body this is a second, pipelined request, so it is always sent with `Connection: close`. */
const SMUGGLED = '0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n';
const body = fc.oneof(
  fc.constant(''),
  fc.constantFrom('hello', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\nx\r\n0\r\n\r\n', SMUGGLED),
  fc.constantFrom('{"specversion":"1.0","id":"1","source":"/s","type":"com.example.created"}', '{"type":'),
  text,
);

const request = fc
  .record({
    method,
    target,
    version,
    host: mostly(fc.constant(true), fc.constant(false)),
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
    close: mostly(fc.constant(true), fc.constant(false)),
    end: lineEnd,
    body,
  })
  .map(({ method: m, target: t, version: v, host, headers, close, end, body: b }) => {
    const lines = [`${m} ${t} ${v}`];
    if (host) lines.push('Host: a');
    for (const [name, value] of headers) lines.push(`${name}: ${value}`);
    // Mostly ask for the connection to close, so that the conversation ends without waiting for a timeout.
    if (close || b === SMUGGLED) lines.push('Connection: close');
    return lines.join(end) + end + end + b;
  });

describe('generated requests through real sockets', () => {
  test('each get an answer with a known status, and leave nothing ambiguous behind', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (bytes) => {
        // The first answer is enough to judge; every request gets one (at worst the 100 ms head or body timeout's).
        const conversation = await sendRaw(port, bytes, { responses: 1 });
        expect(conversation.responses.length).toBeGreaterThan(0);
        for (const response of conversation.responses) expect(STATUSES).toContain(response.status);
      }),
      { numRuns: 150 },
    );

    await proxy.shortline.settled();
    expect(proxy.shortline.scheduler.inFlight).toBe(0);
    expect(proxy.shortline.scheduler.waiting).toBe(0);
    expect(proxy.lines.filter((line) => line.level >= 50)).toEqual([]);
    for (const headers of backend.headers) {
      const framing = [headers['content-length'], headers['transfer-encoding']].filter((value) => value !== undefined);
      expect(framing.length).toBeLessThanOrEqual(1);
    }
    for (const path of backend.received) expect(path.startsWith('/')).toBe(true);
    expect(backend.received).not.toContain('/smuggled');
    const after = await sendRaw(port, 'GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(after.responses.map((response) => response.status)).toEqual([200]);
  });
});
