import { describe, expect, it } from '@jest/globals';
import { CONFIG_MAPS, ENDPOINT_SLICES, FakeKubeApi, REVISIONS, ROUTES } from './support/fake-kube-api.js';
import { startGateway, type RunningGateway } from './support/gateway-fixture.js';
import { request, until, type Reply } from './support/http.js';
import { configMap, privateSlice, revision, route, startPod, type FakePod } from './support/knative-fixtures.js';
import { useCleanups } from './support/cleanups.js';

// Gateway mode end to end: the real client-node discovering from an in-process list/watch server,
// the proxy scheduling requests across the revision pods it finds, real sockets throughout.

const defer = useCleanups();

async function fakeApi(): Promise<FakeKubeApi> {
  const api = new FakeKubeApi();
  await api.start();
  defer(() => api.stop());
  return api;
}

async function pod(name: string): Promise<FakePod> {
  const started = await startPod(true, name);
  defer(() => started.close());
  return started;
}

async function gateway(api: FakeKubeApi, config = {}): Promise<RunningGateway> {
  const running = await startGateway(api, config);
  defer(() => running.gateway.close());
  return running;
}

/** Each pod in a slice of its own (each has its own port). */
function podSlice(namespace: string, revisionName: string, p: FakePod): Parameters<FakeKubeApi['apply']>[1] {
  return privateSlice(namespace, revisionName, [{ ip: '127.0.0.1', port: p.port }], `${revisionName}-${p.name}`);
}

function backendId(key: string, p: FakePod): string {
  return `${key}@127.0.0.1:${p.port}`;
}

const forRevision = (namespace: string, name: string) => ({ 'knative-serving-namespace': namespace, 'knative-serving-revision': name });

describe('routing to revision pods', () => {
  it('finds the revision by Host or by its headers and sends to a probed pod as the activator does', async () => {
    const api = await fakeApi();
    const a = await pod('a');
    api.apply(REVISIONS, revision('ns', 'hello-00001', 4, 60));
    api.apply(ROUTES, route('ns', 'hello', [{ revisionName: 'hello-00001', percent: 100 }]));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'hello-00001', a));
    const { gateway: running, ports } = await gateway(api);
    await until(() => running.shortline.backends.ids().length === 1, 'the pod probed and in rotation');
    expect(a.probes).toBeGreaterThan(0);

    const byHost = await request(ports.port, { path: '/greet', headers: { host: 'hello.ns.example.com' } });
    const byHeaders = await request(ports.port, { path: '/greet?x=1', headers: forRevision('ns', 'hello-00001') });
    const unknown = await request(ports.port, { path: '/greet', headers: { host: 'nobody.ns.example.com' } });
    expect([byHost.status, byHost.text]).toEqual([200, 'a /greet']);
    expect([byHeaders.status, byHeaders.text]).toEqual([200, 'a /greet?x=1']);
    expect(unknown.status).toBe(404);

    const [first] = a.received;
    expect(first?.headers['k-proxy-request']).toBe('activator');
    expect(first?.headers['k-original-host']).toBe('hello.ns.example.com');
    expect(first?.headers.host).toBe(`127.0.0.1:${a.port}`);
  });

  it("gives each pod at most its containerConcurrency and queues the rest, first-available for small CC", async () => {
    const api = await fakeApi();
    const [a, b] = [await pod('a'), await pod('b')];
    api.apply(REVISIONS, revision('ns', 'r', 1));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', a));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', b));
    const { gateway: running, ports } = await gateway(api);
    await until(() => running.shortline.backends.ids().length === 2, 'both pods in rotation');
    expect(running.shortline.debugSnapshot().pools.find((p) => p.name === 'ns/r')?.loadBalancing).toBe('first-available');

    const replies = [1, 2, 3].map((i) => request(ports.port, { path: `/hold/${i}`, headers: forRevision('ns', 'r') }));
    await until(() => a.held + b.held === 2 && running.shortline.scheduler.waiting === 1, 'two running, one waiting');
    expect([a.held, b.held]).toEqual([1, 1]);
    while ((await Promise.race([Promise.all(replies).then(() => true), new Promise((r) => setTimeout(() => r(false), 5))])) === false) {
      a.release();
      b.release();
    }
    expect((await Promise.all(replies)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(Math.max(a.maxInFlight, b.maxInFlight)).toBe(1);
  });
});

describe('pods and revisions coming and going', () => {
  it('keeps answering under load while pods join and leave: every request answered once, none lost', async () => {
    const api = await fakeApi();
    const [a, b, c] = [await pod('a'), await pod('b'), await pod('c')];
    api.apply(REVISIONS, revision('ns', 'r', 2));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', a));
    const { gateway: running, ports } = await gateway(api);
    const backends = running.shortline.backends;
    await until(() => backends.ids().length === 1, 'pod a in rotation');

    // A bounded closed loop: 8 clients, 60 requests of 5 ms, against 2 slots per pod.
    const total = 60;
    const replies: Reply[] = [];
    let next = 0;
    const client = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        replies.push(await request(ports.port, { path: `/work/${i}?ms=5`, headers: forRevision('ns', 'r') }));
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, client));

    await until(() => replies.length >= 10, '10 answered');
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', b));
    await until(() => backends.ids().includes(backendId('ns/r', b)), 'pod b joined');
    await until(() => replies.length >= 25, '25 answered');
    api.delete(ENDPOINT_SLICES, 'ns', 'r-a');
    await until(() => !backends.ids().includes(backendId('ns/r', a)), 'pod a left');
    // Every request from here on arrives after pod a left.
    const firstAfterLeaving = next;
    await until(() => replies.length >= 40, '40 answered');
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', c));
    await load;

    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    const served = [a, b, c].flatMap((p) => p.received.map((req) => req.url));
    expect(served).toHaveLength(total);
    expect(new Set(served).size).toBe(total);
    // No new work for a pod once it left; the one that joined took its share; no pod over its CC.
    const index = (url: string | undefined): number => Number(/^\/work\/(\d+)/.exec(url ?? '')?.[1]);
    expect(a.received.filter((req) => index(req.url) >= firstAfterLeaving)).toEqual([]);
    expect(b.received.length).toBeGreaterThan(0);
    expect(Math.max(a.maxInFlight, b.maxInFlight, c.maxInFlight)).toBeLessThanOrEqual(2);
  });

  it('holds requests for a revision with no ready pod until one appears, up to its timeout', async () => {
    const api = await fakeApi();
    const a = await pod('a');
    api.apply(REVISIONS, revision('ns', 'waiting', 2, 30));
    api.apply(REVISIONS, revision('ns', 'never', 2, 1));
    const { gateway: running, ports } = await gateway(api);

    const held = request(ports.port, { path: '/first', headers: forRevision('ns', 'waiting') });
    const timedOut = request(ports.port, { path: '/never', headers: forRevision('ns', 'never') });
    await until(() => running.shortline.scheduler.waiting === 2, 'both held');
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'waiting', a));
    expect(await held).toMatchObject({ status: 200, text: 'a /first' });
    const expired = await timedOut;
    expect([expired.status, expired.headers['x-shortline-reason']]).toEqual([504, 'deadline']);
  });

  it('answers 503 to the requests waiting for a revision that is deleted', async () => {
    const api = await fakeApi();
    api.apply(REVISIONS, revision('ns', 'doomed', 1));
    const { gateway: running, ports } = await gateway(api);
    const waiting = request(ports.port, { path: '/x', headers: forRevision('ns', 'doomed') });
    await until(() => running.shortline.scheduler.waiting === 1, 'held');
    api.delete(REVISIONS, 'ns', 'doomed');
    const reply = await waiting;
    expect([reply.status, reply.headers['x-shortline-reason']]).toEqual([503, 'function-removed']);
    expect(running.shortline.debugSnapshot().pools.map((p) => p.name)).toEqual([]);
  });

  it('keeps routing on the last known endpoints while the API server is unreachable', async () => {
    const api = await fakeApi();
    const a = await pod('a');
    api.apply(REVISIONS, revision('ns', 'r', 2));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', a));
    const { gateway: running, ports } = await gateway(api);
    await until(() => running.shortline.backends.ids().length === 1, 'pod a in rotation');
    await api.goDown();
    const replies = await Promise.all([1, 2, 3].map((i) => request(ports.port, { path: `/during-outage/${i}`, headers: forRevision('ns', 'r') })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    await api.comeBack();
    await until(() => api.openWatches > 0, 'the watches reconnected');
  });
});

describe('configuration from the ConfigMap, through the API', () => {
  it('applies a valid edit, refuses an invalid one (counted), and keeps the last good one', async () => {
    const api = await fakeApi();
    const { gateway: running, ports } = await gateway(api);
    const yaml = (policy: string) => `mode: gateway\nlisten: { host: 127.0.0.1, port: 0 }\nadmin: { host: 127.0.0.1, port: 0 }\nlogging: { level: silent }\nscheduler: { policy: ${policy} }\n`;
    expect(running.shortline.config.scheduler.policy).toBe('aging-srtf');

    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': yaml('fifo') }));
    await until(() => running.shortline.config.scheduler.policy === 'fifo', 'the fifo policy applied');
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': yaml('shortest-first-please') }));
    const invalidReloads = async (): Promise<string | undefined> =>
      /shortline_config_reloads_total\{result="invalid"\} (\d+)/.exec((await request(ports.adminPort, { path: '/metrics' })).text)?.[1];
    for (let tries = 0; tries < 500 && (await invalidReloads()) === undefined; tries++) await new Promise((r) => setTimeout(r, 5));
    expect(await invalidReloads()).toBe('1');
    expect(running.shortline.config.scheduler.policy).toBe('fifo');
  });
});

describe('readiness and drain', () => {
  it('is ready once discovery has synced; on drain readiness fails and held requests still finish', async () => {
    const api = await fakeApi();
    const a = await pod('a');
    api.apply(REVISIONS, revision('ns', 'r', 2));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', a));
    const { gateway: running, ports } = await gateway(api, { drain: { quietPeriodMs: 100 } });
    await until(() => running.shortline.backends.ids().length === 1, 'pod a in rotation');
    expect((await request(ports.adminPort, { path: '/readyz' })).status).toBe(200);

    const inFlight = request(ports.port, { path: '/hold/in-flight', headers: forRevision('ns', 'r') });
    await until(() => a.held === 1, 'a request in flight');
    const drained = running.drain();
    expect((await request(ports.adminPort, { path: '/readyz' })).status).toBe(503);
    const during = await request(ports.port, { path: '/during', headers: forRevision('ns', 'r') });
    expect(during.status).toBe(200);
    await until(() => running.shortline.draining, 'the quiet period over');
    a.release();
    expect((await inFlight).status).toBe(200);
    await drained;
  });
});
