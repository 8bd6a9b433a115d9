import { request as httpRequest } from 'node:http';
import { describe, expect, test } from '@jest/globals';
import type { ConfigOverrides, Layer, ObservedExchange } from '../src/index.js';
import { sendRaw } from './support/raw-http.js';
import { useProxyFixture, type TestProxy } from './support/test-proxy.js';

const { backend, client, start } = useProxyFixture();
let proxy: TestProxy | undefined;

function anyRequest(): ConfigOverrides {
  return {
    pools: [{ name: 'p', backends: [backend.url], concurrency: 4 }],
    functions: [{ name: 'fn', pool: 'p', match: { pathPrefix: '/' } }],
  };
}

/** A raw node:http request, so that hop-by-hop headers reach the proxy as written. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('headers on the way in and out', () => {
  test('hop-by-hop headers are dropped, the rest (traceparent and tracestate included) passes through unchanged', async () => {
    proxy = await start(anyRequest());
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const tracestate = 'congo=t61rcWkgMzE, rojo=00f067aa0ba902b7';

    await rawGet(`${proxy.url}/h`, {
      connection: 'keep-alive, x-private',
      'keep-alive': 'timeout=5',
      'x-private': 'hop only',
      te: 'trailers',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      traceparent,
      tracestate,
      'x-custom': 'kept',
    });

    const seen = backend.received[0]?.headers ?? {};
    expect(seen.traceparent).toBe(traceparent);
    expect(seen.tracestate).toBe(tracestate);
    expect(seen['x-custom']).toBe('kept');
    expect(seen['x-private']).toBeUndefined();
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen.te).toBeUndefined();
    expect(seen['proxy-authorization']).toBeUndefined();
  });

  test("the backend's hop-by-hop response headers are dropped", async () => {
    proxy = await start(anyRequest());

    const answer = await rawGet(`${proxy.url}/h?hop`, {});

    expect(answer.body).toBe('hop');
    expect(answer.headers['x-kept']).toBe('yes');
    expect(answer.headers['x-hop']).toBeUndefined();
  });

  test('X-Forwarded-For gets this hop, X-Forwarded-Proto and Forwarded are set', async () => {
    proxy = await start(anyRequest());

    await client.send(`${proxy.url}/first`);
    await client.send(`${proxy.url}/second`, { headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' } });
    await client.send(`${proxy.url}/third`, { headers: { forwarded: 'for=198.51.100.1;proto=https' } });

    const [first, second, third] = backend.received.map((r) => r.headers);
    expect(first?.['x-forwarded-for']).toBe('127.0.0.1');
    expect(first?.['x-forwarded-proto']).toBe('http');
    expect(first?.forwarded).toBe('for=127.0.0.1;proto=http');
    expect(second?.['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(second?.['x-forwarded-proto']).toBe('https');
    expect(second?.forwarded).toBe('for=203.0.113.7;proto=https, for=127.0.0.1');
    expect(third?.forwarded).toBe('for=198.51.100.1;proto=https, for=127.0.0.1');
  });

  test('X-Request-Id is generated when absent and passed on, kept when given', async () => {
    proxy = await start(anyRequest());

    const generated = await client.send(`${proxy.url}/a`);
    const given = await client.send(`${proxy.url}/b`, { headers: { 'x-request-id': 'client-chosen-id' } });

    const upstreamIds = backend.received.map((r) => r.headers['x-request-id']);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(upstreamIds[0]).toBe(generated.headers['x-request-id']);
    expect(upstreamIds[1]).toBe('client-chosen-id');
    expect(given.headers['x-request-id']).toBe('client-chosen-id');
  });

  test('every response carries Server-Timing with the queue wait and upstream time', async () => {
    proxy = await start({
      pools: [{ name: 'p', backends: [backend.url] }],
      functions: [{ name: 'fn', pool: 'p', match: { pathPrefix: '/a' } }],
    });

    const proxied = await client.send(`${proxy.url}/a`);
    const refused = await client.send(`${proxy.url}/nowhere`);

    expect(proxied.headers['server-timing']).toMatch(/^queue;dur=\d+\.\d, upstream;dur=\d+\.\d$/);
    expect(refused.status).toBe(404);
    expect(refused.headers['server-timing']).toMatch(/^queue;dur=\d+\.\d, upstream;dur=\d+\.\d$/);
  });

  test('answers refused on the connection, before any request was read (400, 431), carry Server-Timing too', async () => {
    proxy = await start({ ...anyRequest(), connections: { maxHeaderBytes: 1024 } });
    const port = Number(new URL(proxy.url).port);

    const malformed = await sendRaw(port, 'GET / HTTP/1.1\r\nHost: x\r\nbad header\r\n\r\n');
    const tooLarge = await sendRaw(port, `GET / HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(2048)}\r\n\r\n`);

    expect(malformed.responses.map((r) => [r.status, r.headers['server-timing']])).toEqual([[400, 'queue;dur=0.0, upstream;dur=0.0']]);
    expect(tooLarge.responses.map((r) => [r.status, r.headers['server-timing']])).toEqual([[431, 'queue;dur=0.0, upstream;dur=0.0']]);
  });

  test('request and response bodies pass through byte for byte', async () => {
    proxy = await start(anyRequest());
    const body = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));

    const echoed = await client.send(`${proxy.url}/echo?echo`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });

    expect(echoed.bytes.equals(body)).toBe(true);
    expect(backend.received[0]?.method).toBe('POST');
  });
});

describe('seams for the Knative integration', () => {
  test('upstreamHeaders are set on every upstream request, replacing a client value', async () => {
    proxy = await start(anyRequest(), { upstreamHeaders: { 'K-Proxy-Request': 'activator' } });

    await client.send(`${proxy.url}/a`, { headers: { 'k-proxy-request': 'forged' } });

    expect(backend.received[0]?.rawHeaders.filter((h) => h.toLowerCase() === 'k-proxy-request')).toHaveLength(1);
    expect(backend.received[0]?.headers['k-proxy-request']).toBe('activator');
  });

  test('an extra layer runs before classification and may answer a request itself', async () => {
    const probe: Layer = (next) => (exchange) => {
      if (exchange.req.headers['k-network-probe'] !== 'queue') {
        exchange.removeUpstreamHeader('knative-serving-revision');
        next(exchange);
        return;
      }
      exchange.reply(200, 'queue');
    };
    proxy = await start(anyRequest(), { layers: [probe] });

    const probed = await client.send(`${proxy.url}/`, { headers: { 'k-network-probe': 'queue' } });
    await client.send(`${proxy.url}/real`, { headers: { 'knative-serving-revision': 'r1' } });

    expect(probed.body).toBe('queue');
    expect(backend.paths).toEqual(['/real']);
    expect(backend.received[0]?.headers['knative-serving-revision']).toBeUndefined();
  });

  test('observers see arrived, started and finished for each classified request, not for layer answers', async () => {
    const events: string[] = [];
    const probe: Layer = (next) => (exchange) => {
      if (exchange.req.url === '/probe') exchange.reply(200, 'probe');
      else next(exchange);
    };
    proxy = await start(anyRequest(), { layers: [probe] });
    const note = (what: string) => (exchange: ObservedExchange): void => {
      events.push(`${what} ${exchange.req.url ?? ''} ${exchange.functionName}`);
    };
    const stop = proxy.shortline.observe({ arrived: note('arrived'), started: note('started'), finished: note('finished') });

    await client.send(`${proxy.url}/probe`);
    await client.send(`${proxy.url}/work`);
    stop();
    await client.send(`${proxy.url}/unobserved`);

    expect(events).toEqual(['arrived /work ', 'started /work fn', 'finished /work fn']);
  });
});
