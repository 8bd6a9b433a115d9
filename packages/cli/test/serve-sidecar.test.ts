import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '../../knative/test/support/http.js';
import { decodeStat } from '../../knative/test/support/stat-decoder.js';
import { startUserContainer, type UserContainer } from '../../knative/test/support/user-container.js';
import { freePort } from './support/free-port.js';
import { startServe, type ServeProcess } from './support/serve-process.js';
import { sidecarServeEnv } from './support/sidecar-serve-env.js';

// `shortline serve` with Knative's env contract: it must find sidecar mode by itself and behave as
// the queue-proxy, SIGTERM included. The built command, a real child process, real sockets.

let dir: string;
let user: UserContainer;
let serve: ServeProcess;
let ports: { serving: number; admin: number; stats: number; metrics: number };

beforeAll(async () => {
  user = await startUserContainer();
  dir = mkdtempSync(join(tmpdir(), 'shortline-sidecar-'));
  const config = join(dir, 'shortline.yaml');
  // What a ConfigMap-mounted file may add: a request class and a shorter quiet period.
  writeFileSync(
    config,
    [
      'drain: { quietPeriodMs: 300 }',
      'pools: [{ name: user-container, backends: ["http://127.0.0.1:8080"] }]',
      'functions: [{ name: reports, match: { pathPrefix: /reports }, pool: user-container }]',
      '',
    ].join('\n'),
  );
  serve = startServe([], sidecarServeEnv(await freePort(), user.port, { REVISION_TIMEOUT_SECONDS: '30', SHORTLINE_CONFIG: config }));
  const serving = await serve.logged('shortline serving');
  expect(serving['mode']).toBe('sidecar');
  ports = serving as unknown as typeof ports;
});

afterAll(async () => {
  await serve.stop('SIGKILL');
  await user.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('shortline serve in a Knative pod', () => {
  test('answers probes and serves requests on QUEUE_SERVING_PORT, with the file adding a request class', async () => {
    const probe = await request(ports.serving, { headers: { 'user-agent': 'kube-probe/1.29', 'k-network-probe': 'queue' } });
    expect([probe.status, probe.text]).toEqual([200, 'queue']);
    const plain = await request(ports.serving, { path: '/hello', headers: { 'k-original-host': 'hello.default.example.com' } });
    expect([plain.status, plain.text]).toEqual([200, 'ok /hello']);
    expect(user.received.at(-1)?.headers.host).toBe('hello.default.example.com');
    expect((await request(ports.serving, { path: '/reports/1' })).status).toBe(200);
    const metrics = (await request(ports.metrics, { path: '/metrics' })).text;
    expect(metrics).toContain('shortline_requests_accepted_total{function="reports"} 1');
    expect(metrics).toContain('shortline_requests_accepted_total{function="hello-00001"} 1');
  });

  test('serves the autoscaler its protobuf Stat on the stats port', async () => {
    const scrape = await request(ports.stats, { path: '/metrics', headers: { accept: 'application/protobuf' } });
    expect([scrape.status, scrape.headers['content-type']]).toEqual([200, 'application/protobuf']);
    expect(decodeStat(scrape.body)['pod_name']).toBe('hello-00001-deployment-abc');
  });

  test('SIGTERM: probes fail at once, requests are served until quiet, held work finishes, exit 0', async () => {
    const held = request(ports.serving, { path: '/hold/in-flight' });
    await user.when(() => user.held === 1);
    const exited = serve.stop('SIGTERM');
    await serve.logged('draining: probes answer 503; serving until no request came for the quiet period');

    const probe = await request(ports.serving, { headers: { 'k-network-probe': 'queue' } });
    expect(probe.status).toBe(503);
    expect((await request(ports.serving, { path: '/during-drain' })).status).toBe(200);
    const waitForDrain = await request(ports.admin, { path: '/wait-for-drain' });
    expect(waitForDrain.status).toBe(200);

    user.release();
    expect((await held).status).toBe(200);
    expect(await exited).toBe(0);
    await serve.logged('drained');
  });
});
