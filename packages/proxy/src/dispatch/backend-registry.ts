import type { CapacitySetting } from '@shortline/core';
import type { TimerHandle } from '../timers/timers.js';
import { Upstream } from './upstream.js';

export interface BackendSpec {
  /** Unique across all pools (a URL, a pod name). */
  readonly id: string;
  readonly url: string;
  /** Concurrent requests it takes (0 = unlimited), or `{ auto: true }`: learnt by watching it. */
  readonly capacity: CapacitySetting;
}

/** One backend as the proxy keeps it: where its connections go, and whether it is ejected. */
export interface BackendRecord {
  readonly pool: string;
  readonly id: string;
  readonly upstream: Upstream;
  /** The capacity configured or discovered (with auto, the scheduler's is what it learnt). */
  capacity: CapacitySetting;
  /** Set while it is out of rotation after refusing a connection: when to put it back. */
  ejection: TimerHandle | undefined;
}

/**
 * The backends of every pool and their connection pools, by id. It knows nothing of scheduling: the
 * dispatch loop keeps it and the scheduler in step, and opens and closes connections through it.
 */
export class BackendRegistry {
  readonly #records = new Map<string, BackendRecord>();

  get(id: string): BackendRecord | undefined {
    return this.#records.get(id);
  }

  has(id: string): boolean {
    return this.#records.has(id);
  }

  open(pool: string, spec: BackendSpec): BackendRecord {
    const record: BackendRecord = { pool, id: spec.id, upstream: new Upstream(spec.url), capacity: spec.capacity, ejection: undefined };
    this.#records.set(spec.id, record);
    return record;
  }

  /** Forgets a backend; its connections close once the requests it runs have finished. */
  async close(id: string): Promise<void> {
    const record = this.#records.get(id);
    if (record === undefined) return;
    this.#records.delete(id);
    await record.upstream.close();
  }

  ids(pool?: string): string[] {
    const ids: string[] = [];
    for (const record of this.#records.values()) if (pool === undefined || record.pool === pool) ids.push(record.id);
    return ids;
  }

  records(): IterableIterator<BackendRecord> {
    return this.#records.values();
  }

  /** Closes every connection now, running requests or not. */
  async destroy(): Promise<void> {
    await Promise.all([...this.#records.values()].map((record) => record.upstream.destroy()));
  }
}

/** Backends from the configuration file are named by pool and URL, unique even if pools share a URL. */
export function staticBackendId(pool: string, url: string): string {
  return `${pool}@${url}`;
}
