import { afterEach, describe, expect, test } from '@jest/globals';
import { createLogger, createRequestTracing, defaultConfig, type ExchangeObserver, type RequestTracing } from '../src/index.js';
import { TraceCollector } from './support/trace-collector.js';
import { until, useProxyFixture, type TestProxy } from './support/test-proxy.js';

const { backend, client, start } = useProxyFixture();
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

async function collector(): Promise<TraceCollector> {
  const started = await TraceCollector.start();
  closing.push(() => started.close());
  return started;
}

/** A proxy with one slot, and tracing as its configuration says, attached as `shortline serve` attaches it. */
async function tracedProxy(endpoint: string, samplingRate = 1): Promise<{ proxy: TestProxy; tracing: RequestTracing }> {
  const proxy = await start({
    pools: [{ name: 'p', backends: [backend.url], concurrency: 1 }],
    functions: [{ name: 'fn', pool: 'p', match: { pathPrefix: '/' } }],
    tracing: { protocol: 'http/protobuf', endpoint, samplingRate },
  });
  const tracing = createRequestTracing({ observe: (observer) => proxy.shortline.observe(observer), logger: proxy.shortline.logger });
  closing.push(() => tracing.close());
  await tracing.apply(proxy.shortline.config.tracing);
  return { proxy, tracing };
}

describe('tracing', () => {
  test('off by default: nothing is attached to the request path', async () => {
    const observers: ExchangeObserver[] = [];
    const tracing = createRequestTracing({ observe: (observer) => (observers.push(observer), () => undefined), logger: createLogger('silent') });

    await tracing.apply(defaultConfig().tracing);

    expect(defaultConfig().tracing.protocol).toBe('none');
    expect(observers).toEqual([]);
  });

  test('a span per request reaches an OTLP/HTTP collector, in the caller\'s trace, with the queue wait and the upstream time', async () => {
    const traces = await collector();
    const { proxy, tracing } = await tracedProxy(traces.otlpUrl);
    const traceparent = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;

    // The first call takes the one slot and is held; the second waits in the queue behind it.
    const first = client.send(`${proxy.url}/first?hold`, { headers: { traceparent, tracestate: 'vendor=1' } });
    await until(() => backend.held === 1, 'the first call at the backend');
    const second = client.send(`${proxy.url}/second`, { headers: { traceparent } });
    await until(() => proxy.shortline.scheduler.waiting === 1, 'the second call queued');
    backend.release(1);
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    await tracing.flush();
    await until(() => traces.spans.length === 2, 'two spans at the collector');

    const byPath = new Map(traces.spans.map((span) => [span.attributes['url.path'], span]));
    for (const path of ['/first', '/second']) {
      expect(byPath.get(path)).toMatchObject({
        traceId: CALLER_TRACE,
        parentSpanId: CALLER_SPAN,
        name: 'shortline fn',
        kind: 2,
        resource: { 'service.name': 'shortline' },
        attributes: { 'shortline.function': 'fn', 'http.request.method': 'GET', 'http.response.status_code': 200 },
      });
    }
    const waited = (path: string, name: string): number => byPath.get(path)?.attributes[name] as number;
    expect(waited('/second', 'shortline.queue_wait_ms')).toBeGreaterThan(0);
    expect(waited('/first', 'shortline.upstream_ms')).toBeGreaterThan(0);
    expect(waited('/first', 'shortline.queue_wait_ms')).toBeGreaterThanOrEqual(0);
    // The headers themselves go on untouched: the backend's spans join the caller's trace too.
    expect(backend.received.map((r) => [r.headers.traceparent, r.headers.tracestate])).toEqual([
      [traceparent, 'vendor=1'],
      [traceparent, undefined],
    ]);
  });

  test("a caller's sampled flag decides, whatever samplingRate says for traces that start here", async () => {
    const traces = await collector();
    const { proxy, tracing } = await tracedProxy(traces.otlpUrl, 0);

    await client.send(`${proxy.url}/unsampled`, { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-00` } });
    await client.send(`${proxy.url}/sampled`, { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } });
    await tracing.flush();
    await until(() => traces.spans.length === 1, 'the sampled span');

    expect(traces.spans.map((span) => span.attributes['url.path'])).toEqual(['/sampled']);
  });

  test('a reload that switches tracing off detaches it from the request path', async () => {
    const traces = await collector();
    const proxy = await start({ pools: [{ name: 'p', backends: [backend.url] }], functions: [{ name: 'fn', pool: 'p', match: {} }] });
    let attached = 0;
    const tracing = createRequestTracing({
      observe: (observer) => {
        attached++;
        const unobserve = proxy.shortline.observe(observer);
        return () => {
          attached--;
          unobserve();
        };
      },
      logger: proxy.shortline.logger,
    });
    closing.push(() => tracing.close());

    await tracing.apply({ ...proxy.shortline.config.tracing, protocol: 'http/protobuf', endpoint: traces.otlpUrl });
    expect(attached).toBe(1);
    await client.send(`${proxy.url}/traced`);
    await tracing.apply(proxy.shortline.config.tracing);

    expect(attached).toBe(0);
    // Switching off sends what was buffered.
    expect(traces.spans.map((span) => span.attributes['url.path'])).toEqual(['/traced']);
  });

  test('the configuration refuses an endpoint without a protocol, and a protocol without an endpoint', () => {
    expect(() => defaultConfig({ tracing: { endpoint: 'http://collector:4318/v1/traces' } })).toThrow(/tracing\.protocol: must be http\/protobuf or zipkin/);
    expect(() => defaultConfig({ tracing: { protocol: 'zipkin' } })).toThrow(/tracing\.endpoint: is required with protocol zipkin/);
    expect(() => defaultConfig({ tracing: { protocol: 'http/protobuf', endpoint: 'collector:4318' } })).toThrow(/tracing\.endpoint: must be an http or https URL/);
  });
});
