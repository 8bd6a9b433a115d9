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
import { until } from './support/http.js';
import { useCleanups } from './support/cleanups.js';

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

/** Discovery against the fake API server, recording every batch of changes. */
function discover(api: FakeKubeApi): { discovery: GatewayDiscovery; changes: TopologyChange[]; errors: string[] } {
  const changes: TopologyChange[] = [];
  const errors: string[] = [];
  const discovery = createGatewayDiscovery({
    kubeConfig: api.kubeConfig(),
    gateway: { namespace: 'shortline', service: 'shortline-gateway', podIp: SELF_IP },
    probeIntervalMs: 5,
    probeTimeoutMs: 500,
    retryDelayMs: 10,
    onChange: (batch) => changes.push(...batch),
    onError: (what) => errors.push(what),
  });
  defer(() => discovery.stop());
  return { discovery, changes, errors };
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
    const { discovery, changes } = discover(api);
    await discovery.start();
    expect(discovery.endpointSource).toBe('endpointslices');
    await until(() => backendsOf(discovery.topology(), 'ns/hello-00001').length === 1, 'the ready pod');
    expect(backendsOf(discovery.topology(), 'ns/hello-00001')).toEqual([[url(ready), 4]]);
    expect(discovery.resolve({ host: 'hello.ns.example.com' })).toBe('ns/hello-00001');
    const classifier = createRevisionClassifier(discovery.resolve);
    expect(classifier.classify({ headers: { host: 'hello.ns.svc.cluster.local' } } as IncomingMessage)).toBe('ns/hello-00001');
    expect(changes[0]).toMatchObject({ type: 'revision-upserted', revision: { key: 'ns/hello-00001', containerConcurrency: 4, timeoutMs: 60_000 } });

    // The starting pod keeps being probed and joins once its queue-proxy answers `queue`.
    await until(() => starting.probes >= 2, 'repeated probes');
    starting.ready = true;
    await until(() => backendsOf(discovery.topology(), 'ns/hello-00001').length === 2, 'the second pod');
    expect(changes.filter((c) => c.type === 'backend-added')).toHaveLength(2);
  });

  it('removes pods that leave or turn unready, and revisions that are deleted', async () => {
    const api = await fakeApi();
    const [a, b] = [await pod(), await pod()];
    api.apply(REVISIONS, revision('ns', 'r-1', 1));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: a.port }], 'sa'));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: b.port }], 'sb'));
    const { discovery, changes } = discover(api);
    await discovery.start();
    await until(() => backendsOf(discovery.topology(), 'ns/r-1').length === 2, 'both pods');

    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: a.port, ready: false }], 'sa'));
    await until(() => backendsOf(discovery.topology(), 'ns/r-1').length === 1, 'pod a unready');
    api.delete(ENDPOINT_SLICES, 'ns', 'sb');
    await until(() => backendsOf(discovery.topology(), 'ns/r-1').length === 0, 'pod b gone');
    api.delete(REVISIONS, 'ns', 'r-1');
    await until(() => !discovery.topology().revisions.has('ns/r-1'), 'revision gone');
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
    const { discovery } = discover(api);
    await discovery.start();
    const lists = api.lists('revisions');
    api.dropWatches();
    api.apply(REVISIONS, revision('ns', 'r-2', 5));
    await until(() => discovery.topology().revisions.has('ns/r-2'), 'r-2 after reconnect');
    expect(api.lists('revisions')).toBe(lists);
    const resumed = api.requests.filter((r) => r.watch && r.path.endsWith('/revisions'));
    expect(resumed.length).toBeGreaterThanOrEqual(2);
    expect(resumed[1]?.resourceVersion).not.toBe('');
  });

  it('relists after 410 Gone when its resourceVersion has expired', async () => {
    const api = await fakeApi();
    api.apply(REVISIONS, revision('ns', 'r-1', 1));
    const { discovery } = discover(api);
    await discovery.start();
    const lists = api.lists('revisions');
    // While the watch is away, history moves on and is compacted past the client's resourceVersion.
    api.dropWatches();
    api.delete(REVISIONS, 'ns', 'r-1');
    api.apply(REVISIONS, revision('ns', 'r-3', 2));
    api.compact();
    await until(() => discovery.topology().revisions.has('ns/r-3') && !discovery.topology().revisions.has('ns/r-1'), 'state after relist');
    expect(api.lists('revisions')).toBe(lists + 1);
  });

  it('keeps serving on the last known state while the API server is unreachable, and catches up after', async () => {
    const api = await fakeApi();
    const p = await pod();
    api.apply(REVISIONS, revision('ns', 'r-1', 3));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: p.port }]));
    const { discovery, errors } = discover(api);
    await discovery.start();
    await until(() => backendsOf(discovery.topology(), 'ns/r-1').length === 1, 'the pod');

    await api.goDown();
    await until(() => errors.length >= 2, 'failed reconnects');
    expect(backendsOf(discovery.topology(), 'ns/r-1')).toEqual([[url(p), 3]]);

    api.apply(REVISIONS, revision('ns', 'r-1', 6));
    await api.comeBack();
    await until(() => backendsOf(discovery.topology(), 'ns/r-1')[0]?.[1] === 6, 'the change made while down');
  });

  it('falls back to core Endpoints where EndpointSlices are not served', async () => {
    const api = await fakeApi();
    api.unserve(ENDPOINT_SLICES);
    const p = await pod();
    api.apply(REVISIONS, revision('ns', 'r-1', 2));
    api.apply(ENDPOINTS, privateEndpoints('ns', 'r-1', [{ ip: '127.0.0.1', port: p.port }]));
    api.apply(ENDPOINTS, gatewayEndpoints('shortline', 'shortline-gateway', [SELF_IP, '10.9.0.1']));
    const { discovery } = discover(api);
    await discovery.start();
    expect(discovery.endpointSource).toBe('endpoints');
    await until(() => discovery.topology().revisions.get('ns/r-1')?.backends.size !== undefined && discovery.topology().replica.count === 2, 'replicas');
    // One pod, two replicas, CC 2: one slot each.
    await until(() => backendsOf(discovery.topology(), 'ns/r-1').length === 1, 'the pod');
    expect(backendsOf(discovery.topology(), 'ns/r-1')).toEqual([[url(p), 1]]);
  });

  it('splits capacity with the other gateway replicas as they come and go', async () => {
    const api = await fakeApi();
    const [a, b] = [await pod(), await pod()];
    api.apply(REVISIONS, revision('ns', 'r-1', 10));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: a.port }], 'sa'));
    api.apply(ENDPOINT_SLICES, privateSlice('ns', 'r-1', [{ ip: '127.0.0.1', port: b.port }], 'sb'));
    api.apply(ENDPOINT_SLICES, gatewaySlice('shortline', 'shortline-gateway', [SELF_IP]));
    const { discovery } = discover(api);
    await discovery.start();
    await until(() => backendsOf(discovery.topology(), 'ns/r-1').length === 2, 'both pods');
    expect(discovery.topology().replica).toEqual({ index: 0, count: 1 });

    // Two more replicas, one sorting before us: three replicas, two pods → slots are dealt out.
    api.apply(ENDPOINT_SLICES, gatewaySlice('shortline', 'shortline-gateway', ['10.9.0.1', SELF_IP, '10.9.0.3']));
    await until(() => discovery.topology().replica.count === 3, 'three replicas');
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
    const discovery = createGatewayDiscovery({
      kubeConfig: api.kubeConfig(),
      gateway: { namespace: 'shortline', service: 'shortline-gateway', podIp: SELF_IP },
      probeIntervalMs: 5,
      retryDelayMs: 10,
      onChange: (changes) => changes.forEach(apply),
    });
    defer(() => discovery.stop());
    await discovery.start();
    await until(() => scheduler.snapshot(0).pools[0]?.backends.length === 1, 'pod a in the scheduler');

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
    await until(() => backendIds()?.join() === `ns/r-1@127.0.0.1:${b.port}`, 'pod b replaces pod a');
    expect(scheduler.complete(1, 10)).toBe(true);
    expect(scheduler.dispatch(1).map((s) => [s.invocation.id, s.backend.target])).toEqual([
      [3, url(b)],
      [4, url(b)],
    ]);
    expect(scheduler.waiting).toBe(2);
  });
});
