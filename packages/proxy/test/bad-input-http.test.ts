import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { TestBackend } from './support/test-backend.js';
import { scrape } from './support/metric-values.js';
import { sendRaw, type RawConversation } from './support/raw-http.js';
import { startProxy, type TestProxy } from './support/test-proxy.js';

// Requests written byte by byte on raw sockets: what a hostile or broken client can send. Each must
// get one clear answer (or none, if the connection cannot carry one), and nothing ambiguous may reach
// the backend: no request whose framing two parsers could read differently, no smuggled second request.

let backend: TestBackend;
let proxy: TestProxy;
let port: number;

beforeAll(async () => {
  backend = await TestBackend.start();
  proxy = await startProxy({
    connections: { maxHeaderBytes: 4096 },
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' } }],
  });
  port = Number(new URL(proxy.url).port);
});

beforeEach(() => {
  backend.received.length = 0;
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

/** One request on its own connection, asking the server to close it after the answer. */
function request(head: string, body = ''): string {
  return `${head}\r\nConnection: close\r\n\r\n${body}`;
}

/** The one answer the conversation had, after which the server closed the connection. */
function onlyAnswer(conversation: RawConversation): { status: number; reason: string | undefined } {
  expect(conversation.closed).toBe(true);
  expect(conversation.leftover).toBe('');
  expect(conversation.responses).toHaveLength(1);
  const [response] = conversation.responses;
  return { status: response?.status ?? 0, reason: response?.headers['x-shortline-reason'] };
}

async function settled(): Promise<void> {
  await proxy.shortline.settled();
  expect(proxy.shortline.scheduler.inFlight).toBe(0);
  expect(proxy.shortline.scheduler.waiting).toBe(0);
}

describe('request smuggling: ambiguous framing is refused and never forwarded', () => {
  test.each([
    ['Content-Length and Transfer-Encoding together', 'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['two different Content-Lengths', 'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 44\r\n\r\nhello'],
    ['two equal Content-Lengths', 'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello'],
    ['a list as Content-Length', 'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello'],
    ['a signed Content-Length', 'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello'],
    ['a negative Content-Length', 'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n'],
    ['chunked not the last coding', 'POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n'],
    ['Transfer-Encoding twice', 'POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['a space before the colon', 'POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n'],
  ])('%s: 400 malformed-request, connection closed, nothing forwarded', async (_name, bytes) => {
    const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n';

    const answer = onlyAnswer(await sendRaw(port, bytes + smuggled));

    expect(answer).toEqual({ status: 400, reason: 'malformed-request' });
    await settled();
    expect(backend.received).toEqual([]);
  });

  test.each([
    ['a coding the proxy would drop on the way (gzip, chunked)', 'gzip, chunked'],
    ['an unknown coding', 'xchunked'],
  ])('%s: 501, never forwarded', async (_name, coding) => {
    const bytes = `POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ${coding}\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n`;

    expect(onlyAnswer(await sendRaw(port, bytes))).toEqual({ status: 501, reason: 'unsupported-transfer-encoding' });
    await settled();
    expect(backend.received).toEqual([]);
  });

  test('a broken chunk in a body already on its way: 400, the backend call aborted, the request behind it never sent', async () => {
    const head = 'POST /a?upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n';

    const answer = onlyAnswer(await sendRaw(port, head, { then: ['zz\r\nbroken\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n'] }));

    expect(answer).toEqual({ status: 400, reason: 'malformed-request' });
    await settled();
    expect(backend.paths).not.toContain('/smuggled');
    await backend.changes.when(() => backend.aborted.length === backend.received.length);
  });

  test('a chunked body still arriving is forwarded chunked, never with Content-Length as well', async () => {
    const head = 'POST /upload?upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n';

    const answer = await sendRaw(port, head, { then: ['6\r\n world\r\n', '0\r\n\r\n'] });

    expect(answer.responses.map((response) => [response.status, response.body])).toEqual([[200, '11']]);
    const seen = backend.received[0]?.headers;
    expect(seen?.['transfer-encoding']).toBe('chunked');
    expect(seen?.['content-length']).toBeUndefined();
  });

  test('a chunked body that arrived whole before it was sent goes with its length, never with both headers', async () => {
    const body = '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n';

    const answer = await sendRaw(port, request('POST /upload?upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked', body));

    expect(answer.responses.map((response) => [response.status, response.body])).toEqual([[200, '11']]);
    const seen = backend.received[0]?.headers ?? {};
    expect([seen['transfer-encoding'], seen['content-length']].filter((value) => value !== undefined)).toHaveLength(1);
  });

  test('a Content-Length request reaches the backend with it, without Transfer-Encoding', async () => {
    const answer = await sendRaw(port, request('POST /upload?upload HTTP/1.1\r\nHost: a\r\nContent-Length: 11', 'hello world'));

    expect(answer.responses.map((response) => [response.status, response.body])).toEqual([[200, '11']]);
    const seen = backend.received[0]?.headers;
    expect(seen?.['content-length']).toBe('11');
    expect(seen?.['transfer-encoding']).toBeUndefined();
  });

  test('pipelined requests with bodies keep their boundaries: two answers, in order, each body whole', async () => {
    const first = 'POST /p1?upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello';
    const second = 'POST /p2?upload HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc';

    const answer = await sendRaw(port, first + second);

    expect(answer.responses.map((response) => [response.status, response.body])).toEqual([
      [200, '5'],
      [200, '3'],
    ]);
    expect(backend.paths).toEqual(['/p1', '/p2']);
  });
});

describe('malformed request lines and headers get 400 and reach nobody', () => {
  test.each([
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: a\r\nBroken\r\n\r\n'],
    ['a NUL in a header value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\n\r\n'],
    ['an obsolete folded header', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n'],
    ['bare LF line endings', 'GET / HTTP/1.1\nHost: a\n\n'],
    ['a method with a bad character', 'G@T / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a lower-case method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['no Host in HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n'],
    ['not HTTP at all', '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003 TLS hello\r\n\r\n'],
  ])('%s', async (_name, bytes) => {
    const conversation = await sendRaw(port, bytes);

    expect(conversation.closed).toBe(true);
    expect(conversation.responses.map((response) => response.status)).toEqual([400]);
    await settled();
    expect(backend.received).toEqual([]);
  });

  test.each([
    ['two Host headers', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b', 400, 'invalid-host'],
    ['a Host with user info', 'GET / HTTP/1.1\r\nHost: user@a', 400, 'invalid-host'],
    ['a Host with a space', 'GET / HTTP/1.1\r\nHost: a b', 400, 'invalid-host'],
    ['an absolute URL as the target', 'GET http://elsewhere.example/x HTTP/1.1\r\nHost: a', 400, 'invalid-request-target'],
    ['the asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: a', 400, 'invalid-request-target'],
    ['an HTTP version other than 1.x', 'GET / HTTP/2.0\r\nHost: a', 505, 'unsupported-http-version'],
  ])('%s: %d %s', async (_name, head, status, reason) => {
    expect(onlyAnswer(await sendRaw(port, request(head)))).toEqual({ status, reason });
    await settled();
    expect(backend.received).toEqual([]);
  });

  test('CONNECT gets 405: a reverse proxy opens no tunnels', async () => {
    const answer = onlyAnswer(await sendRaw(port, 'CONNECT elsewhere.example:443 HTTP/1.1\r\nHost: elsewhere.example:443\r\n\r\n'));

    expect(answer).toEqual({ status: 405, reason: 'connect-not-supported' });
    expect(backend.received).toEqual([]);
  });

  test('an HTTP/1.0 request without Host is served', async () => {
    const conversation = await sendRaw(port, 'GET /old HTTP/1.0\r\n\r\n');

    expect(conversation.responses.map((response) => response.status)).toEqual([200]);
    expect(backend.paths).toEqual(['/old']);
  });
});

describe('oversized headers', () => {
  test('a request head over connections.maxHeaderBytes gets 431 and the connection closes', async () => {
    const answer = onlyAnswer(await sendRaw(port, request(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(5000)}`)));

    expect(answer).toEqual({ status: 431, reason: 'header-too-large' });
    expect(backend.received).toEqual([]);
  });

  test('a head under the limit passes', async () => {
    const conversation = await sendRaw(port, request(`GET /fits HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(3000)}`));

    expect(conversation.responses.map((response) => response.status)).toEqual([200]);
    expect(backend.received[0]?.headers['x-big']).toHaveLength(3000);
  });

  test('a reload that raises connections.maxHeaderBytes lets a larger head through on the next connection', async () => {
    const big = request(`GET /big HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(6000)}`);
    const config = proxy.shortline.config;
    expect(onlyAnswer(await sendRaw(port, big)).status).toBe(431);

    proxy.shortline.applyConfig({ ...config, connections: { ...config.connections, maxHeaderBytes: 16384 } });
    try {
      expect((await sendRaw(port, big)).responses.map((response) => response.status)).toEqual([200]);
      expect(backend.paths).toEqual(['/big']);
    } finally {
      proxy.shortline.applyConfig(config);
    }
    expect(onlyAnswer(await sendRaw(port, big)).status).toBe(431);
  });

  test('more header lines than Node keeps gets 431 instead of losing the rest in silence', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `X-${i}: v`);
    const conversation = await sendRaw(port, request(`GET / HTTP/1.1\r\nHost: a\r\n${lines.slice(0, 300).join('\r\n')}`));
    expect(conversation.responses.map((response) => response.status)).toEqual([200]);

    const proxyWide = await startProxy({
      pools: [{ name: 'one', backends: [backend.url] }],
      functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' } }],
    });
    try {
      const answer = onlyAnswer(await sendRaw(Number(new URL(proxyWide.url).port), request(`GET /many HTTP/1.1\r\nHost: a\r\n${lines.join('\r\n')}`)));
      expect(answer).toEqual({ status: 431, reason: 'too-many-headers' });
    } finally {
      await proxyWide.close();
    }
    expect(backend.paths).toEqual(['/']);
  });
});

describe('refusals on the connection', () => {
  test('are counted by reason in shortline_connection_refusals_total, in no function', async () => {
    const reasons = ['malformed-request', 'header-too-large', 'connect-not-supported'];
    const count = async (): Promise<number[]> => {
      const metrics = await scrape(proxy.adminUrl);
      return reasons.map((reason) => metrics.sum('shortline_connection_refusals_total', { reason }));
    };
    const before = await count();

    await sendRaw(port, request('GET / HTTP/1.1\r\nHost: a\r\nBad Header: x'));
    await sendRaw(port, request(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(5000)}`));
    await sendRaw(port, request(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(5000)}`));
    await sendRaw(port, 'CONNECT elsewhere.example:443 HTTP/1.1\r\nHost: elsewhere.example:443\r\n\r\n');

    const after = await count();
    expect(after.map((total, i) => total - (before[i] as number))).toEqual([1, 2, 1]);
    expect(backend.received).toEqual([]);
  });
});

describe('pipelining', () => {
  test('bytes after a request that said Connection: close are ignored; that request is still answered', async () => {
    const conversation = await sendRaw(port, 'GET /closing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n');

    expect(conversation.closed).toBe(true);
    expect(conversation.responses.map((response) => response.status)).toEqual([200]);
    await settled();
    expect(backend.paths).toEqual(['/closing']);
  });

  test('a client that leaves with requests pipelined behind a held one: every one of them ends, none is forwarded', async () => {
    const hold = sendRaw(port, request('GET /hold?hold HTTP/1.1\r\nHost: a'));
    await backend.whenHeld(1);
    const pipelined = ['/q1', '/q2', '/q3'].map((path) => `GET ${path} HTTP/1.1\r\nHost: a\r\n\r\n`).join('');

    const conversation = await sendRaw(port, pipelined, { limitMs: 100 });

    expect(conversation.responses).toEqual([]);
    await proxy.when(() => proxy.shortline.debugSnapshot().openRequests === 1);
    backend.release();
    await hold;
    await settled();
    expect(backend.paths).toEqual(['/hold']);
  });
});

describe('a malformed request pipelined behind a held one', () => {
  test('the held request is answered first, and nothing after it: then the connection closes', async () => {
    const hold = sendRaw(port, request('GET /hold?hold HTTP/1.1\r\nHost: a'));
    await backend.whenHeld(1);
    const held = 'GET /queued HTTP/1.1\r\nHost: a\r\n\r\n';
    const broken = 'GET / HTTP/1.1\r\nHost: a\r\nBroken\r\n\r\n';

    const conversation = sendRaw(port, held + broken);
    await proxy.whenQueued(1);
    backend.release();

    expect((await hold).responses.map((response) => response.status)).toEqual([200]);
    const answered = await conversation;
    expect(answered.closed).toBe(true);
    expect(answered.responses.map((response) => [response.status, response.body])).toEqual([[200, 'ok /queued']]);
    await settled();
    expect(backend.paths).toEqual(['/hold', '/queued']);
  });

  test('a valid request followed by garbage on the same connection is answered, the garbage ignored', async () => {
    const conversation = await sendRaw(port, 'GET /valid HTTP/1.1\r\nHost: a\r\n\r\nhello');

    expect(conversation.closed).toBe(true);
    expect(conversation.responses.map((response) => response.status)).toEqual([200]);
    expect(conversation.responses[0]?.headers.connection).toBe('close');
    await settled();
    expect(backend.paths).toEqual(['/valid']);
  });
});
