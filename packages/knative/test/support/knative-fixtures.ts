import type { KubernetesObject } from '@kubernetes/client-node';
import http from 'node:http';
import { HeldRequests, type Holding } from './held-requests.js';
import { close, listen } from './http.js';

/** Kubernetes objects as Knative creates them, trimmed to the fields the gateway reads. */

export function revision(namespace: string, name: string, containerConcurrency: number, timeoutSeconds = 300): KubernetesObject {
  return { metadata: { namespace, name }, spec: { containerConcurrency, timeoutSeconds } } as KubernetesObject;
}

export function route(
  namespace: string,
  name: string,
  traffic: { revisionName: string; percent: number; tag?: string }[],
  domain = 'example.com',
): KubernetesObject {
  return {
    metadata: { namespace, name },
    status: {
      url: `http://${name}.${namespace}.${domain}`,
      address: { url: `http://${name}.${namespace}.svc.cluster.local` },
      traffic: traffic.map((t) => (t.tag === undefined ? t : { ...t, url: `http://${t.tag}-${name}.${namespace}.${domain}` })),
    },
  } as KubernetesObject;
}

export interface PodEndpoint {
  readonly ip: string;
  readonly port: number;
  readonly ready?: boolean;
}

/** The EndpointSlice of `<revision>-private`, with the labels the Service carries. */
export function privateSlice(namespace: string, revisionName: string, pods: readonly PodEndpoint[], sliceName = `${revisionName}-private-abcde`): KubernetesObject {
  return {
    metadata: {
      namespace,
      name: sliceName,
      labels: {
        'kubernetes.io/service-name': `${revisionName}-private`,
        'serving.knative.dev/revision': revisionName,
        'networking.internal.knative.dev/serviceType': 'Private',
      },
    },
    addressType: 'IPv4',
    // EndpointSlices carry one port list; tests give each pod its own port, so each gets its own slice.
    ports: [{ name: 'http', port: pods[0]?.port ?? 8012, protocol: 'TCP' }],
    endpoints: pods.map((pod) => ({ addresses: [pod.ip], conditions: { ready: pod.ready ?? true } })),
  } as KubernetesObject;
}

/** The core Endpoints of `<revision>-private` (clusters without EndpointSlices). */
export function privateEndpoints(namespace: string, revisionName: string, pods: readonly PodEndpoint[]): KubernetesObject {
  return {
    metadata: {
      namespace,
      name: `${revisionName}-private`,
      labels: { 'serving.knative.dev/revision': revisionName, 'networking.internal.knative.dev/serviceType': 'Private' },
    },
    subsets: pods.map((pod) => ({ addresses: [{ ip: pod.ip }], ports: [{ name: 'http', port: pod.port }] })),
  } as KubernetesObject;
}

/** The gateway's own Service endpoints: one ready address per gateway replica. */
export function gatewaySlice(namespace: string, service: string, ips: readonly string[]): KubernetesObject {
  return {
    metadata: { namespace, name: `${service}-xyz`, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080 }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  } as KubernetesObject;
}

export function gatewayEndpoints(namespace: string, service: string, ips: readonly string[]): KubernetesObject {
  return { metadata: { namespace, name: service }, subsets: [{ addresses: ips.map((ip) => ({ ip })) }] } as KubernetesObject;
}

export function configMap(namespace: string, name: string, data: Record<string, string>): KubernetesObject {
  return { metadata: { namespace, name }, data } as KubernetesObject;
}

/**
 * A revision pod's queue-proxy on 127.0.0.1: answers the activator's probe while `ready` is true,
 * and records every other request. `/hold...` waits until `release()`; anything else is answered at
 * once. Every answer is `<name> <url>`. `when` resolves once a condition on its probes, requests or
 * held requests is true.
 */
export interface FakePod extends Holding {
  readonly port: number;
  readonly name: string;
  ready: boolean;
  readonly probes: number;
  /** Requests (not probes) received, in order. */
  readonly received: http.IncomingMessage[];
  /** Requests being answered now, and the most at once so far. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export async function startPod(ready = true, name = 'pod'): Promise<FakePod> {
  const held = new HeldRequests();
  const changed = (): void => held.changes.notify();
  let probes = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let port = 0;
  const pod: FakePod = {
    name,
    ready,
    received: [],
    get port() {
      return port;
    },
    get probes() {
      return probes;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get held() {
      return held.count;
    },
    release: () => held.release(),
    when: (condition) => held.changes.when(condition),
    close: async () => {
      held.release();
      await close(server);
    },
  };
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.headers['k-network-probe'] === 'queue' && req.headers['user-agent'] === 'Knative-Activator-Probe') {
      probes++;
      res.writeHead(pod.ready ? 200 : 503).end(pod.ready ? 'queue' : '');
      changed();
      return;
    }
    pod.received.push(req);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const url = req.url ?? '/';
    const answer = (): void => {
      inFlight--;
      res.end(`${name} ${url}`);
    };
    if (url.startsWith('/hold')) held.hold(answer);
    else answer();
    changed();
  });
  port = await listen(server);
  return pod;
}
