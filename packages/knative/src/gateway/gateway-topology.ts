import type { LoadBalancing } from '@shortline/core';
import type { PodAddress, RevisionInfo, RouteHosts } from './knative-objects.js';
import { compareIps, replicaShare } from './replica-share.js';
import { sameScheduling } from './revision-scheduling.js';

/** One pod as a backend of this gateway replica: capacity is this replica's share (0 = unlimited). */
export interface DesiredBackend {
  readonly id: string;
  readonly url: string;
  readonly capacity: number;
}

/** A revision as the scheduler should see it: a pool and a function named by its key. */
export interface DesiredRevision extends RevisionInfo {
  readonly loadBalancing: LoadBalancing;
  readonly timeoutMs: number;
  readonly backends: ReadonlyMap<string, DesiredBackend>;
}

export interface GatewayTopology {
  readonly revisions: ReadonlyMap<string, DesiredRevision>;
  /** Host (lower case, no port) → revision key. */
  readonly hosts: ReadonlyMap<string, string>;
  readonly replica: { readonly index: number; readonly count: number };
}

export interface TopologyInput {
  readonly revisions: Iterable<RevisionInfo>;
  /** Ready addresses of each revision's private service, by revision key. */
  readonly addresses: ReadonlyMap<string, readonly PodAddress[]>;
  /** Addresses (`ip:port`) that passed the activator-style probe; only these receive work. */
  readonly healthy: ReadonlySet<string>;
  readonly routes: Iterable<RouteHosts>;
  readonly replica: { readonly index: number; readonly count: number };
}

export const EMPTY_TOPOLOGY: GatewayTopology = {
  revisions: new Map(),
  hosts: new Map(),
  replica: { index: 0, count: 1 },
};

export function addressKey(address: PodAddress): string {
  return address.ip.includes(':') ? `[${address.ip}]:${address.port}` : `${address.ip}:${address.port}`;
}

/**
 * Knative's activator: first-available for small containerConcurrency (1-3), where packing a pod
 * matters; spreading otherwise (the core has least-loaded; the activator's best-of-two for CC 0 is
 * the same idea with less bookkeeping).
 */
export function loadBalancingFor(containerConcurrency: number): LoadBalancing {
  return containerConcurrency >= 1 && containerConcurrency <= 3 ? 'first-available' : 'least-loaded';
}

/**
 * What this gateway replica should schedule: every known revision (with or without pods: requests
 * for one without wait for a pod), each healthy pod with this replica's share of its slots. Pods are
 * indexed among all ready addresses, sorted by IP, so every replica computes the same slicing even
 * while their probes disagree.
 */
export function planTopology(input: TopologyInput): GatewayTopology {
  const revisions = new Map<string, DesiredRevision>();
  for (const revision of input.revisions) {
    const ready = [...(input.addresses.get(revision.key) ?? [])].sort((a, b) => compareIps(a.ip, b.ip) || a.port - b.port);
    const backends = new Map<string, DesiredBackend>();
    ready.forEach((address, podIndex) => {
      const key = addressKey(address);
      if (!input.healthy.has(key)) return;
      const capacity = replicaShare({
        podIndex,
        podCount: ready.length,
        replicaIndex: input.replica.index,
        replicaCount: input.replica.count,
        containerConcurrency: revision.containerConcurrency,
      });
      if (capacity === undefined) return;
      const id = `${revision.key}@${key}`;
      backends.set(id, { id, url: `http://${key}`, capacity });
    });
    revisions.set(revision.key, {
      ...revision,
      loadBalancing: loadBalancingFor(revision.containerConcurrency),
      timeoutMs: revision.timeoutSeconds * 1000,
      backends,
    });
  }
  const hosts = new Map<string, string>();
  for (const route of input.routes) for (const [host, revision] of route.hosts) hosts.set(host, revision);
  return { revisions, hosts, replica: input.replica };
}

export type TopologyChange =
  | { readonly type: 'revision-upserted'; readonly revision: DesiredRevision }
  | { readonly type: 'revision-removed'; readonly key: string }
  | { readonly type: 'backend-added'; readonly revision: string; readonly backend: DesiredBackend }
  | { readonly type: 'backend-capacity'; readonly revision: string; readonly backend: DesiredBackend }
  | { readonly type: 'backend-removed'; readonly revision: string; readonly id: string };

function sameRevision(a: DesiredRevision, b: DesiredRevision): boolean {
  return a.containerConcurrency === b.containerConcurrency && a.timeoutSeconds === b.timeoutSeconds && sameScheduling(a.scheduling, b.scheduling);
}

/**
 * The scheduler calls that turn `from` into `to`, in an order that is always valid: revisions
 * appear before their backends, backends leave before their revision, and a pod moving between
 * revisions never exists twice.
 */
export function diffTopology(from: GatewayTopology, to: GatewayTopology): TopologyChange[] {
  const changes: TopologyChange[] = [];
  for (const [key, revision] of to.revisions) {
    const before = from.revisions.get(key);
    if (before === undefined || !sameRevision(before, revision)) changes.push({ type: 'revision-upserted', revision });
  }
  for (const [key, before] of from.revisions) {
    const after = to.revisions.get(key);
    for (const id of before.backends.keys()) {
      if (after?.backends.has(id) !== true) changes.push({ type: 'backend-removed', revision: key, id });
    }
  }
  for (const [key, revision] of to.revisions) {
    const before = from.revisions.get(key)?.backends;
    for (const [id, backend] of revision.backends) {
      const previous = before?.get(id);
      if (previous === undefined) changes.push({ type: 'backend-added', revision: key, backend });
      else if (previous.capacity !== backend.capacity) changes.push({ type: 'backend-capacity', revision: key, backend });
    }
  }
  for (const key of from.revisions.keys()) if (!to.revisions.has(key)) changes.push({ type: 'revision-removed', key });
  return changes;
}

/**
 * The revision a request is for, as the activator finds it: the Knative-Serving-Revision and
 * -Namespace headers name it; otherwise its Host (K-Original-Host first) is looked up among the
 * Routes' hosts. Undefined: no known revision.
 */
export function resolveRevision(
  topology: GatewayTopology,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  const name = headers['knative-serving-revision'];
  const namespace = headers['knative-serving-namespace'];
  if (typeof name === 'string' && typeof namespace === 'string') {
    const key = `${namespace}/${name}`;
    if (topology.revisions.has(key)) return key;
  }
  const original = headers['k-original-host'];
  const host = typeof original === 'string' && original !== '' ? original : headers['host'];
  if (typeof host !== 'string' || host === '') return undefined;
  const bare = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':', 1)[0];
  return topology.hosts.get((bare as string).toLowerCase());
}
