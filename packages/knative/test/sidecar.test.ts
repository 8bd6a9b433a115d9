import { describe, expect, it } from '@jest/globals';
import http2 from 'node:http2';
import { echoClient, startGrpcFixture } from './support/grpc-fixtures.js';
import { Changes } from '../../proxy/test/support/changes.js';
import { releaseUntilAnswered } from './support/held-requests.js';
import { close, listen, request } from './support/http.js';
import { sidecarEnv, sidecarParts } from './support/sidecar-fixture.js';
import { decodeStat } from './support/stat-decoder.js';
import { startUserContainer } from './support/user-container.js';
import { useCleanups } from './support/cleanups.js';

// The queue-proxy contract through real sockets, on the wiring `shortline serve` runs in sidecar mode.

const defer = useCleanups();
const { userContainer, sidecar } = sidecarParts(defer);

describe('requests through the sidecar', () => {
  it('runs containerConcurrency requests in the user container and holds the rest, answering all', async () => {
    const user = await userContainer();
    const { ports, sidecar: running, lifecycle } = await sidecar(sidecarEnv(user.port, { CONTAINER_CONCURRENCY: '1' }));
    const first = request(ports.serving, { path: '/hold/1' });
    await user.when(() => user.held === 1);
    const second = request(ports.serving, { path: '/hold/2' });
    await lifecycle.when(() => lifecycle.queued === 2);
    expect(running.shortline.scheduler.waiting).toBe(1);
    expect(user.received.map((r) => r.url)).toEqual(['/hold/1']);

    const replies = await releaseUntilAnswered([user], [first, second]);
    expect(replies.map((r) => [r.status, r.text])).toEqual([
      [200, 'released /hold/1'],
      [200, 'released /hold/2'],
    ]);
    expect(user.received.map((r) => r.url)).toEqual(['/hold/1', '/hold/2']);
  });

  it('restores the Host from K-Original-Host, drops the routing headers, and records the hop', async () => {
    const user = await userContainer();
    const { ports } = await sidecar(sidecarEnv(user.port));
    const reply = await request(ports.serving, {
      path: '/headers',
      headers: {
        host: '10.0.0.7:8012',
        'k-original-host': 'hello.default.example.com',
        'knative-serving-revision': 'hello-00001',
        'knative-serving-namespace': 'default',
        'x-forwarded-for': '203.0.113.9',
      },
    });
    const seen = JSON.parse(reply.text) as Record<string, string>;
    expect(seen['host']).toBe('hello.default.example.com');
    expect(Object.keys(seen).filter((name) => name.startsWith('knative-serving-') || name === 'k-original-host')).toEqual([]);
    expect(seen['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(seen['forwarded']).toBe('for=203.0.113.9;proto=http, for=127.0.0.1');
  });

  it('refuses with 503 beyond 10 x containerConcurrency waiting', async () => {
    const user = await userContainer();
    const { ports, sidecar: running, lifecycle } = await sidecar(sidecarEnv(user.port, { CONTAINER_CONCURRENCY: '1' }));
    const held = Array.from({ length: 11 }, (_, i) => request(ports.serving, { path: `/hold/${i}` }));
    await user.when(() => user.held === 1);
    await lifecycle.when(() => lifecycle.queued === 11);
    expect(running.shortline.scheduler.waiting).toBe(10);
    const refused = await request(ports.serving, { path: '/one-too-many' });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    const replies = await releaseUntilAnswered([user], held);
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });
});

describe("Knative's probes on the serving port", () => {
  const cases: [string, Record<string, string>, number, string][] = [
    ['K-Network-Probe: queue runs the readiness probe', { 'k-network-probe': 'queue' }, 200, 'queue'],
    ['the kubelet', { 'user-agent': 'kube-probe/1.29', 'k-network-probe': 'queue' }, 200, 'queue'],
    ['K-Kubelet-Probe', { 'k-kubelet-probe': 'queue', 'k-network-probe': 'queue' }, 200, 'queue'],
    ['the activator', { 'user-agent': 'Knative-Activator-Probe', 'k-network-probe': 'queue' }, 200, 'queue'],
    ['the network probe echoes its hash', { 'k-network-probe': 'probe', 'k-network-hash': 'abc123' }, 200, ''],
    ['a network probe without a hash', { 'k-network-probe': 'probe' }, 400, 'a probe request must carry a non-empty K-Network-Hash header'],
    ['never answers as the activator', { 'k-network-probe': 'activator' }, 400, 'unexpected probe header value: activator'],
    ['a health check must ask for the queue', { 'user-agent': 'kube-probe/1.29' }, 400, 'unexpected probe header value: '],
  ];

  it.each(cases)('%s', async (_name, headers, status, body) => {
    const user = await userContainer();
    const { ports, sidecar: running, timers, lifecycle } = await sidecar(sidecarEnv(user.port, { CONTAINER_CONCURRENCY: '1' }));
    // The only slot is taken and a request waits: probes go past the queue all the same.
    const held = [request(ports.serving, { path: '/hold/busy' }), request(ports.serving, { path: '/hold/waiting' })];
    await user.when(() => user.held === 1);
    await lifecycle.when(() => lifecycle.queued === 2);

    const reply = await request(ports.serving, { path: '/healthz', headers });
    expect([reply.status, reply.text]).toEqual([status, body]);
    if (headers['k-network-hash'] !== undefined) expect(reply.headers['k-network-hash']).toBe('abc123');
    // Neither the user container nor the autoscaler stats heard of it.
    expect(user.received.map((r) => r.url)).toEqual(['/hold/busy']);
    expect(running.shortline.scheduler.waiting).toBe(1);
    // The stats window closing at t=1000 counts the two requests, not the probe.
    timers.advance(1000);
    expect(running.autoscalerStats.current().requestCount).toBe(2);
    await releaseUntilAnswered([user], held);
  });

  it('answers 503 while the user container fails its readiness probe', async () => {
    const refusing = await userContainer();
    const deadPort = refusing.port;
    await refusing.close();
    const user = await userContainer();
    const probe = JSON.stringify({ tcpSocket: { port: deadPort }, periodSeconds: 1, timeoutSeconds: 1 });
    const { ports } = await sidecar(sidecarEnv(user.port, { SERVING_READINESS_PROBE: probe }));
    const reply = await request(ports.serving, { headers: { 'k-network-probe': 'queue' } });
    expect([reply.status, reply.text]).toEqual([503, 'container not ready']);
  });
});

describe('autoscaler stats on the stats port', () => {
  it('reports time-weighted concurrency with queued requests, activator-proxied ones apart, as a protobuf Stat', async () => {
    const user = await userContainer();
    const { ports, sidecar: running, timers, lifecycle } = await sidecar(sidecarEnv(user.port, { CONTAINER_CONCURRENCY: '1' }));
    // Known load: at t=0 three requests arrive, one of them through the activator; one runs, two wait.
    const held = [
      request(ports.serving, { path: '/hold/a' }),
      request(ports.serving, { path: '/hold/b', headers: { 'k-proxy-request': 'activator' } }),
      request(ports.serving, { path: '/hold/c' }),
    ];
    await user.when(() => user.held === 1);
    await lifecycle.when(() => lifecycle.queued === 3);
    expect(running.shortline.scheduler.waiting).toBe(2);
    // Until t=1000 nothing changes: the window its timer closes then has a mean of exactly 3, 1 proxied.
    timers.advance(1000);

    const scrape = await request(ports.stats, { path: '/metrics', headers: { accept: 'application/protobuf' } });
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toBe('application/protobuf');
    expect(decodeStat(scrape.body)).toEqual({
      pod_name: 'hello-00001-deployment-7d9c-xk2lp',
      average_concurrent_requests: 3,
      average_proxied_concurrent_requests: 1,
      request_count: 3,
      proxied_request_count: 1,
      process_uptime: 1,
      timestamp: 0,
    });

    // All answered at t=1000; the window closing at t=2000 is empty.
    await releaseUntilAnswered([user], held);
    await lifecycle.when(() => lifecycle.finished === 3);
    timers.advance(1000);
    const idle = decodeStat((await request(ports.stats, { path: '/metrics', headers: { accept: 'application/protobuf' } })).body);
    expect(idle).toMatchObject({ average_concurrent_requests: 0, request_count: 0, process_uptime: 2 });

    const text = await request(ports.stats, { path: '/metrics' });
    expect(text.text).toContain('queue_average_concurrent_requests{destination_namespace="default"');
    const metrics = await request(ports.metrics, { path: '/metrics' });
    expect(metrics.text).toContain('shortline_queue_wait_seconds_count{function="hello-00001"} 3');
  });
});

describe('HTTP/2 (h2c) through the sidecar', () => {
  it('carries gRPC: unary with trailers, server streaming, and error statuses', async () => {
    const grpc = await startGrpcFixture();
    defer(() => grpc.close());
    const { ports } = await sidecar(sidecarEnv(grpc.port, { CONTAINER_CONCURRENCY: '2' }));
    const client = echoClient(`127.0.0.1:${ports.serving}`);
    defer(() => client.close());

    const unary = await client.say('hello');
    expect(unary.reply).toEqual({ text: 'echo:hello', index: 0 });
    expect(unary.trailers['x-echo-trailer']).toBe('len=5');
    const streamed = await client.repeat('tick', 5);
    expect(streamed.map((m) => m['index'])).toEqual([0, 1, 2, 3, 4]);
    // A gRPC error comes back trailers-only; it must reach the client as a status, not as headers.
    await expect(client.say('fail')).rejects.toMatchObject({ code: 9, details: 'asked to fail' });
  });

  it('queues and counts HTTP/2 requests like any other, and restores their authority', async () => {
    const seen: { path: string; authority: string }[] = [];
    const answer: (() => void)[] = [];
    const h2UserChanged = new Changes();
    const h2User = http2.createServer((req, res) => {
      seen.push({ path: req.url, authority: req.authority });
      h2UserChanged.notify();
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        answer.push(() => res.end(`h2 ${req.method} ${req.url} ${body}`));
        h2UserChanged.notify();
      });
    });
    const userPort = await listen(h2User);
    defer(() => close(h2User));
    const { ports, sidecar: running, timers, lifecycle } = await sidecar(sidecarEnv(userPort, { CONTAINER_CONCURRENCY: '1' }));

    const session = http2.connect(`http://127.0.0.1:${ports.serving}`);
    defer(() => void session.close());
    const send = (path: string, headers: http2.OutgoingHttpHeaders = {}, payload?: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const stream = session.request({ ':path': path, ...headers });
        let body = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => resolve(body));
        stream.on('error', reject);
        stream.end(payload);
      });
    const first = send('/one', { 'k-original-host': 'hello.default.svc' });
    // A body with a declared length is streamed as it is read, like an HTTP/1.1 one.
    const second = send('/two', { ':method': 'POST', 'content-length': '7' }, 'payload');
    await h2UserChanged.when(() => seen.length === 1);
    await lifecycle.when(() => lifecycle.queued === 2);
    expect(running.shortline.scheduler.waiting).toBe(1);
    timers.advance(1000);
    expect(running.autoscalerStats.current()).toMatchObject({ averageConcurrentRequests: 2, requestCount: 2 });

    await h2UserChanged.when(() => answer.length === 1);
    for (const release of answer.splice(0)) release();
    await h2UserChanged.when(() => answer.length === 1);
    for (const release of answer.splice(0)) release();
    expect(await Promise.all([first, second])).toEqual(['h2 GET /one ', 'h2 POST /two payload']);
    expect(seen[0]).toEqual({ path: '/one', authority: 'hello.default.svc' });
    expect(seen[1]?.authority).toBe(`127.0.0.1:${ports.serving}`);
  });
});

describe('HTTP/2 (h2c) when the user container is down', () => {
  it('answers 502 upstream-unreachable, as over HTTP/1.1', async () => {
    const gone = await startUserContainer();
    await gone.close();
    const { ports } = await sidecar(sidecarEnv(gone.port));
    const session = http2.connect(`http://127.0.0.1:${ports.serving}`);
    defer(() => void session.close());
    const headers = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
      const stream = session.request({ ':path': '/anything' });
      stream.on('response', resolve);
      stream.on('error', reject);
      stream.resume();
      stream.end();
    });
    expect([headers[':status'], headers['x-shortline-reason']]).toEqual([502, 'upstream-unreachable']);
  });
});

describe('drain (what SIGTERM starts)', () => {
  it('fails probes at once, serves until the quiet period passes, then finishes in-flight work and closes', async () => {
    const user = await userContainer();
    const { ports, sidecar: running, timers } = await sidecar(sidecarEnv(user.port, { CONTAINER_CONCURRENCY: '2' }), { drain: { quietPeriodMs: 300 } });
    const inFlight = request(ports.serving, { path: '/hold/in-flight' });
    await user.when(() => user.held === 1);

    // t=0: SIGTERM. Probes and readiness fail at once; requests are still served, each restarting the wait.
    const events: string[] = [];
    const drained = running.drain().then(() => events.push('drained'));
    const waitForDrain = request(ports.admin, { path: '/wait-for-drain' }).then((reply) => {
      events.push(`wait-for-drain ${reply.status}`);
      return reply;
    });

    const probe = await request(ports.serving, { headers: { 'k-network-probe': 'queue' } });
    expect(probe.status).toBe(503);
    expect((await request(ports.metrics, { path: '/readyz' })).status).toBe(503);
    const during = await request(ports.serving, { path: '/during-quiet-period' });
    expect([during.status, during.text]).toEqual([200, 'ok /during-quiet-period']);

    // t=299: not quiet yet, so the serving port still takes requests; this one restarts the wait.
    timers.advance(299);
    expect((await request(ports.serving, { path: '/at-299' })).status).toBe(200);
    // t=598: still not quiet, because of the request at t=299.
    timers.advance(299);
    expect((await request(ports.serving, { path: '/at-598' })).status).toBe(200);
    // t=898: 300 ms without a request. /wait-for-drain answers and the serving port closes...
    timers.advance(300);
    await waitForDrain;
    await expect(request(ports.serving, { path: '/after-quiet' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // ...but the request in flight holds the drain open until it is answered.
    expect(events).toEqual(['wait-for-drain 200']);
    user.release();
    expect((await inFlight).status).toBe(200);
    await drained;
    expect(events).toEqual(['wait-for-drain 200', 'drained']);
    await expect(request(ports.serving, { path: '/after' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
