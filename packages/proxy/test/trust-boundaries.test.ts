import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { defaultConfig, EMBEDDED_CONFIG_PATH, parseConfig } from '../src/index.js';
import { useProxyFixture, type TestProxy } from './support/test-proxy.js';

// What a client outside cannot do with Knative's own headers, and what the defaults expose. (In a pod
// the probe headers are answered by the Knative layer: packages/knative/test/trust-knative-headers.)

const repository = new URL('../../../', import.meta.url);
const { backend, client, start } = useProxyFixture();
let proxy: TestProxy | undefined;

describe('Knative headers from a client skip nothing', () => {
  test.each([
    ['K-Proxy-Request: activator (what the activator sends)', { 'k-proxy-request': 'activator' }],
    ['a kubelet probe user agent', { 'user-agent': 'kube-probe/1.30' }],
    ['K-Kubelet-Probe', { 'k-kubelet-probe': 'queue' }],
    ['Knative-Activator-Probe', { 'user-agent': 'Knative-Activator-Probe' }],
  ])('%s: the request waits for a slot in arrival order like any other', async (_name, headers) => {
    proxy = await start({
      scheduler: { policy: 'fifo' },
      functions: [{ name: 'fn', backends: [backend.url], concurrency: 1 }],
    });
    const started = proxy;
    const hold = client.send(`${started.url}/hold?hold`);
    await backend.whenHeld(1);
    const plain = client.send(`${started.url}/plain`);
    await started.whenQueued(1);
    const marked = client.send(`${started.url}/marked`, { headers });
    await started.whenQueued(2);

    backend.release();

    expect((await Promise.all([hold, plain, marked])).map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(backend.paths).toEqual(['/hold', '/plain', '/marked']);
  });
});

describe('listeners outside Kubernetes', () => {
  test('the data and admin listeners bind to loopback by default and in the embedded configuration', () => {
    const embedded = parseConfig(readFileSync(EMBEDDED_CONFIG_PATH, 'utf8'), EMBEDDED_CONFIG_PATH);
    for (const config of [defaultConfig(), embedded]) {
      expect([config.listen.host, config.admin.host]).toEqual(['127.0.0.1', '127.0.0.1']);
    }
  });

  test('nobody is trusted to send scheduling hints by default', () => {
    expect(defaultConfig().trust.trustedSources).toEqual([]);
  });
});

describe('the container', () => {
  test('the image runs as a numeric non-root user', () => {
    const dockerfile = readFileSync(new URL('Dockerfile', repository), 'utf8');
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)\s*$/gm)].map((match) => match[1] ?? '');
    expect(users.length).toBeGreaterThan(0);
    const finalUser = users[users.length - 1] ?? '';
    expect(finalUser).toMatch(/^\d+(:\d+)?$/);
    expect(Number(finalUser.split(':')[0])).toBeGreaterThan(0);
  });

  test('the gateway Deployment runs every container non-root, on a read-only root filesystem, without privilege escalation or capabilities', () => {
    const deployment = parse(readFileSync(new URL('k8s/base/deployment.yaml', repository), 'utf8')) as {
      spec: { template: { spec: { securityContext?: { runAsNonRoot?: boolean }; containers: { name: string; securityContext?: Record<string, unknown> }[] } } };
    };
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.containers.length).toBeGreaterThan(0);
    for (const container of pod.containers) {
      expect({ name: container.name, ...container.securityContext }).toMatchObject({
        name: container.name,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
  });
});
