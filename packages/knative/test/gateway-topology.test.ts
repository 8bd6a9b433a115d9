import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { V1EndpointSlice, V1Endpoints } from '@kubernetes/client-node';
import {
  compareIps,
  DEADLINE_ANNOTATION,
  DEFAULT_REVISION_SCHEDULING,
  diffTopology,
  EMPTY_TOPOLOGY,
  loadBalancingFor,
  planTopology,
  PRIORITY_ANNOTATION,
  readEndpoints,
  readEndpointSlice,
  readRevision,
  readRoute,
  replicaPosition,
  replicaShare,
  resolveRevision,
  type RevisionInfo,
  type TopologyInput,
} from '@shortline/knative';
import { privateEndpoints, privateSlice, revision, route } from './support/knative-fixtures.js';

describe('splitting pod capacity among gateway replicas', () => {
  it('deals whole pods round-robin when there are at least as many pods as replicas', () => {
    const shares = (replicaIndex: number) =>
      [0, 1, 2, 3, 4].map((podIndex) => replicaShare({ podIndex, podCount: 5, replicaIndex, replicaCount: 2, containerConcurrency: 3 }));
    expect(shares(0)).toEqual([3, undefined, 3, undefined, 3]);
    expect(shares(1)).toEqual([undefined, 3, undefined, 3, undefined]);
  });

  it('deals slots when pods are fewer than replicas, spreading the remainder', () => {
    const shares = [0, 1, 2].map((replicaIndex) =>
      [0, 1].map((podIndex) => replicaShare({ podIndex, podCount: 2, replicaIndex, replicaCount: 3, containerConcurrency: 10 })),
    );
    // Pod 0: slots 0..9 → replicas 0,1,2,0,1,2,...; pod 1: slots 10..19 start at replica 1.
    expect(shares).toEqual([
      [4, 3],
      [3, 4],
      [3, 3],
    ]);
  });

  it('gives a single replica everything and shares unlimited pods with every replica', () => {
    expect(replicaShare({ podIndex: 0, podCount: 1, replicaIndex: 0, replicaCount: 1, containerConcurrency: 7 })).toBe(7);
    expect(replicaShare({ podIndex: 0, podCount: 1, replicaIndex: 2, replicaCount: 3, containerConcurrency: 0 })).toBe(0);
  });

  it('never oversubscribes a pod: its shares over all replicas add up to exactly containerConcurrency', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 50 }), (podCount, replicaCount, cc) => {
        for (let podIndex = 0; podIndex < podCount; podIndex++) {
          let total = 0;
          for (let replicaIndex = 0; replicaIndex < replicaCount; replicaIndex++) {
            const share = replicaShare({ podIndex, podCount, replicaIndex, replicaCount, containerConcurrency: cc });
            if (share !== undefined) {
              expect(share).toBeGreaterThan(0);
              total += share;
            }
          }
          expect(total).toBe(cc);
        }
      }),
    );
  });

  it('finds this replica by IP order among the gateway pods, counting itself if not listed yet', () => {
    expect(replicaPosition(['10.0.0.12', '10.0.0.9', '10.0.1.1'], '10.0.0.12')).toEqual({ index: 1, count: 3 });
    expect(replicaPosition(['10.0.0.12'], '10.0.0.3')).toEqual({ index: 0, count: 2 });
    expect(replicaPosition([], '10.0.0.3')).toEqual({ index: 0, count: 1 });
    expect(['10.0.0.10', 'fd00::1', '10.0.0.9', '9.255.0.1'].sort(compareIps)).toEqual(['9.255.0.1', '10.0.0.9', '10.0.0.10', 'fd00::1']);
  });
});

describe('reading Knative objects', () => {
  it('reads a Revision, defaulting its timeout', () => {
    expect(readRevision(revision('ns', 'hello-00001', 4, 60))).toEqual({
      key: 'ns/hello-00001',
      namespace: 'ns',
      name: 'hello-00001',
      containerConcurrency: 4,
      timeoutSeconds: 60,
      scheduling: DEFAULT_REVISION_SCHEDULING,
    });
    expect(readRevision({ metadata: { namespace: 'ns', name: 'r' } })).toMatchObject({ containerConcurrency: 0, timeoutSeconds: 300 });
  });

  it("reads a Revision's priority and deadline from its annotations (the Service template's)", () => {
    const annotated = revision('ns', 'r', 1, 60, { [PRIORITY_ANNOTATION]: 'high', [DEADLINE_ANNOTATION]: '250', 'other.dev/x': 'y' });
    expect(readRevision(annotated)?.scheduling).toEqual({ priority: 'high', deadlineMs: 250, ignoredAnnotations: [] });
    expect(readRevision(revision('ns', 'r', 1, 60, { [PRIORITY_ANNOTATION]: 'low', [DEADLINE_ANNOTATION]: '0' }))?.scheduling).toEqual({
      priority: 'low',
      deadlineMs: 0,
      ignoredAnnotations: [],
    });
  });

  it('keeps the default for an annotation it cannot read, and says which and why (discovery never stops on one)', () => {
    for (const [annotation, value] of [
      [PRIORITY_ANNOTATION, 'urgent'],
      [PRIORITY_ANNOTATION, 'High'],
      [DEADLINE_ANNOTATION, '2s'],
      [DEADLINE_ANNOTATION, '-5'],
      [DEADLINE_ANNOTATION, '1.5'],
      [DEADLINE_ANNOTATION, ''],
      [DEADLINE_ANNOTATION, '99999999999'],
    ] as const) {
      const scheduling = readRevision(revision('ns', 'r', 1, 60, { [annotation]: value }))?.scheduling;
      expect(scheduling).toMatchObject({ priority: 'normal', deadlineMs: 0, ignoredAnnotations: [{ annotation, value, expected: expect.any(String) }] });
    }
  });

  it('reads the ready addresses of a private EndpointSlice, on its http port', () => {
    const slice = privateSlice('ns', 'hello-00001', [
      { ip: '10.0.0.5', port: 8012 },
      { ip: '10.0.0.6', port: 8012, ready: false },
    ]) as V1EndpointSlice;
    expect(readEndpointSlice(slice)).toEqual({ revision: 'ns/hello-00001', addresses: [{ ip: '10.0.0.5', port: 8012 }] });
    const other = { metadata: { namespace: 'ns', name: 'x', labels: { 'kubernetes.io/service-name': 'hello' } }, endpoints: [] } as unknown as V1EndpointSlice;
    expect(readEndpointSlice(other)).toBeUndefined();
  });

  it('reads core Endpoints the same way', () => {
    const endpoints = privateEndpoints('ns', 'hello-00001', [{ ip: '10.0.0.5', port: 8013 }]) as V1Endpoints;
    expect(readEndpoints(endpoints)).toEqual({ revision: 'ns/hello-00001', addresses: [{ ip: '10.0.0.5', port: 8013 }] });
  });

  it('maps a Route’s hosts to its main revision, and tagged hosts to their target', () => {
    const hosts = readRoute(
      route('ns', 'hello', [
        { revisionName: 'hello-00001', percent: 30 },
        { revisionName: 'hello-00002', percent: 70 },
        { revisionName: 'hello-00001', percent: 0, tag: 'old' },
      ]),
    ).hosts;
    expect(new Map(hosts)).toEqual(
      new Map([
        ['old-hello.ns.example.com', 'ns/hello-00001'],
        ['hello.ns.example.com', 'ns/hello-00002'],
        ['hello.ns.svc.cluster.local', 'ns/hello-00002'],
        ['hello.ns', 'ns/hello-00002'],
        ['hello.ns.svc', 'ns/hello-00002'],
      ]),
    );
  });
});

const REV_A: RevisionInfo = { key: 'ns/a-1', namespace: 'ns', name: 'a-1', containerConcurrency: 2, timeoutSeconds: 30, scheduling: DEFAULT_REVISION_SCHEDULING };
const REV_B: RevisionInfo = { key: 'ns/b-1', namespace: 'ns', name: 'b-1', containerConcurrency: 10, timeoutSeconds: 300, scheduling: DEFAULT_REVISION_SCHEDULING };

function input(overrides: Partial<TopologyInput>): TopologyInput {
  return { revisions: [REV_A, REV_B], addresses: new Map(), healthy: new Set(), routes: [], replica: { index: 0, count: 1 }, ...overrides };
}

describe('planning the topology and the scheduler calls between two plans', () => {
  it('makes every revision a pool, even without pods, with the activator’s load balancing', () => {
    const topology = planTopology(input({}));
    expect([...topology.revisions.values()].map((r) => [r.key, r.loadBalancing, r.timeoutMs, r.backends.size])).toEqual([
      ['ns/a-1', 'first-available', 30_000, 0],
      ['ns/b-1', 'least-loaded', 300_000, 0],
    ]);
    expect([0, 1, 3, 4].map(loadBalancingFor)).toEqual(['least-loaded', 'first-available', 'first-available', 'least-loaded']);
  });

  it('gives work only to probed pods, with this replica’s share', () => {
    const addresses = new Map([
      ['ns/b-1', [{ ip: '10.0.0.2', port: 8012 }, { ip: '10.0.0.1', port: 8012 }]],
    ]);
    const topology = planTopology(input({ addresses, healthy: new Set(['10.0.0.1:8012', '10.0.0.2:8012']), replica: { index: 1, count: 3 } }));
    const backends = [...(topology.revisions.get('ns/b-1')?.backends.values() ?? [])];
    // Two pods, three replicas: pod 0 (10.0.0.1) gives replica 1 slots 1,4,7 → 3; pod 1 slots 10,13,16,19 → 4.
    expect(backends).toEqual([
      { id: 'ns/b-1@10.0.0.1:8012', url: 'http://10.0.0.1:8012', capacity: 3 },
      { id: 'ns/b-1@10.0.0.2:8012', url: 'http://10.0.0.2:8012', capacity: 4 },
    ]);
    const unprobed = planTopology(input({ addresses, healthy: new Set(['10.0.0.2:8012']) }));
    expect([...(unprobed.revisions.get('ns/b-1')?.backends.keys() ?? [])]).toEqual(['ns/b-1@10.0.0.2:8012']);
  });

  it('diffs in a valid order: revisions first, then backends, removals of revisions last', () => {
    const pods = new Map([['ns/a-1', [{ ip: '10.0.0.1', port: 8012 }]]]);
    const one = planTopology(input({ addresses: pods, healthy: new Set(['10.0.0.1:8012']) }));
    expect(diffTopology(EMPTY_TOPOLOGY, one).map((c) => c.type)).toEqual(['revision-upserted', 'revision-upserted', 'backend-added']);

    // A second gateway replica appears: capacities change; then revision a-1 is deleted.
    const shared = planTopology(input({ addresses: pods, healthy: new Set(['10.0.0.1:8012']), replica: { index: 0, count: 2 } }));
    expect(diffTopology(one, shared)).toEqual([
      { type: 'backend-capacity', revision: 'ns/a-1', backend: { id: 'ns/a-1@10.0.0.1:8012', url: 'http://10.0.0.1:8012', capacity: 1 } },
    ]);
    const gone = planTopology(input({ revisions: [REV_B], addresses: pods, healthy: new Set(['10.0.0.1:8012']) }));
    expect(diffTopology(shared, gone)).toEqual([
      { type: 'backend-removed', revision: 'ns/a-1', id: 'ns/a-1@10.0.0.1:8012' },
      { type: 'revision-removed', key: 'ns/a-1' },
    ]);
    expect(diffTopology(gone, gone)).toEqual([]);
  });

  it('upserts a revision again when its scheduling annotations change', () => {
    const annotated = (annotations: Record<string, string>) =>
      planTopology(input({ revisions: [readRevision(revision('ns', 'a-1', 2, 30, annotations)) as RevisionInfo] }));
    const before = annotated({ [PRIORITY_ANNOTATION]: 'high' });
    expect(diffTopology(before, annotated({ [PRIORITY_ANNOTATION]: 'high' }))).toEqual([]);
    for (const after of [{ [PRIORITY_ANNOTATION]: 'low' }, { [PRIORITY_ANNOTATION]: 'high', [DEADLINE_ANNOTATION]: '100' }, { [PRIORITY_ANNOTATION]: 'hihg' }]) {
      expect(diffTopology(before, annotated(after)).map((c) => c.type)).toEqual(['revision-upserted']);
    }
  });

  it('resolves a request by the revision headers, else by its Host among the Routes', () => {
    const topology = planTopology(
      input({ routes: [readRoute(route('ns', 'a', [{ revisionName: 'a-1', percent: 100 }]))] }),
    );
    expect(resolveRevision(topology, { 'knative-serving-revision': 'b-1', 'knative-serving-namespace': 'ns', host: 'a.ns.example.com' })).toBe('ns/b-1');
    expect(resolveRevision(topology, { 'knative-serving-revision': 'zzz', 'knative-serving-namespace': 'ns', host: 'a.ns.example.com' })).toBe('ns/a-1');
    expect(resolveRevision(topology, { host: 'A.ns.example.com:8080' })).toBe('ns/a-1');
    expect(resolveRevision(topology, { host: '10.0.0.9', 'k-original-host': 'a.ns.svc.cluster.local' })).toBe('ns/a-1');
    expect(resolveRevision(topology, { host: 'unknown.example.com' })).toBeUndefined();
  });
});
