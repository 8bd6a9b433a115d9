import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ENDPOINT_SLICES, FakeKubeApi, privateSlice, REVISIONS, revision } from '@shortline/knative/testing';
import { request } from '../../knative/test/support/http.js';
import { startPod, type FakePod } from '../../knative/test/support/knative-fixtures.js';
import { decodeStat } from '../../knative/test/support/stat-decoder.js';
import { startUserContainer, type UserContainer } from '../../knative/test/support/user-container.js';
import { freePort } from './support/free-port.js';
import { imageCommand } from '../bundle/image-command.mjs';
import { startServe, type ServeProcess } from './support/serve-process.js';
import { sidecarServeEnv } from './support/sidecar-serve-env.js';

// The image runs `shortline` from the bundle (packages/cli/bundle/build.mjs), not from dist/: built
// here as the Dockerfile builds it, then run in each mode as Knative and the gateway Deployment run it,
// under the Node flags of the Dockerfile's ENTRYPOINT and its ENV.

const BUILD = fileURLToPath(new URL('../bundle/build.mjs', import.meta.url));
const IMAGE = imageCommand(fileURLToPath(new URL('../../..', import.meta.url)));
const MODULE_LOG_PRELOAD = fileURLToPath(new URL('./support/module-log.mjs', import.meta.url));
const EMBEDDED_CONFIG = fileURLToPath(new URL('../../../config/shortline.yaml', import.meta.url));

let dir: string;
const running: ServeProcess[] = [];

function serveBundle(args: readonly string[], env: Readonly<Record<string, string>>): ServeProcess {
  const serve = startServe(args, { ...IMAGE.env, ...env }, IMAGE.script, IMAGE.nodeFlags);
  running.push(serve);
  return serve;
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [BUILD]);
  dir = mkdtempSync(join(tmpdir(), 'shortline-bundle-'));
});

afterAll(async () => {
  await Promise.all(running.map((serve) => serve.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

describe('the image bundle', () => {
  let user: UserContainer;
  afterAll(async () => user.close());

  test('serves as the queue-proxy: probes, requests, the autoscaler stats, loading no gateway code', async () => {
    user = await startUserContainer();
    const moduleLog = join(dir, 'modules.txt');
    writeFileSync(moduleLog, '');
    const servingPort = await freePort();
    const serve = serveBundle([], sidecarServeEnv(servingPort, user.port, { NODE_OPTIONS: `--import=${MODULE_LOG_PRELOAD}`, SHORTLINE_MODULE_LOG: moduleLog }));
    const ports = (await serve.logged('shortline serving')) as unknown as { mode: string; stats: number };
    expect(ports.mode).toBe('sidecar');

    const probe = await request(servingPort, { headers: { 'user-agent': 'kube-probe/1.29', 'k-network-probe': 'queue' } });
    expect([probe.status, probe.text]).toEqual([200, 'queue']);
    const reply = await request(servingPort, { path: '/hello' });
    expect([reply.status, reply.text]).toEqual([200, 'ok /hello']);
    const scrape = await request(ports.stats, { path: '/metrics', headers: { accept: 'application/protobuf' } });
    expect(decodeStat(scrape.body)['pod_name']).toBe('hello-00001-deployment-abc');

    const loaded = readFileSync(moduleLog, 'utf8');
    expect(loaded).toContain('/dist/bundle/serve-sidecar-');
    expect(loaded).not.toContain('/dist/bundle/serve-gateway-');
  });

  test('serves as the gateway: finds the revision through the Kubernetes API and routes to its pod', async () => {
    const api = new FakeKubeApi();
    await api.start();
    const pod: FakePod = await startPod(true, 'hello-pod');
    try {
      api.apply(REVISIONS, revision('default', 'hello-00001', 4));
      api.apply(ENDPOINT_SLICES, privateSlice('default', 'hello-00001', [{ ip: '127.0.0.1', port: pod.port }]));
      const kubeconfig = join(dir, 'kubeconfig.json');
      writeFileSync(kubeconfig, api.kubeConfig().exportConfig());
      const config = join(dir, 'gateway.yaml');
      writeFileSync(config, 'mode: gateway\nlisten: { host: 127.0.0.1, port: 0 }\nadmin: { host: 127.0.0.1, port: 0 }\n');
      const serve = serveBundle(['--config', config], { KUBECONFIG: kubeconfig, POD_NAMESPACE: 'shortline', POD_IP: '10.9.0.2', SHORTLINE_GATEWAY_SERVICE: 'shortline-gateway' });
      const { port } = (await serve.logged('shortline serving')) as unknown as { port: number };
      await serve.logged('pod ready: sending it work');

      const reply = await request(port, { path: '/hi', headers: { 'knative-serving-namespace': 'default', 'knative-serving-revision': 'hello-00001' } });
      expect([reply.status, reply.text]).toEqual([200, 'hello-pod /hi']);
    } finally {
      await pod.close();
      await api.stop();
    }
  });

  test('standalone, it finds the embedded default configuration', async () => {
    const serve = serveBundle([], {});
    // The embedded file listens on 127.0.0.1:8012; if something else holds that port here, the
    // refusal to bind still shows the file was found and read (a missing one is a config error).
    const outcome = await serve.logged('shortline serving').then(
      (line) => `serving with ${String(line['config'])}`,
      () => (serve.output().includes('EADDRINUSE') ? `serving with ${EMBEDDED_CONFIG}` : serve.output()),
    );
    expect(outcome).toBe(`serving with ${EMBEDDED_CONFIG}`);
  });
});
