import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { createReadinessProber, parseReadinessProbes, ProbeSpecError } from '@shortline/knative';
import { ManualTimers } from '@shortline/proxy';
import { AwaitableTimers } from './support/awaitable-timers.js';
import { Changes } from '../../proxy/test/support/changes.js';
import { startGrpcFixture } from './support/grpc-fixtures.js';
import { close, listen } from './support/http.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An HTTP server answering each probe with the next status of `statuses` (the last one repeats). */
async function userContainer(statuses: number[]): Promise<{ port: number; seen: http.IncomingHttpHeaders[] }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(statuses[Math.min(seen.length - 1, statuses.length - 1)] as number).end('x');
  });
  const port = await listen(server);
  cleanups.push(() => close(server));
  return { port, seen };
}

/** A port that refuses connections: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

function httpProbe(port: number, extra: Record<string, unknown> = {}) {
  return [...parseReadinessProbes(JSON.stringify({ httpGet: { port, path: '/healthz' }, periodSeconds: 1, ...extra }), 8080)];
}

describe('SERVING_READINESS_PROBE parsing', () => {
  it('reads an httpGet probe with Knative defaults: host 127.0.0.1, scheme http, aggressive when periodSeconds is 0', () => {
    const [probe] = parseReadinessProbes(
      '{"httpGet":{"port":8090,"host":"","scheme":"HTTP","httpHeaders":[{"name":"K-Kubelet-Probe","value":"queue"}]},"successThreshold":1}',
      8080,
    );
    expect(probe).toEqual({
      action: { kind: 'http', host: '127.0.0.1', port: 8090, path: '/', scheme: 'http', headers: [['K-Kubelet-Probe', 'queue']] },
      periodSeconds: 0,
      timeoutSeconds: 1,
      successThreshold: 1,
    });
  });

  it('reads tcpSocket and grpc probes, defaulting the port to the user port', () => {
    expect(parseReadinessProbes('{"tcpSocket":{"port":0}}', 8080)[0]?.action).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 8080 });
    expect(parseReadinessProbes('{"grpc":{"port":9000,"service":"ready"},"periodSeconds":5}', 8080)[0]).toMatchObject({
      action: { kind: 'grpc', host: '127.0.0.1', port: 9000, service: 'ready' },
      periodSeconds: 5,
    });
  });

  it('reads an array (multi-container probing) and defaults an absent probe to TCP on the user port', () => {
    expect(parseReadinessProbes('[{"tcpSocket":{"port":8080}},{"httpGet":{"port":"9001"}}]', 8080)).toHaveLength(2);
    expect(parseReadinessProbes(undefined, 8081)).toEqual([
      { action: { kind: 'tcp', host: '127.0.0.1', port: 8081 }, periodSeconds: 0, timeoutSeconds: 1, successThreshold: 1 },
    ]);
  });

  it.each([
    ['not json', 'is not valid JSON'],
    ['[]', 'is an empty array'],
    ['{"exec":{"command":["true"]}}', 'exec probes are run by the kubelet'],
    ['{}', 'has no httpGet, tcpSocket or grpc action'],
    ['{"httpGet":{"port":"http"}}', 'httpGet.port: must be a port number'],
    ['[{"tcpSocket":{"port":8080}},{"tcpSocket":{"port":70000}}]', '[1].tcpSocket.port: must be a port number'],
    ['{"httpGet":{"scheme":"FTP"}}', 'httpGet.scheme: must be HTTP or HTTPS'],
    ['{"tcpSocket":{},"periodSeconds":-1}', 'periodSeconds: must be an integer >= 0'],
    ['{"httpGet":{"httpHeaders":[{"value":"x"}]}}', 'httpGet.httpHeaders[0]: must be {name, value}'],
  ])('rejects %s naming where and why', (json, message) => {
    expect(() => parseReadinessProbes(json, 8080)).toThrow(ProbeSpecError);
    expect(() => parseReadinessProbes(json, 8080)).toThrow(message);
  });
});

describe('readiness prober', () => {
  it('sends an HTTP probe with the kube-probe user agent and the probe headers, and counts 200-399 as ready', async () => {
    const container = await userContainer([302]);
    const probes = httpProbe(container.port, {});
    const withHeader = parseReadinessProbes(
      JSON.stringify({ httpGet: { port: container.port, httpHeaders: [{ name: 'K-Kubelet-Probe', value: 'queue' }] }, periodSeconds: 1 }),
      8080,
    );
    expect(await createReadinessProber({ probes }).probe()).toBe(true);
    expect(await createReadinessProber({ probes: withHeader }).probe()).toBe(true);
    expect(container.seen[0]?.['user-agent']).toMatch(/^kube-probe\//);
    expect(container.seen[1]?.['k-kubelet-probe']).toBe('queue');
  });

  it('answers not ready, with the reason, when the container answers 500 or is not listening', async () => {
    const container = await userContainer([500]);
    const reasons: string[] = [];
    expect(await createReadinessProber({ probes: httpProbe(container.port), onNotReady: (r) => reasons.push(r) }).probe()).toBe(false);
    const refused = await closedPort();
    expect(await createReadinessProber({ probes: httpProbe(refused), onNotReady: (r) => reasons.push(r) }).probe()).toBe(false);
    expect(reasons[0]).toBe('HTTP probe answered 500');
    expect(reasons[1]).toMatch(/ECONNREFUSED/);
  });

  /** Moves time on by `pollIntervalMs` each time the prober pauses between attempts, `pauses` times; fails if it answers sooner. */
  async function pollThrough(timers: AwaitableTimers, answer: Promise<boolean>, pauses: number, pollIntervalMs: number): Promise<void> {
    let answered = false;
    void answer.then(() => (answered = true));
    for (let pause = 0; pause < pauses; pause++) {
      await Promise.race([timers.dueWithin(pollIntervalMs), answer]);
      if (answered) throw new Error(`the probe answered after ${pause} pauses, not ${pauses}`);
      timers.advance(pollIntervalMs);
    }
  }

  it('polls an aggressive probe, pausing between attempts, until the container becomes ready', async () => {
    const container = await userContainer([503, 503, 503, 200]);
    const timers = new AwaitableTimers();
    const probes = httpProbe(container.port, { periodSeconds: 0 });
    const ready = createReadinessProber({ probes, pollIntervalMs: 5, pollTimeoutMs: 5000, timers }).probe();
    // Three failures, each followed by a 5 ms pause; the fourth attempt passes.
    await pollThrough(timers, ready, 3, 5);
    expect(await ready).toBe(true);
    expect(container.seen).toHaveLength(4);
    expect(timers.now()).toBe(15);
  });

  it('needs successThreshold passes in a row in aggressive mode, starting over after a failure', async () => {
    const container = await userContainer([200, 503, 200, 200, 200]);
    const timers = new AwaitableTimers();
    const probes = httpProbe(container.port, { periodSeconds: 0, successThreshold: 3 });
    const ready = createReadinessProber({ probes, pollIntervalMs: 5, pollTimeoutMs: 5000, timers }).probe();
    // Pass, fail (the count starts over), pass, pass, pass: four pauses.
    await pollThrough(timers, ready, 4, 5);
    expect(await ready).toBe(true);
    expect(container.seen).toHaveLength(5);
  });

  it('gives up an aggressive poll after the poll timeout', async () => {
    const container = await userContainer([503]);
    const timers = new AwaitableTimers();
    const reasons: string[] = [];
    const prober = createReadinessProber({
      probes: httpProbe(container.port, { periodSeconds: 0 }),
      pollIntervalMs: 5,
      pollTimeoutMs: 60,
      onNotReady: (r) => reasons.push(r),
      timers,
    });
    const ready = prober.probe();
    // t=0..55: an attempt every 5 ms, each failing and followed by a pause, since another fits before t=60.
    await pollThrough(timers, ready, 12, 5);
    // t=60: the thirteenth fails too, and the next would start after the deadline: not ready.
    expect(await ready).toBe(false);
    expect(container.seen).toHaveLength(13);
    expect(reasons).toEqual(['HTTP probe answered 503']);
    expect(timers.pendingCount).toBe(0);
  });

  it('runs a non-aggressive probe once per call and shares one run among concurrent callers', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      void held.then(() => res.writeHead(200).end());
    });
    const port = await listen(server);
    cleanups.push(() => close(server));
    const prober = createReadinessProber({ probes: httpProbe(port, { timeoutSeconds: 5 }) });
    const answers = [prober.probe(), prober.probe(), prober.probe()];
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await Promise.all(answers)).toEqual([true, true, true]);
    expect(hits).toBe(1);
    expect(await prober.probe()).toBe(true);
    expect(hits).toBe(2);
  });

  it('passes a TCP probe when the port accepts connections', async () => {
    const server = net.createServer((socket) => socket.destroy());
    const port = await listen(server);
    cleanups.push(() => close(server));
    const probes = parseReadinessProbes(JSON.stringify({ tcpSocket: { port }, periodSeconds: 1 }), 8080);
    expect(await createReadinessProber({ probes }).probe()).toBe(true);
  });

  it('calls grpc.health.v1.Health/Check and is ready only for SERVING', async () => {
    const grpc = await startGrpcFixture();
    cleanups.push(() => grpc.close());
    grpc.statuses.set('billing', 2);
    const probe = (service: string) =>
      createReadinessProber({ probes: parseReadinessProbes(JSON.stringify({ grpc: { port: grpc.port, service }, periodSeconds: 1 }), 8080) }).probe();
    expect(await probe('')).toBe(true);
    expect(await probe('billing')).toBe(false);
    expect(await probe('unknown')).toBe(false);
    expect(grpc.asked).toEqual(['', 'billing', 'unknown']);
  });

  it('gives up a gRPC health check that gets no answer after its timeout, on the prober’s timers', async () => {
    const asked = new Changes();
    let calls = 0;
    const silent = http2.createServer(() => {
      calls++;
      asked.notify();
    });
    const port = await listen(silent);
    cleanups.push(() => close(silent));
    const timers = new ManualTimers();
    const reasons: string[] = [];
    const probes = parseReadinessProbes(JSON.stringify({ grpc: { port }, periodSeconds: 10, timeoutSeconds: 30 }), 8080);
    const ready = createReadinessProber({ probes, timers, onNotReady: (r) => reasons.push(r) }).probe();
    // t=0: the call reached the container, which says nothing.
    await asked.when(() => calls === 1);
    // t=30 s: the attempt's timeout.
    timers.advance(30_000);
    expect(await ready).toBe(false);
    expect(reasons).toEqual(['gRPC probe timed out after 30000 ms']);
  });

  it('is ready only when every probe of a multi-container array passes', async () => {
    const good = await userContainer([200]);
    const bad = await userContainer([503]);
    const both = (ports: number[]) =>
      parseReadinessProbes(JSON.stringify(ports.map((port) => ({ httpGet: { port }, periodSeconds: 1 }))), 8080);
    expect(await createReadinessProber({ probes: both([good.port, good.port]) }).probe()).toBe(true);
    expect(await createReadinessProber({ probes: both([good.port, bad.port]) }).probe()).toBe(false);
  });
});
