import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from '../../knative/test/support/http.js';
import { startUserContainer, type UserContainer } from '../../knative/test/support/user-container.js';
import { freePort } from './support/free-port.js';
import { startServe, type ServeProcess } from './support/serve-process.js';
import { sidecarServeEnv } from './support/sidecar-serve-env.js';

// A sidecar starts in every revision pod on every scale from zero, so it must load only what it
// runs. The built `shortline serve`, with Knative's env, in a real child process whose every module
// load is written down (support/module-log.mjs); what a sidecar never needs must not be among them.

const MODULE_LOG_PRELOAD = fileURLToPath(new URL('./support/module-log.mjs', import.meta.url));

/** What only other modes or other commands use, by where its files live. */
const NEVER_IN_A_SIDECAR = {
  'the Kubernetes client': '/node_modules/@kubernetes/client-node/',
  "the gateway's discovery": '/packages/knative/dist/gateway/',
  'the Kubernetes watches': '/packages/knative/dist/kube/watched-collection.js',
  'the kubeconfig loader': '/packages/knative/dist/kube/load-kube-config.js',
  'the simulator': '/packages/sim/',
  'the sample functions': '/packages/samples/',
  'the CloudEvents SDK': '/node_modules/cloudevents/',
  'the upgrade relay (http-proxy), before an upgrade': '/node_modules/http-proxy/',
};

const ORDER_EVENT = JSON.stringify({ specversion: '1.0', type: 'com.example.order', source: '/shop', id: '1' });

let dir: string;
let moduleLog: string;
let user: UserContainer;
let serve: ServeProcess;
let serving: number;

/** The packages and folders among the modules loaded so far that a sidecar must not load. */
function forbiddenLoaded(): string[] {
  const loaded = readFileSync(moduleLog, 'utf8').split('\n');
  return Object.entries(NEVER_IN_A_SIDECAR)
    .filter(([, where]) => loaded.some((url) => url.includes(where)))
    .map(([what]) => what);
}

beforeAll(async () => {
  user = await startUserContainer();
  dir = mkdtempSync(join(tmpdir(), 'shortline-sidecar-imports-'));
  moduleLog = join(dir, 'modules.txt');
  writeFileSync(moduleLog, '');
  const config = join(dir, 'shortline.yaml');
  // A request class by CloudEvent type, so that a structured event has a reason to load the SDK.
  writeFileSync(
    config,
    [
      'pools: [{ name: user-container, backends: ["http://127.0.0.1:8080"] }]',
      'functions: [{ name: orders, match: { ceType: com.example.order }, pool: user-container }]',
      '',
    ].join('\n'),
  );
  serving = await freePort();
  serve = startServe(
    [],
    sidecarServeEnv(serving, user.port, {
      NODE_OPTIONS: `--import=${MODULE_LOG_PRELOAD}`,
      SHORTLINE_MODULE_LOG: moduleLog,
      SHORTLINE_CONFIG: config,
    }),
  );
  expect((await serve.logged('shortline serving'))['mode']).toBe('sidecar');
});

afterAll(async () => {
  await serve.stop('SIGKILL');
  await user.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a sidecar loads only what a sidecar runs', () => {
  test('serving probes and requests, binary CloudEvents included, loads no Kubernetes client, gateway, simulator, samples or CloudEvents SDK', async () => {
    const probe = await request(serving, { headers: { 'user-agent': 'kube-probe/1.29', 'k-network-probe': 'queue' } });
    expect([probe.status, probe.text]).toEqual([200, 'queue']);
    expect((await request(serving, { path: '/hello' })).status).toBe(200);
    const binary = await request(serving, { method: 'POST', path: '/events', headers: { 'ce-type': 'com.example.order' }, body: '{}' });
    expect(binary.status).toBe(200);

    const loaded = readFileSync(moduleLog, 'utf8');
    // The log is complete: the sidecar's own ES modules and the CommonJS files inside undici are in it.
    expect(loaded).toContain('/packages/knative/dist/sidecar/create-sidecar.js');
    expect(loaded).toMatch(/\/node_modules\/undici\/lib\/.+\.js/);
    expect(forbiddenLoaded()).toEqual([]);
  });

  test('the first structured CloudEvent loads the SDK to read its type, and nothing else of that list', async () => {
    const structured = await request(serving, {
      method: 'POST',
      path: '/events',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: ORDER_EVENT,
    });
    expect(structured.status).toBe(200);
    expect(forbiddenLoaded()).toEqual(['the CloudEvents SDK']);
  });

  test('the first WebSocket upgrade loads the relay', async () => {
    const { connect } = await import('node:net');
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(serving, '127.0.0.1', () => socket.write('GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'));
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk.toString('latin1').split('\r\n')[0] ?? '');
        socket.destroy();
      });
      socket.once('error', reject);
    });
    // The user container here speaks no WebSocket; what matters is that the relay was loaded to try.
    expect(head).toMatch(/^HTTP\/1\.1 \d{3}/);
    expect(forbiddenLoaded()).toContain('the upgrade relay (http-proxy), before an upgrade');
  });
});
