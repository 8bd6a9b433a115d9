import { describe, expect, it } from '@jest/globals';
import { Scheduler, type InvocationRequest } from '@shortline/core';
import type { IncomingMessage } from 'node:http';
import { createGatewayDiscovery, createRevisionClassifier, type GatewayDiscovery, type GatewayTopology, type TopologyChange } from '@shortline/knative';
import { ENDPOINT_SLICES, ENDPOINTS, FakeKubeApi, REVISIONS, ROUTES } from './support/fake-kube-api.js';
import {
  gatewayEndpoints,
  gatewaySlice,
  privateEndpoints,
  privateSlice,
  revision,
  route,
  startPod,
  type FakePod,
} from './support/knative-fixtures.js';
import { AwaitableTimers } from './support/awaitable-timers.js';
import { useCleanups } from './support/cleanups.js';
import { Changes } from '../../proxy/test/support/changes.js';

const SELF_IP = '10.9.0.2';

const defer = useCleanups();

async function fakeApi(): Promise<FakeKubeApi> {
  const api = new FakeKubeApi();
  await api.start();
  defer(() => api.stop());
  return api;
}

async function pod(ready = true): Promise<FakePod> {
  const started = await startPod(ready);
  defer(() => started.close());
  return started;
}

interface Discovering {
  readonly discovery: GatewayDiscovery;
  /** Every change it reported, in order, and every collection whose list or watch failed. */
  readonly changes: TopologyChange[];
  readonly errors: string[];
  /** Resolves once a condition on what it reported (or its topology) holds. */
  when(condition: () => boolean): Promise<void>;
  /** Its probe intervals and retry delays pass only when the test moves these. */
  readonly timers: AwaitableTimers;
}

/** Discovery against the fake API server, on manual time, recording every batch of changes. */
function discover(api: FakeKubeApi, onChange: (changes: readonly TopologyChange[]) => void = () => undefined): Discovering {
  const changes: TopologyChange[] = [];
  const errors: string[] = [];
  const reported = new Changes();
  const timers = new AwaitableTimers();
  const discovery = createGatewayDiscovery({
    kubeConfig: api.kubeConfig(),
    gateway: { namespace: 'shortline', service: 'shortline-gateway', podIp: SELF_IP },
    probeIntervalMs: 5,
    probeTimeoutMs: 500,
    retryDelayMs: 10,
    timers,
    onChange: (batch) => {
      changes.push(...batch);
      onChange(batch);
      reported.notify();
    },
    onError: (what) => {
      errors.push(what);
      reported.notify();
    },
  });
  defer(() => discovery.stop());
  return { discovery, changes, errors, when: (condition) => reported.when(condition), timers };
}

function backendsOf(topology: GatewayTopology, key: string): [string, number][] {
  return [...(topology.revisions.get(key)?.backends.values() ?? [])].map((b) => [b.url, b.capacity]);
}

const url = (p: FakePod) => `http://127.0.0.1:${p.port}`;

describe('gateway discovery against a list/watch API server', () => {
  it('finds revisions, their pods and hosts, and gives work to a pod only once it passes the activator probe', async () => {
    const api = await fakeApi();
    const ready = await pod(true);
    const starting = await pod(false);
    api.apply(REVISIONS, revision('ns', 'hello-00001', 4, 60));
    api.apply(ROUTES, route('ns', 'hello', [{ revisionName: 'hello-00001', percent: 100 }]));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'hello-00001', [{ ip: '127.0.0.1', port: ready.port }], 's1'));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'hello-00001', [{ ip: '127.0.0.1', port: starting.port }], 's2'));
    const { discovery, changes, when, timers } = discover(api);
    await discovery.start();
    expect(discovery.endpointSource).toBe('endpointslices');
    await when(() => backendsOf(discovery.topology(), 'ns/hello-00001').length === 1);
    expect(backendsOf(discovery.topology(), 'ns/hello-00001')).toEqual([[url(ready), 4]]);
    expect(discovery.resolve({ host: 'hello.ns.example.com' })).toBe('ns/hello-00001');
    const classifier = createRevisionClassifier(discovery.resolve);
    expect(classifier.classify({ headers: { host: 'hello.ns.svc.cluster.local' } } as IncomingMessage)).toBe('ns/hello-00001');
    expect(changes[0]).toMatchObject({ type: 'revision-upserted', revision: { key: 'ns/hello-00001', containerConcurrency: 4, timeoutMs: 60_000 } });

    // The starting pod failed its probe: it is probed again 5 ms later, and again, until it answers `queue`.
    await timers.dueWithin(5);
    expect(timers.nextDueMs()).toBe(5);
    timers.advance(5);
    await starting.when(() => starting.probes === 2);
    await timers.dueWithin(5);
    starting.ready = true;
    timers.advance(5);
    await when(() => backendsOf(discovery.topology(), 'ns/hello-00001').length === 2);
    expect(starting.probes).toBe(3);
    expect(changes.filter((c) => c.type === 'backend-added')).toHaveLength(2);
  });

  it('removes pods that leave or turn unready, and revisions that are deleted', async () => {
    const api = await fakeApi();
    const [a, b] = [await pod(), await pod()];
    api.apply(REVISIONS, revision('ns', 'r-1', 1));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: a.port }], 'sa'));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: b.port }], 'sb'));
    const { discovery, changes, when } = discover(api);
    await discovery.start();
    await when(() => backendsOf(discovery.topology(), 'ns/r-1').length === 2);

    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: a.port, ready: false }], 'sa'));
    await when(() => backendsOf(discovery.topology(), 'ns/r-1').length === 1);
    api.delete(ENDPOINT_SLICES, 'ns', 'sb');
    await when(() => backendsOf(discovery.topology(), 'ns/r-1').length === 0);
    api.delete(REVISIONS, 'ns', 'r-1');
    await when(() => !discovery.topology().revisions.has('ns/r-1'));
    expect(changes.map((c) => c.type)).toEqual([
      'revision-upserted',
      'backend-added',
      'backend-added',
      'backend-removed',
      'backend-removed',
      'revision-removed',
    ]);
  });

  it('resumes a dropped watch from its resourceVersion without relisting', async () => {
    const api = await fakeApi();
    api.apply(REVISIONS, revision('ns', 'r-1', 1));
    const { discovery, when } = discover(api);
    await discovery.start();
    const lists = api.lists('revisions');
    api.dropWatches();
    api.apply(REVISIONS, revision('ns', 'r-2', 5));
    await when(() => discovery.topology().revisions.has('ns/r-2'));
    expect(api.lists('revisions')).toBe(lists);
    const resumed = api.requests.filter((r) => r.watch && r.path.endsWith('/revisions'));
    expect(resumed.length).toBeGreaterThanOrEqual(2);
    expect(resumed[1]?.resourceVersion).not.toBe('');
  });

  it('relists after 410 Gone when its resourceVersion has expired', async () => {
    const api = await fakeApi();
    api.apply(REVISIONS, revision('ns', 'r-1', 1));
    const { discovery, when } = discover(api);
    await discovery.start();
    const lists = api.lists('revisions');
    // While the watch is away, history moves on and is compacted past the client's resourceVersion.
    api.dropWatches();
    api.delete(REVISIONS, 'ns', 'r-1');
    api.apply(REVISIONS, revision('ns', 'r-3', 2));
    api.compact();
    await when(() => discovery.topology().revisions.has('ns/r-3') && !discovery.topology().revisions.has('ns/r-1'));
    expect(api.lists('revisions')).toBe(lists + 1);
  });

  it('keeps serving on the last known state while the API server is unreachable, and catches up after', async () => {
    const api = await fakeApi();
    const p = await pod();
    api.apply(REVISIONS, revision('ns', 'r-1', 3));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: p.port }]));
    const { discovery, errors, when, timers } = discover(api);
    await discovery.start();
    await when(() => backendsOf(discovery.topology(), 'ns/r-1').length === 1);

    // t=0: the API server goes away. Each of the four watches fails and retries in 10 ms; routing
    // stays on the last known state.
    await api.goDown();
    await when(() => errors.length === 4);
    expect(new Set(errors).size).toBe(4);
    expect(backendsOf(discovery.topology(), 'ns/r-1')).toEqual([[url(p), 3]]);
    // t=10: each retries and fails again, and waits twice as long.
    timers.advance(10);
    await when(() => errors.length === 8);
    expect(timers.nextDueMs()).toBe(30);

    // A change is made while it is down; then it comes back. At t=29 the retries still wait.
    api.apply(REVISIONS, revision('ns', 'r-1', 6));
    await api.comeBack();
    timers.advance(19);
    expect(timers.pendingCount).toBe(4);
    // t=30: they reconnect, and the change is seen.
    timers.advance(1);
    await when(() => backendsOf(discovery.topology(), 'ns/r-1')[0]?.[1] === 6);
    expect(backendsOf(discovery.topology(), 'ns/r-1')).toEqual([[url(p), 6]]);
  });

  it('falls back to core Endpoints where EndpointSlices are not served', async () => {
    const api = await fakeApi();
    api.unserve(ENDPOINT_SLICES);
    const p = await pod();
    api.apply(REVISIONS, revision('ns', 'r-1', 2));
    api.apply(ENDPOINTS, privateEndpoints('ns', 'r-1', [{ ip: '127.0.0.1', port: p.port }]));
    api.apply(ENDPOINTS, gatewayEndpoints('shortline', 'shortline-gateway', [SELF_IP, '10.9.0.1']));
    const { discovery, when } = discover(api);
    await discovery.start();
    expect(discovery.endpointSource).toBe('endpoints');
    // One pod, two replicas, CC 2: one slot each.
    await when(() => backendsOf(discovery.topology(), 'ns/r-1').length === 1);
    expect(discovery.topology().replica.count).toBe(2);
    expect(backendsOf(discovery.topology(), 'ns/r-1')).toEqual([[url(p), 1]]);
  });

  it('splits capacity with the other gateway replicas as they come and go', async () => {
    const api = await fakeApi();
    const [a, b] = [await pod(), await pod()];
    api.apply(REVISIONS, revision('ns', 'r-1', 10));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: a.port }], 'sa'));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: b.port }], 'sb'));
    api.apply(ENDPOINT_SLICES, gatewaySlice('shortline', 'shortline-gateway', [SELF_IP]));
    const { discovery, when } = discover(api);
    await discovery.start();
    await when(() => backendsOf(discovery.topology(), 'ns/r-1').length === 2);
    expect(discovery.topology().replica).toEqual({ index: 0, count: 1 });

    // Two more replicas, one sorting before us: three replicas, two pods → slots are dealt out.
    api.apply(ENDPOINT_SLICES, gatewaySlice('shortline', 'shortline-gateway', ['10.9.0.1', SELF_IP, '10.9.0.3']));
    await when(() => discovery.topology().replica.count === 3);
    expect(discovery.topology().replica.index).toBe(1);
    const [first, second] = [a, b].sort((x, y) => x.port - y.port) as [FakePod, FakePod];
    expect(backendsOf(discovery.topology(), 'ns/r-1')).toEqual([
      [url(first), 3],
      [url(second), 4],
    ]);
  });
});

interface Call extends InvocationRequest {
  readonly id: number;
}

describe('driving the scheduler from discovery', () => {
  it('keeps queued requests while pods come and go, and starts them on the pods that are there', async () => {
    const api = await fakeApi();
    const [a, b] = [await pod(), await pod()];
    api.apply(REVISIONS, revision('ns', 'r-1', 2));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: a.port }], 'sa'));
    const scheduler = new Scheduler<Call, string>({ policy: 'fifo' });
    const apply = (change: TopologyChange): void => {
      switch (change.type) {
        case 'revision-upserted':
          scheduler.upsertPool({ name: change.revision.key, loadBalancing: change.revision.loadBalancing });
          scheduler.upsertFunction({ name: change.revision.key, pool: change.revision.key });
          break;
        case 'revision-removed':
          scheduler.removeFunction(change.key, 0);
          scheduler.removePool(change.key);
          break;
        case 'backend-added':
          scheduler.addBackend(change.revision, { id: change.backend.id, capacity: change.backend.capacity, target: change.backend.url });
          break;
        case 'backend-capacity':
          scheduler.setBackendCapacity(change.backend.id, change.backend.capacity);
          break;
        case 'backend-removed':
          scheduler.removeBackend(change.id);
          break;
      }
    };
    const { discovery, when } = discover(api, (changes) => changes.forEach(apply));
    await discovery.start();
    await when(() => scheduler.snapshot(0).pools[0]?.backends.length === 1);

    // Six calls: pod a takes two, four wait.
    for (let id = 1; id <= 6; id++) scheduler.enqueue({ id, functionName: 'ns/r-1' }, 0);
    expect(scheduler.dispatch(0).map((s) => [s.invocation.id, s.backend.target])).toEqual([
      [1, url(a)],
      [2, url(a)],
    ]);

    // Pod a leaves (its two calls still finish); pod b arrives and takes the next two waiting calls.
    api.delete(ENDPOINT_SLICES, 'ns', 'sa');
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: b.port }], 'sb'));
    const backendIds = () => scheduler.snapshot(0).pools[0]?.backends.map((x) => x.id);
    await when(() => backendIds()?.join() === `ns/r-1@127.0.0.1:${b.port}`);
    expect(scheduler.complete(1, 10)).toBe(true);
    expect(scheduler.dispatch(1).map((s) => [s.invocation.id, s.backend.target])).toEqual([
      [3, url(b)],
      [4, url(b)],
    ]);
    expect(scheduler.waiting).toBe(2);
  });
});
