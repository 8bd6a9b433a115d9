export interface ReplicaShareInput {
  /** This pod's position among the revision's ready pods, sorted by IP. */
  readonly podIndex: number;
  readonly podCount: number;
  /** This gateway replica's position among the gateway's pods, sorted by IP. */
  readonly replicaIndex: number;
  readonly replicaCount: number;
  /** The revision's containerConcurrency; 0 = unlimited. */
  readonly containerConcurrency: number;
}

/**
 * How many of a pod's slots this gateway replica may fill, or undefined when it gets none (it then
 * does not send to that pod at all). Over all replicas the shares of a pod add up to exactly its
 * containerConcurrency, so the replicas together never oversubscribe it.
 *
 * With at least as many pods as replicas, pods are dealt out whole, round-robin by index, like the
 * activator's slicing: each pod hears from one replica only, which keeps first-available packing
 * meaningful. With fewer pods than replicas, slots are dealt out instead: slot k of pod i is global
 * slot i·CC + k, and goes to replica (i·CC + k) mod N, which spreads remainders evenly. Unlike the
 * activator (which rounds each share up and lets the queue-proxy absorb the excess), a replica may
 * end up with no slot for a revision whose CC·pods is smaller than the replica count; its requests
 * for that revision then wait for a scale-up. An unlimited pod (CC 0) is shared by every replica.
 */
export function replicaShare(input: ReplicaShareInput): number | undefined {
  const { podIndex, podCount, replicaIndex, replicaCount, containerConcurrency: cc } = input;
  if (cc === 0 || replicaCount <= 1) return cc;
  if (podCount >= replicaCount) return podIndex % replicaCount === replicaIndex ? cc : undefined;
  const firstReplica = (podIndex * cc) % replicaCount;
  const offset = (replicaIndex - firstReplica + replicaCount) % replicaCount;
  if (offset >= cc) return undefined;
  return Math.floor((cc - 1 - offset) / replicaCount) + 1;
}

/** Orders IPv4 and IPv6 addresses numerically, as the activator sorts pods; unparsable ones last, by text. */
export function compareIps(a: string, b: string): number {
  const ka = ipKey(a);
  const kb = ipKey(b);
  if (ka !== undefined && kb !== undefined) return ka < kb ? -1 : ka > kb ? 1 : 0;
  if (ka !== undefined) return -1;
  if (kb !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function ipKey(ip: string): bigint | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    return ip.split('.').reduce((key, part) => (key << 8n) | BigInt(Number(part) & 255), 0n);
  }
  if (!ip.includes(':')) return undefined;
  const [head = '', tail] = ip.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (all.length !== 8 || !all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.reduce((key, group) => (key << 16n) | BigInt(parseInt(group, 16)), 0n) + (1n << 128n);
}

/** This replica's index and the replica count, from the ready gateway pods' IPs (self included). */
export function replicaPosition(peerIps: Iterable<string>, selfIp: string): { index: number; count: number } {
  const ips = [...new Set([...peerIps, selfIp])].sort(compareIps);
  return { index: ips.indexOf(selfIp), count: ips.length };
}
