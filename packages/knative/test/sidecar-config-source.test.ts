import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSidecar, type KnativeEnv, type SidecarConfigSourceSettings, type SidecarPorts, type Sidecar } from '@shortline/knative';
import { defaultConfig, ManualTimers } from '@shortline/proxy';
import { useCleanups } from './support/cleanups.js';
import { CONFIG_MAPS, FakeKubeApi } from './support/fake-kube-api.js';
import { request, type Reply } from './support/http.js';
import { configMap } from './support/knative-fixtures.js';
import { LifecycleCounts } from './support/lifecycle-counts.js';
import { capturedLogger } from './support/captured-logger.js';
import type { LogLines } from './support/log-lines.js';
import { sidecarEnv } from './support/sidecar-fixture.js';
import { startUserContainer, type UserContainer } from './support/user-container.js';

// A sidecar with no configuration file follows `config-shortline` in its namespace through the
// Kubernetes API (a real list/watch server here), once its listeners are up. On manual time: a
// retry after the API failed waits until the test moves the clock.

const APPLIED = 'configuration applied';
const REFUSED = 'configuration refused; the previous one stays in force';
const OUTAGE = 'cannot read the cluster configuration; serving on the configuration in force and retrying';
/**
 * The stream's first retry delay, and its longest (a refusal waits that long at once): longer than
 * the calls a test serves meanwhile (`takesMs`), so that no retry falls due while it serves them.
 */
const RETRY_MS = 10_000;
const MAX_RETRY_MS = 60_000;

const defer = useCleanups();

/** Two request classes of the user container: one predicted short, one long, under `policy`. */
function classes(policy: string): string {
  return [
    `scheduler: { policy: ${policy} }`,
    'pools: [{ name: user-container, backends: ["http://127.0.0.1:8080"] }]',
    'functions:',
    '  - { name: short, match: { pathPrefix: /hold/short }, pool: user-container, expectedDurationMs: 10 }',
    '  - { name: long, match: { pathPrefix: /hold/long }, pool: user-container, expectedDurationMs: 60000 }',
    '',
  ].join('\n');
}

interface Running {
  readonly sidecar: Sidecar;
  readonly ports: SidecarPorts;
  readonly user: UserContainer;
  readonly logs: LogLines;
  readonly timers: ManualTimers;
  readonly lifecycle: LifecycleCounts;
  /** Holds the pod's service-account token file. */
  readonly dir: string;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shortline-config-source-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A sidecar on 127.0.0.1 in front of a user container with containerConcurrency 1, no file config. */
async function startSidecar(apiUrl: string, files: { token?: string; annotations?: string } = {}): Promise<Running> {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'token'), files.token ?? 'token-1');
  if (files.annotations !== undefined) writeFileSync(path.join(dir, 'annotations'), files.annotations);
  const user = await startUserContainer();
  defer(() => user.close());
  const env: KnativeEnv = sidecarEnv(user.port, { CONTAINER_CONCURRENCY: '1' });
  const configSource: SidecarConfigSourceSettings = {
    api: { url: apiUrl, tokenFile: path.join(dir, 'token'), caFile: path.join(dir, 'no-ca.crt') },
    namespace: 'default',
    configMap: 'config-shortline',
    keys: ['hello.yaml', 'config.yaml'],
    podAnnotationsFile: path.join(dir, 'annotations'),
    retryDelayMs: RETRY_MS,
    maxRetryDelayMs: MAX_RETRY_MS,
  };
  const { logger, logs } = capturedLogger();
  const timers = new ManualTimers();
  const sidecar = createSidecar({
    env,
    config: defaultConfig({ logging: { level: 'info' } }),
    listeners: { host: '127.0.0.1', admin: 0, stats: 0, metrics: 0, certDirectory: '/nonexistent' },
    logger,
    processMetrics: false,
    configSource,
    timers,
  });
  defer(() => sidecar.close());
  const lifecycle = new LifecycleCounts(sidecar.shortline);
  return { sidecar, ports: await sidecar.listen(), user, logs, timers, lifecycle, dir };
}

/** Resolves once a configuration with this policy has been applied. */
function applied(running: Running, policy: string): Promise<unknown> {
  return running.logs.logged(APPLIED, (line) => line['policy'] === policy);
}

/** How long the user container takes for a call of each class, on the sidecar's clock. */
const takesMs = (url: string): number => (url.startsWith('/hold/long/') ? 1000 : 10);

/**
 * The order in which the user container receives `first` (sent alone, it takes the one slot) and then
 * `queued` (sent while it runs, so they wait): each answered, one at a time, once its time has passed,
 * so that the proxy learns what each class takes.
 */
async function orderServed(running: Running, first: string, queued: readonly string[]): Promise<string[]> {
  const { ports, user, sidecar, lifecycle, timers } = running;
  const start = user.received.length;
  const queuedBefore = lifecycle.queued;
  const replies: Promise<Reply>[] = [request(ports.serving, { path: first })];
  await user.when(() => user.held === 1);
  for (const [i, path] of queued.entries()) {
    replies.push(request(ports.serving, { path }));
    await lifecycle.when(() => lifecycle.queued === queuedBefore + i + 2);
  }
  expect(sidecar.shortline.scheduler.waiting).toBe(queued.length);
  for (const _ of replies) {
    await user.when(() => user.held === 1);
    timers.advance(takesMs(user.received.at(-1)?.url ?? ''));
    user.release();
  }
  expect((await Promise.all(replies)).map((r) => r.status)).toEqual(replies.map(() => 200));
  return user.received.slice(start).map((r) => r.url);
}

async function reloads(sidecar: Sidecar, result: 'ok' | 'invalid'): Promise<number> {
  const metric = await sidecar.shortline.registry.getSingleMetric('shortline_config_reloads_total')?.get();
  return metric?.values.find((v) => v.labels['result'] === result)?.value ?? 0;
}

async function runningApi(): Promise<FakeKubeApi> {
  const api = new FakeKubeApi();
  await api.start();
  defer(() => api.stop());
  return api;
}

describe('a sidecar without a configuration file follows config-shortline in its namespace', () => {
  it('a change to the ConfigMap reaches the running sidecar and reorders its queue', async () => {
    const api = await runningApi();
    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': classes('fifo') }));
    const running = await startSidecar(`http://127.0.0.1:${api.port}`);
    await applied(running, 'fifo');

    // FIFO, from the ConfigMap: the short call waits behind the long one that came first.
    expect(await orderServed(running, '/hold/long/a', ['/hold/long/b', '/hold/short/c'])).toEqual(['/hold/long/a', '/hold/long/b', '/hold/short/c']);

    // The operator switches the policy: the next short call overtakes the long one waiting.
    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': classes('sept') }));
    await applied(running, 'sept');
    expect(await orderServed(running, '/hold/long/d', ['/hold/long/e', '/hold/short/f'])).toEqual(['/hold/long/d', '/hold/short/f', '/hold/long/e']);

    expect(await reloads(running.sidecar, 'ok')).toBe(2);
    // Read with the pod's service-account token, through the one ConfigMap's name.
    expect(api.requests.every((r) => r.path === '/api/v1/namespaces/default/configmaps' && r.authorization === 'Bearer token-1')).toBe(true);
  });

  it('a key named after the service wins over config.yaml', async () => {
    const api = await runningApi();
    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': classes('fifo'), 'hello.yaml': classes('hrrn') }));
    const running = await startSidecar(`http://127.0.0.1:${api.port}`);
    await applied(running, 'hrrn');
    expect(running.sidecar.shortline.config.scheduler.policy).toBe('hrrn');
  });

  it('an invalid ConfigMap is refused, counted and logged as its lines without a stack trace; the last good one stays', async () => {
    const api = await runningApi();
    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': classes('sept') }));
    const running = await startSidecar(`http://127.0.0.1:${api.port}`);
    await applied(running, 'sept');

    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': 'scheduler: { policy: lifo, maxQueued: -1 }\n' }));
    const refused = (await running.logs.logged(REFUSED)) as { err?: { message: string; stack?: string } };

    expect(await reloads(running.sidecar, 'invalid')).toBe(1);
    expect(refused.err?.stack).toBeUndefined();
    expect(refused.err?.message.split('\n')).toEqual([
      'invalid configuration configmap default/config-shortline config.yaml (2 problems):',
      expect.stringMatching(/^configmap default\/config-shortline config\.yaml: scheduler\.policy: /),
      expect.stringMatching(/^configmap default\/config-shortline config\.yaml: scheduler\.maxQueued: /),
    ]);
    expect(running.sidecar.shortline.config.scheduler.policy).toBe('sept');
    expect(await orderServed(running, '/hold/long/a', ['/hold/long/b', '/hold/short/c'])).toEqual(['/hold/long/a', '/hold/short/c', '/hold/long/b']);
  });

  it('with the API unreachable it serves on the last good configuration, and picks up changes once it is back', async () => {
    const api = await runningApi();
    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': classes('sept') }));
    const running = await startSidecar(`http://127.0.0.1:${api.port}`);
    await applied(running, 'sept');

    // The API goes away: the watch fails, said once, and is retried 10 s later; requests go on.
    await api.goDown();
    await running.logs.logged(OUTAGE);
    expect(await orderServed(running, '/hold/long/a', ['/hold/long/b', '/hold/short/c'])).toEqual(['/hold/long/a', '/hold/short/c', '/hold/long/b']);

    // A change is made meanwhile; the API comes back; the retry lists it.
    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': classes('fifo') }));
    await api.comeBack();
    running.timers.advance(RETRY_MS);
    await applied(running, 'fifo');
    expect(running.logs.count(OUTAGE)).toBe(1);
    await running.logs.logged('the cluster configuration can be read again');
  });

  it('unreachable from the start, it serves on the embedded configuration until the ConfigMap can be read', async () => {
    const api = await runningApi();
    await api.goDown();
    const running = await startSidecar(`http://127.0.0.1:${api.port}`);
    await running.logs.logged(OUTAGE);

    // The built-in configuration: one function for the whole revision, so arrival order.
    expect(running.sidecar.shortline.config.functions.map((fn) => fn.name)).toEqual(['hello-00001']);
    expect(await orderServed(running, '/hold/long/a', ['/hold/long/b', '/hold/short/c'])).toEqual(['/hold/long/a', '/hold/long/b', '/hold/short/c']);

    // It comes back; the retry reads the ConfigMap.
    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': classes('sept') }));
    await api.comeBack();
    running.timers.advance(RETRY_MS);
    await applied(running, 'sept');
    expect(await orderServed(running, '/hold/long/d', ['/hold/long/e', '/hold/short/f'])).toEqual(['/hold/long/d', '/hold/short/f', '/hold/long/e']);
  });

  it('a namespace that did not grant the read (403) serves on the built-in configuration and says how to opt in', async () => {
    const api = await runningApi();
    api.forbid(CONFIG_MAPS);
    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': classes('sept') }));
    const running = await startSidecar(`http://127.0.0.1:${api.port}`);
    const refusal = await running.logs.logged(OUTAGE, (line) => line['status'] === 403);
    expect(refusal['hint']).toContain('k8s/overlays/sidecar-config');
    expect(running.sidecar.shortline.config.scheduler.policy).toBe('aging-srtf');

    // The Role is applied later: the next retry, after the longest delay (a refusal waits that long at once), reads it.
    api.allow(CONFIG_MAPS);
    running.timers.advance(MAX_RETRY_MS);
    await applied(running, 'sept');
  });

  it(`a revision annotated shortline.dev/config-source: "off" never asks the API`, async () => {
    const api = await runningApi();
    api.apply(CONFIG_MAPS, configMap('default', 'config-shortline', { 'config.yaml': classes('fifo') }));
    const running = await startSidecar(`http://127.0.0.1:${api.port}`, {
      annotations: 'autoscaling.knative.dev/target="10"\nshortline.dev/config-source="off"\n',
    });
    await running.logs.logged('the revision opted out of the cluster configuration: serving on the built-in configuration');
    expect(api.requests).toEqual([]);
    expect(running.sidecar.shortline.config.scheduler.policy).toBe('aging-srtf');
  });

  it('a rotated service-account token is used from the next request on', async () => {
    const api = await runningApi();
    const running = await startSidecar(`http://127.0.0.1:${api.port}`, { token: 'token-1' });
    await api.when(() => api.openWatches === 1);

    writeFileSync(path.join(running.dir, 'token'), 'token-2\n');
    api.dropWatches();
    await api.when(() => api.requests.some((r) => r.authorization === 'Bearer token-2'));
    expect(api.requests.map((r) => r.authorization)).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });
});

describe('the sidecar configuration source stays light', () => {
  const SOURCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/config-source');

  it('imports no Kubernetes client library (the sidecar must start fast and small)', () => {
    const imports = readdirSync(SOURCE).flatMap((file) =>
      [...readFileSync(path.join(SOURCE, file), 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1] as string),
    );
    expect(imports.filter((name) => !name.startsWith('.') && !name.startsWith('node:'))).toEqual(expect.not.arrayContaining(['@kubernetes/client-node']));
    expect(imports.filter((name) => name.includes('kube/') && !name.endsWith('config-map-names.js'))).toEqual([]);
  });
});
