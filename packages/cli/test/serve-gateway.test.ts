import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_MAPS, ENDPOINT_SLICES, FakeKubeApi, REVISIONS, ROUTES } from '../../knative/test/support/fake-kube-api.js';
import { request, type Reply } from '../../knative/test/support/http.js';
import { configMap, privateSlice, revision, route, startPod, type FakePod } from '../../knative/test/support/knative-fixtures.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

// `shortline serve` in gateway mode: the built command as a child process, finding revisions through
// $KUBECONFIG from an in-process list/watch API server, configured from a file and the ConfigMap.

let dir: string;
let configPath: string;
let api: FakeKubeApi;
let pod: FakePod;
let serve: ServeProcess;
let ports: { port: number; admin: number };

function gatewayConfig(policy: string): string {
  return [
    'mode: gateway',
    'listen: { host: 127.0.0.1, port: 0 }',
    'admin: { host: 127.0.0.1, port: 0 }',
    `scheduler: { policy: ${policy} }`,
    'drain: { quietPeriodMs: 100 }',
    '',
  ].join('\n');
}

/** The policy in force, as /debug/queue shows it, once the log says a configuration with `policy` applied. */
async function policyOnceApplied(policy: string): Promise<string> {
  await serve.logged('configuration applied', (line) => line['policy'] === policy);
  const snapshot = JSON.parse((await request(ports.admin, { path: '/debug/queue' })).text) as { policy: { name: string } };
  return snapshot.policy.name;
}

beforeAll(async () => {
  api = new FakeKubeApi();
  await api.start();
  pod = await startPod(true, 'hello-pod');
  api.apply(REVISIONS, revision('default', 'hello-00001', 4, 60));
  api.apply(ROUTES, route('default', 'hello', [{ revisionName: 'hello-00001', percent: 100 }]));
  api.apply(ENDPOINT_SLICES, privateSlice('default', 'hello-00001', [{ ip: '127.0.0.1', port: pod.port }]));

  dir = mkdtempSync(join(tmpdir(), 'shortline-gateway-'));
  configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, gatewayConfig('aging-srtf'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: fake, cluster: { server: "http://127.0.0.1:${api.port}", insecure-skip-tls-verify: true } }]`,
      'users: [{ name: test, user: { token: test-token } }]',
      'contexts: [{ name: fake, context: { cluster: fake, user: test } }]',
      'current-context: fake',
      '',
    ].join('\n'),
  );
  serve = startServe(['--config', configPath], {
    KUBECONFIG: kubeconfig,
    POD_NAMESPACE: 'shortline',
    POD_IP: '10.9.0.2',
    SHORTLINE_GATEWAY_SERVICE: 'shortline-gateway',
  });
  const serving = await serve.logged('shortline serving');
  expect(serving['mode']).toBe('gateway');
  ports = serving as unknown as typeof ports;
  await serve.logged('discovery synced');
  await serve.logged('pod ready: sending it work');
});

afterAll(async () => {
  await serve.stop('SIGKILL');
  await pod.close();
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('shortline serve as the gateway', () => {
  test('routes by Host to the pod it discovered, as the activator does', async () => {
    const reply: Reply = await request(ports.port, { path: '/hi', headers: { host: 'hello.default.example.com' } });
    expect([reply.status, reply.text]).toEqual([200, 'hello-pod /hi']);
    expect(pod.received.at(-1)?.headers['k-proxy-request']).toBe('activator');
    expect((await request(ports.admin, { path: '/readyz' })).status).toBe(200);
  });

  test('takes configuration from the mounted file and from the ConfigMap through the API', async () => {
    writeFileSync(configPath, gatewayConfig('fifo'));
    expect(await policyOnceApplied('fifo')).toBe('fifo');
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': gatewayConfig('hrrn') }));
    expect(await policyOnceApplied('hrrn')).toBe('hrrn');
  });

  test('SIGTERM drains and exits 0', async () => {
    expect(await serve.stop('SIGTERM')).toBe(0);
    await serve.logged('drained');
  });
});
