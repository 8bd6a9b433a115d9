import { describe, expect, it } from '@jest/globals';
import { parseKnativeEnv } from '@shortline/knative';
import { TraceCollector } from '../../proxy/test/support/trace-collector.js';
import { useCleanups } from './support/cleanups.js';
import { releaseUntilAnswered } from './support/held-requests.js';
import { request } from './support/http.js';
import { KNATIVE_VARS, sidecarEnv, sidecarParts } from './support/sidecar-fixture.js';

// Knative's tracing contract for its queue-proxy, through a sidecar on real sockets.

const defer = useCleanups();
const { userContainer, sidecar } = sidecarParts(defer);
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

async function collector(): Promise<TraceCollector> {
  const started = await TraceCollector.start();
  defer(() => started.close());
  return started;
}

describe('tracing in sidecar mode', () => {
  it('passes traceparent and tracestate to the user container unchanged, with tracing off', async () => {
    const user = await userContainer();
    const { ports } = await sidecar(sidecarEnv(user.port));

    const reply = await request(ports.serving, { path: '/headers', headers: { traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' } });

    expect(JSON.parse(reply.text)).toMatchObject({ traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' });
  });

  it('sends a span per request where OBSERVABILITY_CONFIG says (Knative 1.19+), named after the Service, with the queue wait', async () => {
    const traces = await collector();
    const user = await userContainer();
    const observability = JSON.stringify({ tracing: { protocol: 'http/protobuf', endpoint: traces.otlpUrl, sampling_rate: 1 }, metrics: {} });
    const { ports, sidecar: running, timers, lifecycle } = await sidecar(sidecarEnv(user.port, { OBSERVABILITY_CONFIG: observability }));

    // t=0: the first request takes the only slot; the second waits for it, 25 ms.
    const first = request(ports.serving, { path: '/hold/1', headers: { traceparent: TRACEPARENT } });
    await user.when(() => user.held === 1);
    const second = request(ports.serving, { path: '/hold/2' });
    await lifecycle.when(() => lifecycle.queued === 2);
    expect(running.shortline.scheduler.waiting).toBe(1);
    timers.advance(25);
    await releaseUntilAnswered([user], [first, second]);
    // Spans go out in batches; closing the sidecar sends what is buffered.
    await running.close();
    expect(traces.spans).toHaveLength(2);

    const [held, queued] = ['/hold/1', '/hold/2'].map((path) => traces.spans.find((span) => span.attributes['url.path'] === path));
    expect(held).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7' });
    expect(queued?.resource).toMatchObject({ 'service.name': 'hello', 'k8s.namespace.name': 'default', 'knative.revision': 'hello-00001' });
    expect(queued?.attributes['shortline.function']).toBe('hello-00001');
    expect(queued?.attributes['shortline.queue_wait_ms']).toBe(25);
    expect(user.received[0]?.headers.traceparent).toBe(TRACEPARENT);
  });

  it('takes OTLP over gRPC, which Shortline does not send, as unsupported (the sidecar logs it and sends no spans)', () => {
    expect(parseKnativeEnv({ ...KNATIVE_VARS, OBSERVABILITY_CONFIG: '{"tracing":{"protocol":"grpc","endpoint":"http://collector:4317"}}' }).tracing).toMatchObject({
      protocol: 'unsupported',
      requested: 'grpc',
    });
    expect(() => parseKnativeEnv({ ...KNATIVE_VARS, OBSERVABILITY_CONFIG: '{tracing' })).toThrow(/^OBSERVABILITY_CONFIG=.*must be JSON/);
  });

  it('sends Zipkin spans where TRACING_CONFIG_BACKEND=zipkin says (Knative before 1.19)', async () => {
    const traces = await collector();
    const user = await userContainer();
    const { ports, sidecar: running } = await sidecar(
      sidecarEnv(user.port, { TRACING_CONFIG_BACKEND: 'zipkin', TRACING_CONFIG_ZIPKIN_ENDPOINT: traces.zipkinUrl, TRACING_CONFIG_SAMPLE_RATE: '1.000000' }),
    );

    await request(ports.serving, { path: '/zipkin', headers: { traceparent: TRACEPARENT } });
    await running.close();

    expect(traces.spans[0]).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: '00f067aa0ba902b7',
      resource: { 'service.name': 'hello' },
      attributes: { 'url.path': '/zipkin', 'http.response.status_code': 200 },
    });
    expect(traces.contentTypes).toEqual(['application/json']);
  });
});
