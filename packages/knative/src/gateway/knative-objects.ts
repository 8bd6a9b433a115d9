import type { KubernetesObject, V1EndpointSlice, V1Endpoints } from '@kubernetes/client-node';
import { readRevisionScheduling, type RevisionScheduling } from './revision-scheduling.js';

/** A revision as the gateway schedules it. Its key `namespace/name` is the function and pool name. */
export interface RevisionInfo {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** 0 = unlimited. */
  readonly containerConcurrency: number;
  readonly timeoutSeconds: number;
  /** Its priority and deadline, from its annotations. */
  readonly scheduling: RevisionScheduling;
}

/** One ready address of a revision pod (its queue-proxy serving port). */
export interface PodAddress {
  readonly ip: string;
  readonly port: number;
}

/** Knative's revision timeout when the Revision leaves it out. */
export const DEFAULT_REVISION_TIMEOUT_SECONDS = 300;
/** The queue-proxy's HTTP/1.1 and h2c port, when the private service names none. */
export const DEFAULT_POD_PORT = 8012;
/** The port name Knative gives the queue-proxy's serving port on a revision's private service. */
export const POD_PORT_NAME = 'http';

export const REVISION_LABEL = 'serving.knative.dev/revision';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const PRIVATE_SUFFIX = '-private';

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function revisionKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function whole(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** Reads a serving.knative.dev/v1 Revision; undefined when it lacks a name. */
export function readRevision(object: KubernetesObject): RevisionInfo | undefined {
  const namespace = object.metadata?.namespace ?? '';
  const name = object.metadata?.name;
  if (name === undefined || name === '') return undefined;
  const spec = asObject((object as Json)['spec']) ?? {};
  const timeout = whole(spec['timeoutSeconds'], 0);
  return {
    key: revisionKey(namespace, name),
    namespace,
    name,
    containerConcurrency: whole(spec['containerConcurrency'], 0),
    timeoutSeconds: timeout > 0 ? timeout : DEFAULT_REVISION_TIMEOUT_SECONDS,
    scheduling: readRevisionScheduling(object.metadata?.annotations),
  };
}

/** The revision whose private service this is (`<revision>-private`), or undefined for any other service. */
function revisionOfService(namespace: string, labels: Record<string, string> | undefined, serviceName: string | undefined): string | undefined {
  const labelled = labels?.[REVISION_LABEL];
  if (labelled !== undefined && labelled !== '') return revisionKey(namespace, labelled);
  if (serviceName === undefined || !serviceName.endsWith(PRIVATE_SUFFIX)) return undefined;
  return revisionKey(namespace, serviceName.slice(0, -PRIVATE_SUFFIX.length));
}

function namedPort(ports: readonly { name?: string; port?: number }[] | undefined, portName: string): number {
  const named = ports?.find((p) => p.name === portName)?.port;
  return named ?? DEFAULT_POD_PORT;
}

/** Ready addresses of one EndpointSlice of a revision's private service, with the revision's key. */
export function readEndpointSlice(slice: V1EndpointSlice, portName = POD_PORT_NAME): { revision: string; addresses: PodAddress[] } | undefined {
  const namespace = slice.metadata?.namespace ?? '';
  const labels = slice.metadata?.labels;
  const revision = revisionOfService(namespace, labels, labels?.[SERVICE_NAME_LABEL]);
  if (revision === undefined) return undefined;
  const port = namedPort(slice.ports, portName);
  const addresses: PodAddress[] = [];
  for (const endpoint of slice.endpoints ?? []) {
    // Kubernetes: a missing `ready` means ready.
    if (endpoint.conditions?.ready === false) continue;
    for (const ip of endpoint.addresses) addresses.push({ ip, port });
  }
  return { revision, addresses };
}

/** Ready addresses of a core Endpoints object of a revision's private service (clusters without EndpointSlices). */
export function readEndpoints(endpoints: V1Endpoints, portName = POD_PORT_NAME): { revision: string; addresses: PodAddress[] } | undefined {
  const namespace = endpoints.metadata?.namespace ?? '';
  const revision = revisionOfService(namespace, endpoints.metadata?.labels, endpoints.metadata?.name);
  if (revision === undefined) return undefined;
  const addresses: PodAddress[] = [];
  for (const subset of endpoints.subsets ?? []) {
    const port = namedPort(subset.ports, portName);
    for (const address of subset.addresses ?? []) addresses.push({ ip: address.ip, port });
  }
  return { revision, addresses };
}

/** Ready pod IPs of any EndpointSlice or Endpoints (the gateway's own Service). */
export function readyIps(object: V1EndpointSlice | V1Endpoints): string[] {
  if ('endpoints' in object || 'addressType' in object) {
    const slice = object as V1EndpointSlice;
    return (slice.endpoints ?? []).filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses);
  }
  return ((object as V1Endpoints).subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
}

/** Which revision serves each host a Route answers to. */
export interface RouteHosts {
  readonly hosts: readonly (readonly [host: string, revision: string])[];
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Reads a serving.knative.dev/v1 Route's status: its public host (status.url) and cluster-local host
 * (status.address.url, with its `name.namespace` and `name.namespace.svc` short forms) go to the
 * traffic target with the largest percent (the first on a tie), and each tagged target's own host to
 * that target. Traffic splits are not honoured here: the ingress splits before requests reach an
 * activator; a request arriving by host gets the main revision.
 */
export function readRoute(route: KubernetesObject): RouteHosts {
  const namespace = route.metadata?.namespace ?? '';
  const status = asObject((route as Json)['status']) ?? {};
  const traffic = Array.isArray(status['traffic']) ? status['traffic'].map(asObject).filter((t) => t !== undefined) : [];
  const hosts: [string, string][] = [];
  let main: { revision: string; percent: number } | undefined;
  for (const target of traffic) {
    const name = target['revisionName'];
    if (typeof name !== 'string' || name === '') continue;
    const revision = revisionKey(namespace, name);
    const percent = typeof target['percent'] === 'number' ? target['percent'] : 0;
    if (percent > 0 && (main === undefined || percent > main.percent)) main = { revision, percent };
    const tagged = target['tag'] !== undefined ? hostOf(target['url']) : undefined;
    if (tagged !== undefined) hosts.push([tagged, revision]);
  }
  if (main !== undefined) {
    const publicHost = hostOf(status['url']);
    if (publicHost !== undefined) hosts.push([publicHost, main.revision]);
    const localHost = hostOf(asObject(status['address'])?.['url']);
    if (localHost !== undefined) {
      hosts.push([localHost, main.revision]);
      const short = /^(.+?\..+?)\.svc(\..*)?$/.exec(localHost)?.[1];
      if (short !== undefined) hosts.push([short, main.revision], [`${short}.svc`, main.revision]);
    }
  }
  return { hosts };
}
