import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1EndpointSlice,
  type V1Endpoints,
} from '@kubernetes/client-node';
import { REAL_TIMERS, type TimerHandle, type Timers } from '@shortline/proxy';
import { watchCollection, type WatchedCollection } from '../kube/watched-collection.js';
import { pause } from '../timers/pause.js';
import {
  addressKey,
  diffTopology,
  EMPTY_TOPOLOGY,
  planTopology,
  resolveRevision,
  type GatewayTopology,
  type TopologyChange,
} from './gateway-topology.js';
import {
  POD_PORT_NAME,
  readEndpoints,
  readEndpointSlice,
  readRevision,
  readRoute,
  readyIps,
  SERVICE_NAME_LABEL,
  type PodAddress,
  type RevisionInfo,
} from './knative-objects.js';
import { probePod } from './pod-prober.js';
import { replicaPosition } from './replica-share.js';

/** The label Knative puts on each revision's private service (and so on its endpoints). */
export const PRIVATE_SERVICE_SELECTOR = 'networking.internal.knative.dev/serviceType=Private';

export interface GatewayDiscoveryOptions {
  readonly kubeConfig: KubeConfig;
  /** The gateway's own Service: its ready endpoints are the gateway replicas that share the pods. */
  readonly gateway: { readonly namespace: string; readonly service: string; readonly podIp: string };
  readonly privateServiceSelector?: string;
  readonly podPortName?: string;
  /** Health probe of a new pod: each attempt's timeout and the pause between failed attempts. */
  readonly probeTimeoutMs?: number;
  readonly probeIntervalMs?: number;
  /** First retry delay when the API server cannot be reached. */
  readonly retryDelayMs?: number;
  /** The pauses between probes and retries are on these. Default: the process's. */
  readonly timers?: Timers;
  /** The scheduler calls that bring it to the new topology (never called with an empty list). */
  readonly onChange: (changes: readonly TopologyChange[], topology: GatewayTopology) => void;
  /** A list or watch failed (`what` names the collection); it is retried, the last state kept. */
  readonly onError?: (what: string, error: unknown) => void;
}

export interface GatewayDiscovery {
  /** Resolves once every collection has been listed once; changes flow from then on. */
  start(): Promise<void>;
  stop(): void;
  topology(): GatewayTopology;
  /** The revision key (`namespace/name`, the function name) a request is for, if any. */
  resolve(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined;
  /** Where pod addresses come from: EndpointSlices, or Endpoints on clusters that do not serve them. */
  readonly endpointSource: 'endpointslices' | 'endpoints' | undefined;
}

type AnyList = KubernetesListObject<KubernetesObject>;

/**
 * Activator-style discovery: Revisions (containerConcurrency, timeout, scheduling annotations), Routes (host → revision),
 * the endpoints of every revision's private service, and the gateway's own endpoints (to slice pods
 * among replicas), all through list+watch. New pods are health-probed before they get work; pods that
 * leave are removed (their queued requests wait for the others). The result is a GatewayTopology and,
 * on each change, the scheduler calls that lead to it.
 */
export function createGatewayDiscovery(options: GatewayDiscoveryOptions): GatewayDiscovery {
  const kubeConfig = options.kubeConfig;
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const discovery = kubeConfig.makeApiClient(DiscoveryV1Api);
  const selector = options.privateServiceSelector ?? PRIVATE_SERVICE_SELECTOR;
  const portName = options.podPortName ?? POD_PORT_NAME;
  const probeTimeoutMs = options.probeTimeoutMs ?? 1000;
  const probeIntervalMs = options.probeIntervalMs ?? 200;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const timers = options.timers ?? REAL_TIMERS;
  const { namespace: gatewayNamespace, service: gatewayService, podIp } = options.gateway;

  let endpointSource: 'endpointslices' | 'endpoints' | undefined;
  let collections: { name: string; collection: WatchedCollection<KubernetesObject> }[] = [];
  let current: GatewayTopology = EMPTY_TOPOLOGY;
  let synced = false;
  let stopped = false;
  let recomputeQueued = false;
  const healthy = new Set<string>();
  const probing = new Map<string, TimerHandle | undefined>();

  const customList = (plural: string) => (): Promise<AnyList> =>
    custom.listClusterCustomObject({ group: 'serving.knative.dev', version: 'v1', plural }) as Promise<AnyList>;

  const watch = (name: string, path: string, list: () => Promise<AnyList>, selectors: { labelSelector?: string; fieldSelector?: string } = {}) => {
    const collection = watchCollection<KubernetesObject>({
      kubeConfig,
      path,
      list,
      ...selectors,
      retryDelayMs,
      timers,
      onChange: schedule,
      onError: (error) => options.onError?.(name, error),
    });
    collections.push({ name, collection });
    return collection;
  };

  function schedule(): void {
    if (!synced || recomputeQueued || stopped) return;
    recomputeQueued = true;
    queueMicrotask(recompute);
  }

  function collectionNamed(name: string): readonly KubernetesObject[] {
    return collections.find((c) => c.name === name)?.collection.list() ?? [];
  }

  function addressesByRevision(): Map<string, PodAddress[]> {
    const addresses = new Map<string, PodAddress[]>();
    for (const object of collectionNamed('revision endpoints')) {
      const read =
        endpointSource === 'endpointslices' ? readEndpointSlice(object as V1EndpointSlice, portName) : readEndpoints(object as V1Endpoints, portName);
      if (read === undefined) continue;
      const list = addresses.get(read.revision) ?? [];
      list.push(...read.addresses);
      addresses.set(read.revision, list);
    }
    return addresses;
  }

  /** Ready addresses (`ip:port`) of every revision at the last recompute. */
  let present = new Set<string>();

  /** Probes a new address until it passes (then it may get work) or leaves the endpoints. */
  function probe(key: string): void {
    if (healthy.has(key) || probing.has(key)) return;
    probing.set(key, undefined);
    const attempt = async (): Promise<void> => {
      if (stopped || !probing.has(key)) return;
      const ok = await probePod(`http://${key}`, probeTimeoutMs);
      if (stopped || !probing.has(key)) return;
      if (ok) {
        probing.delete(key);
        if (present.has(key)) {
          healthy.add(key);
          schedule();
        }
        return;
      }
      probing.set(key, timers.setTimeout(() => void attempt(), probeIntervalMs, undefined));
    };
    void attempt();
  }

  function recompute(): void {
    recomputeQueued = false;
    if (stopped) return;
    const revisions: RevisionInfo[] = [];
    for (const object of collectionNamed('revisions')) {
      const revision = readRevision(object);
      if (revision !== undefined) revisions.push(revision);
    }
    const addresses = addressesByRevision();
    present = new Set<string>();
    for (const list of addresses.values()) for (const address of list) present.add(addressKey(address));
    for (const key of [...healthy]) if (!present.has(key)) healthy.delete(key);
    for (const [key, timer] of [...probing]) {
      if (present.has(key)) continue;
      if (timer !== undefined) timers.clearTimeout(timer);
      probing.delete(key);
    }
    for (const key of present) probe(key);
    const peers = collectionNamed('gateway endpoints').flatMap((object) => readyIps(object as V1EndpointSlice | V1Endpoints));
    const next = planTopology({
      revisions,
      addresses,
      healthy,
      routes: collectionNamed('routes').map(readRoute),
      replica: replicaPosition(peers, podIp),
    });
    const changes = diffTopology(current, next);
    current = next;
    if (changes.length > 0) options.onChange(changes, next);
  }

  /** EndpointSlices unless the API server does not serve them (404); retried while it cannot be reached. */
  async function detectEndpointSource(): Promise<'endpointslices' | 'endpoints' | undefined> {
    let delay = retryDelayMs;
    while (!stopped) {
      try {
        await discovery.listEndpointSliceForAllNamespaces({ labelSelector: selector, limit: 1 });
        return 'endpointslices';
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return 'endpoints';
        options.onError?.('endpointslice discovery', error);
        await pause(timers, delay);
        delay = Math.min(delay * 2, 30_000);
      }
    }
    return undefined;
  }

  return {
    async start(): Promise<void> {
      stopped = false;
      endpointSource = await detectEndpointSource();
      if (endpointSource === undefined) return;
      collections = [];
      watch('revisions', '/apis/serving.knative.dev/v1/revisions', customList('revisions'));
      watch('routes', '/apis/serving.knative.dev/v1/routes', customList('routes'));
      if (endpointSource === 'endpointslices') {
        watch('revision endpoints', '/apis/discovery.k8s.io/v1/endpointslices', () => discovery.listEndpointSliceForAllNamespaces({ labelSelector: selector }), {
          labelSelector: selector,
        });
        const gatewaySelector = `${SERVICE_NAME_LABEL}=${gatewayService}`;
        watch(
          'gateway endpoints',
          `/apis/discovery.k8s.io/v1/namespaces/${gatewayNamespace}/endpointslices`,
          () => discovery.listNamespacedEndpointSlice({ namespace: gatewayNamespace, labelSelector: gatewaySelector }),
          { labelSelector: gatewaySelector },
        );
      } else {
        watch('revision endpoints', '/api/v1/endpoints', () => core.listEndpointsForAllNamespaces({ labelSelector: selector }), {
          labelSelector: selector,
        });
        const gatewayField = `metadata.name=${gatewayService}`;
        watch(
          'gateway endpoints',
          `/api/v1/namespaces/${gatewayNamespace}/endpoints`,
          () => core.listNamespacedEndpoints({ namespace: gatewayNamespace, fieldSelector: gatewayField }),
          { fieldSelector: gatewayField },
        );
      }
      await Promise.all(collections.map(({ collection }) => collection.start()));
      if (stopped) return;
      synced = true;
      recompute();
    },
    stop(): void {
      stopped = true;
      for (const { collection } of collections) collection.stop();
      for (const timer of probing.values()) if (timer !== undefined) timers.clearTimeout(timer);
      probing.clear();
    },
    topology: () => current,
    resolve: (headers) => resolveRevision(current, headers),
    get endpointSource() {
      return endpointSource;
    },
  };
}
