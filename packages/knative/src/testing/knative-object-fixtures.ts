import type { KubernetesObject } from '@kubernetes/client-node';

// Kubernetes objects as Knative creates them, trimmed to the fields the gateway reads.

/** `annotations`: what Knative copies from the Service's `spec.template.metadata.annotations`. */
export function revision(
  namespace: string,
  name: string,
  containerConcurrency: number,
  timeoutSeconds = 300,
  annotations?: Record<string, string>,
): KubernetesObject {
  return { metadata: { namespace, name, ...(annotations === undefined ? {} : { annotations }) }, spec: { containerConcurrency, timeoutSeconds } } as KubernetesObject;
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
