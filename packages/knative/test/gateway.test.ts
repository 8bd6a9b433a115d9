import { describe, expect, it } from '@jest/globals';
import { DEADLINE_ANNOTATION, PRIORITY_ANNOTATION } from '@shortline/knative';
import { Changes } from '../../proxy/test/support/changes.js';
import { CONFIG_MAPS, ENDPOINT_SLICES, FakeKubeApi, REVISIONS, ROUTES } from './support/fake-kube-api.js';
import { GATEWAY_RETRY_DELAY_MS, startGateway, type RunningGateway } from './support/gateway-fixture.js';
import { releaseUntil, releaseUntilAnswered } from './support/held-requests.js';
import { request, type Reply } from './support/http.js';
import { configMap, privateSlice, revision, route, startPod, type FakePod } from './support/knative-fixtures.js';
import { useCleanups } from './support/cleanups.js';

// Gateway mode end to end: the real client-node discovering from an in-process list/watch server,
// the proxy scheduling requests across the revision pods it finds, real sockets throughout, on
// manual time. The gateway's log says when a pod joins or leaves, which the tests await.

const POD_JOINED = 'pod ready: sending it work';
const POD_LEFT = 'pod left: no new work for it';

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

const podUrl = (p: FakePod): string => `http://127.0.0.1:${p.port}`;

const forRevision = (namespace: string, name: string) => ({ 'knative-serving-namespace': namespace, 'knative-serving-revision': name });

describe('routing to revision pods', () => {
  it('finds the revision by Host or by its headers and sends to a probed pod as the activator does', async () => {
    const api = await fakeApi();
    const a = await pod('a');
    api.apply(REVISIONS, revision('ns', 'hello-00001', 4, 60));
    api.apply(ROUTES, route('ns', 'hello', [{ revisionName: 'hello-00001', percent: 100 }]));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'hello-00001', a));
    const { gateway: running, ports, logs } = await gateway(api);
    await logs.logged(POD_JOINED);
    expect(running.shortline.backends.ids()).toEqual([backendId('ns/hello-00001', a)]);
    expect(a.probes).toBe(1);

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
    const { gateway: running, ports, logs, lifecycle } = await gateway(api);
    await logs.counted(POD_JOINED, 2);
    expect(running.shortline.debugSnapshot().pools.find((p) => p.name === 'ns/r')?.loadBalancing).toBe('first-available');

    const replies = [1, 2, 3].map((i) => request(ports.port, { path: `/hold/${i}`, headers: forRevision('ns', 'r') }));
    await lifecycle.when(() => lifecycle.queued === 3);
    await Promise.all([a.when(() => a.held === 1), b.when(() => b.held === 1)]);
    expect([a.held, b.held, running.shortline.scheduler.waiting]).toEqual([1, 1, 1]);
    expect((await releaseUntilAnswered([a, b], replies)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(Math.max(a.maxInFlight, b.maxInFlight)).toBe(1);
  });
});

describe('scheduling settings from revision annotations', () => {
  it('serves a revision annotated priority high before waiting ones of another, carries its deadline, and follows edits', async () => {
    const api = await fakeApi();
    const p = await pod('p');
    api.apply(REVISIONS, revision('ns', 'batch', 4));
    api.apply(REVISIONS, revision('ns', 'urgent', 4, 300, { [PRIORITY_ANNOTATION]: 'high', [DEADLINE_ANNOTATION]: '500' }));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'batch', p));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'urgent', p));
    // One slot across both revisions (scheduler.maxInFlight), so that their calls compete for it.
    const { gateway: running, ports, logs, lifecycle } = await gateway(api, { scheduler: { maxInFlight: 1 } });
    await logs.counted(POD_JOINED, 2);
    const functionOf = (name: string) => running.shortline.debugSnapshot().functions.find((fn) => fn.name === name);
    expect(functionOf('ns/urgent')).toMatchObject({ priority: 'high', deadlineMs: 500 });
    expect(functionOf('ns/batch')).toMatchObject({ priority: 'normal', deadlineMs: 0 });

    // A batch call takes the slot; two more batch calls wait, then an urgent one.
    const replies = [request(ports.port, { path: '/hold/batch-0', headers: forRevision('ns', 'batch') })];
    await p.when(() => p.held === 1);
    for (const [index, name] of ['batch-1', 'batch-2', 'urgent-1'].entries()) {
      const revisionName = name.split('-')[0] as string;
      replies.push(request(ports.port, { path: `/hold/${name}`, headers: forRevision('ns', revisionName) }));
      await lifecycle.when(() => running.shortline.scheduler.waiting === index + 1);
    }
    expect((await releaseUntilAnswered([p], replies)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(p.received.map((r) => r.url)).toEqual(['/hold/batch-0', '/hold/urgent-1', '/hold/batch-1', '/hold/batch-2']);

    // An edit of the Service template makes a new revision in Knative; an edited revision is followed too.
    api.apply(REVISIONS, revision('ns', 'urgent', 4, 300, { [PRIORITY_ANNOTATION]: 'low', [DEADLINE_ANNOTATION]: 'soon' }));
    const ignored = await logs.logged('revision annotation ignored (its value is not valid): the default applies');
    expect(ignored).toMatchObject({ revision: 'ns/urgent', annotation: DEADLINE_ANNOTATION, value: 'soon' });
    expect(functionOf('ns/urgent')).toMatchObject({ priority: 'low', deadlineMs: 0 });
  });
});

describe('pods and revisions coming and going', () => {
  it('keeps answering under load while pods join and leave: every request answered once, none lost', async () => {
    const api = await fakeApi();
    const [a, b, c] = [await pod('a'), await pod('b'), await pod('c')];
    api.apply(REVISIONS, revision('ns', 'r', 2));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', a));
    const { gateway: running, ports, logs } = await gateway(api);
    const backends = running.shortline.backends;
    await logs.logged(POD_JOINED);

    // A bounded closed loop: 8 clients, 60 requests, against 2 slots per pod, so requests always
    // wait in the queue. The pods hold each request until the test releases it.
    const total = 60;
    const replies: Reply[] = [];
    const answered = new Changes();
    const repliesReach = (count: number): Promise<void> => answered.when(() => replies.length >= count);
    let next = 0;
    const client = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        replies.push(await request(ports.port, { path: `/hold/${i}`, headers: forRevision('ns', 'r') }));
        answered.notify();
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, client));
    const pods = [a, b, c];

    await releaseUntil(pods, repliesReach(10));
    // Pod b joins while requests wait: it takes some at once.
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', b));
    await logs.logged(POD_JOINED, (line) => line['pod'] === podUrl(b));
    await b.when(() => b.held === 2);
    await releaseUntil(pods, repliesReach(25));
    // Pod a leaves with requests in flight: they finish; every request from here on arrives after.
    api.delete(ENDPOINT_SLICES, 'ns', 'r-a');
    await logs.logged(POD_LEFT, (line) => line['backend'] === backendId('ns/r', a));
    expect(backends.ids()).toEqual([backendId('ns/r', b)]);
    const firstAfterLeaving = next;
    await releaseUntil(pods, repliesReach(40));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', c));
    await logs.logged(POD_JOINED, (line) => line['pod'] === podUrl(c));
    await releaseUntil(pods, load);

    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    const served = [a, b, c].flatMap((p) => p.received.map((req) => req.url));
    expect(served).toHaveLength(total);
    expect(new Set(served).size).toBe(total);
    // No new work for a pod once it left; the ones that joined took their share; no pod over its CC.
    const index = (url: string | undefined): number => Number(/^\/hold\/(\d+)/.exec(url ?? '')?.[1]);
    expect(a.received.filter((req) => index(req.url) >= firstAfterLeaving)).toEqual([]);
    expect(b.received.length).toBeGreaterThan(0);
    expect(c.received.length).toBeGreaterThan(0);
    expect(Math.max(a.maxInFlight, b.maxInFlight, c.maxInFlight)).toBe(2);
  });

  it('holds requests for a revision with no ready pod until one appears, up to its timeout', async () => {
    const api = await fakeApi();
    const a = await pod('a');
    api.apply(REVISIONS, revision('ns', 'waiting', 2, 30));
    api.apply(REVISIONS, revision('ns', 'never', 2, 1));
    const { gateway: running, ports, timers, lifecycle } = await gateway(api);

    // t=0: a request for each; no pod for either, so both wait.
    const held = request(ports.port, { path: '/first', headers: forRevision('ns', 'waiting') });
    const timedOut = request(ports.port, { path: '/never', headers: forRevision('ns', 'never') });
    await lifecycle.when(() => lifecycle.queued === 2);
    expect(running.shortline.scheduler.waiting).toBe(2);
    // A pod of the first revision appears: its request goes to it.
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'waiting', a));
    expect(await held).toMatchObject({ status: 200, text: 'a /first' });
    // t=999: the other still waits within its revision's one-second timeout...
    timers.advance(999);
    expect(running.shortline.scheduler.waiting).toBe(1);
    // t=1000: ...and then it is over.
    timers.advance(1);
    const expired = await timedOut;
    expect([expired.status, expired.headers['x-shortline-reason']]).toEqual([504, 'deadline']);
  });

  it('answers 503 to the requests waiting for a revision that is deleted', async () => {
    const api = await fakeApi();
    api.apply(REVISIONS, revision('ns', 'doomed', 1));
    const { gateway: running, ports, lifecycle } = await gateway(api);
    const waiting = request(ports.port, { path: '/x', headers: forRevision('ns', 'doomed') });
    await lifecycle.when(() => lifecycle.queued === 1);
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
    const { ports, timers, logs } = await gateway(api);
    await logs.logged(POD_JOINED);
    const watches = api.openWatches;
    // The API server goes away: the four discovery watches and the ConfigMap's fail, and each
    // retries in 10 ms of the gateway's time.
    await api.goDown();
    await logs.counted('Kubernetes API: list/watch failed; retrying, routing on the last known state', 4);
    await logs.counted('Kubernetes API: cannot watch the ConfigMap; retrying', 1);
    expect([timers.pendingCount, timers.nextDueMs()]).toEqual([5, GATEWAY_RETRY_DELAY_MS]);
    const replies = await Promise.all([1, 2, 3].map((i) => request(ports.port, { path: `/during-outage/${i}`, headers: forRevision('ns', 'r') })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    // It comes back; at the retry every watch is open again.
    await api.comeBack();
    timers.advance(GATEWAY_RETRY_DELAY_MS);
    await api.when(() => api.openWatches === watches);
    expect(watches).toBe(5);
  });
});

describe('configuration from the ConfigMap, through the API', () => {
  it('applies a valid edit, refuses an invalid one (counted), and keeps the last good one', async () => {
    const api = await fakeApi();
    const { gateway: running, ports, logs } = await gateway(api);
    const yaml = (policy: string) => `mode: gateway\nlisten: { host: 127.0.0.1, port: 0 }\nadmin: { host: 127.0.0.1, port: 0 }\nscheduler: { policy: ${policy} }\n`;
    expect(running.shortline.config.scheduler.policy).toBe('aging-srtf');

    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': yaml('fifo') }));
    await logs.logged('configuration applied', (line) => line['policy'] === 'fifo');
    expect(running.shortline.config.scheduler.policy).toBe('fifo');
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': yaml('shortest-first-please') }));
    await logs.logged('configuration refused; the previous one stays in force');
    const metrics = (await request(ports.adminPort, { path: '/metrics' })).text;
    expect(metrics).toContain('shortline_config_reloads_total{result="invalid"} 1');
    expect(running.shortline.config.scheduler.policy).toBe('fifo');
  });
});

describe('readiness and drain', () => {
  it('is ready once discovery has synced; on drain readiness fails and held requests still finish', async () => {
    const api = await fakeApi();
    const a = await pod('a');
    api.apply(REVISIONS, revision('ns', 'r', 2));
    api.apply(ENDPOINT_SLICES, podSlice('ns', 'r', a));
    const { gateway: running, ports, timers, logs } = await gateway(api, { drain: { quietPeriodMs: 100 } });
    await logs.logged(POD_JOINED);
    expect((await request(ports.adminPort, { path: '/readyz' })).status).toBe(200);
    const inFlight = request(ports.port, { path: '/hold/in-flight', headers: forRevision('ns', 'r') });
    await a.when(() => a.held === 1);

    // t=0: the drain starts: readiness fails at once; requests are still served, each restarting the quiet period.
    const drained = running.drain();
    expect((await request(ports.adminPort, { path: '/readyz' })).status).toBe(503);
    expect((await request(ports.port, { path: '/during', headers: forRevision('ns', 'r') })).status).toBe(200);
    // t=99: not quiet yet: still served.
    timers.advance(99);
    expect((await request(ports.port, { path: '/at-99', headers: forRevision('ns', 'r') })).status).toBe(200);
    // t=199: quiet. The data port closes; the proxy waits for the request it holds.
    timers.advance(100);
    await logs.logged('draining');
    await expect(request(ports.port, { path: '/after', headers: forRevision('ns', 'r') })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    a.release();
    expect((await inFlight).status).toBe(200);
    await drained;
  });
});
