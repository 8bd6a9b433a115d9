import type { Backend, Scheduler } from '@shortline/core';
import type { Logger } from 'pino';
import type { Exchange } from './exchange.js';
import { Upstream } from './upstream.js';

/** How long a backend that refused a connection is kept out of rotation before it gets traffic again. */
export const DEFAULT_EJECTION_MS = 1_000;

export interface BackendSpec {
  /** Unique across all pools (a URL, a pod name). */
  readonly id: string;
  readonly url: string;
  /** Concurrent requests it takes; 0 = unlimited. */
  readonly capacity: number;
}

export interface BackendRegistryOptions {
  readonly scheduler: Scheduler<Exchange, Upstream>;
  readonly logger: Logger;
  /** Called when an ejected backend comes back, so that waiting requests can start on it. */
  readonly onRestored: () => void;
  readonly ejectionMs?: number;
}

export interface BackendView {
  readonly id: string;
  readonly pool: string;
  readonly url: string;
  readonly capacity: number;
  readonly inFlight: number;
  readonly state: string;
  readonly ejected: boolean;
}

interface BackendRecord {
  readonly pool: string;
  readonly id: string;
  readonly upstream: Upstream;
  capacity: number;
  backend: Backend<Upstream>;
  ejection: NodeJS.Timeout | undefined;
}

/**
 * The backends of every pool, kept in step in the scheduler (slots) and here (connection pools).
 * Discovery adds, drains and removes backends through this registry rather than through the scheduler,
 * so that connection pools are opened and closed with them.
 *
 * A backend that refuses a connection is ejected: drained in the scheduler, so that the request that
 * failed (and the ones after it) go to the pool's other backends; after `ejectionMs`, once nothing runs
 * on it, it is put back as a fresh backend. Slot accounting stays exact throughout: a drained backend
 * only finishes what it runs, and a fresh one starts empty.
 */
export class BackendRegistry {
  readonly #scheduler: Scheduler<Exchange, Upstream>;
  readonly #logger: Logger;
  readonly #onRestored: () => void;
  readonly #ejectionMs: number;
  readonly #records = new Map<string, BackendRecord>();

  constructor(options: BackendRegistryOptions) {
    this.#scheduler = options.scheduler;
    this.#logger = options.logger;
    this.#onRestored = options.onRestored;
    this.#ejectionMs = options.ejectionMs ?? DEFAULT_EJECTION_MS;
  }

  add(pool: string, spec: BackendSpec): Backend<Upstream> {
    const upstream = new Upstream(spec.url);
    const backend = this.#scheduler.addBackend(pool, { id: spec.id, capacity: spec.capacity, target: upstream });
    this.#records.set(spec.id, { pool, id: spec.id, upstream, capacity: spec.capacity, backend, ejection: undefined });
    return backend;
  }

  setCapacity(id: string, capacity: number): void {
    const record = this.#records.get(id);
    if (record === undefined) return;
    record.capacity = capacity;
    this.#scheduler.setBackendCapacity(id, capacity);
  }

  /** No new requests go to it; what it runs may finish. */
  drain(id: string): void {
    const record = this.#records.get(id);
    if (record === undefined) return;
    this.#cancelEjection(record);
    this.#scheduler.drainBackend(id);
  }

  /** Forgets a backend; its connections close once the requests it runs have finished. */
  async remove(id: string): Promise<void> {
    const record = this.#records.get(id);
    if (record === undefined) return;
    this.#cancelEjection(record);
    this.#records.delete(id);
    this.#scheduler.removeBackend(id);
    await record.upstream.close();
  }

  async removePool(pool: string): Promise<void> {
    await Promise.all(this.ids(pool).map((id) => this.remove(id)));
  }

  /** Makes a pool's backends those listed (by URL), each with `capacity`: the static configuration. */
  async syncPool(pool: string, urls: readonly string[], capacity: number): Promise<void> {
    const wanted = new Set(urls.map((url) => staticBackendId(pool, url)));
    const removals = this.ids(pool)
      .filter((id) => !wanted.has(id))
      .map((id) => this.remove(id));
    for (const url of urls) {
      const id = staticBackendId(pool, url);
      const record = this.#records.get(id);
      if (record === undefined) this.add(pool, { id, url, capacity });
      else if (record.capacity !== capacity) this.setCapacity(id, capacity);
    }
    await Promise.all(removals);
  }

  ids(pool?: string): string[] {
    const ids: string[] = [];
    for (const record of this.#records.values()) if (pool === undefined || record.pool === pool) ids.push(record.id);
    return ids;
  }

  /** Can a request of this pool start on some backend right now? */
  hasFreeSlot(pool: string): boolean {
    for (const record of this.#records.values()) {
      if (record.pool === pool && record.backend.freeSlots > 0) return true;
    }
    return false;
  }

  /** The active backend of a pool running the fewest requests (for upgrades, which take no slot). */
  leastBusy(pool: string): Backend<Upstream> | undefined {
    let chosen: Backend<Upstream> | undefined;
    for (const record of this.#records.values()) {
      const backend = record.backend;
      if (record.pool !== pool || backend.state !== 'active') continue;
      if (chosen === undefined || backend.inFlight < chosen.inFlight) chosen = backend;
    }
    return chosen;
  }

  /** The backend refused a connection: take it out of rotation for a while. */
  eject(backend: Backend<Upstream>): void {
    const record = this.#records.get(backend.id);
    if (record === undefined || record.backend !== backend || backend.state !== 'active') return;
    this.#scheduler.drainBackend(backend.id);
    this.#logger.warn({ backend: backend.id, pool: record.pool, forMs: this.#ejectionMs }, 'backend unreachable: ejected');
    this.#scheduleRestore(record);
  }

  list(): BackendView[] {
    return [...this.#records.values()].map((record) => ({
      id: record.id,
      pool: record.pool,
      url: record.upstream.url,
      capacity: record.capacity,
      inFlight: record.backend.inFlight,
      state: record.backend.state,
      ejected: record.ejection !== undefined,
    }));
  }

  /** Closes every connection now, running requests or not. */
  async destroy(): Promise<void> {
    const records = [...this.#records.values()];
    for (const record of records) this.#cancelEjection(record);
    await Promise.all(records.map((record) => record.upstream.destroy()));
  }

  #scheduleRestore(record: BackendRecord): void {
    record.ejection = setTimeout(() => this.#restore(record), this.#ejectionMs);
    record.ejection.unref();
  }

  #restore(record: BackendRecord): void {
    record.ejection = undefined;
    if (this.#records.get(record.id) !== record || record.backend.state !== 'draining') return;
    // The drained backend object still counts what it runs; swap it only once that is nothing.
    if (record.backend.inFlight > 0) {
      this.#scheduleRestore(record);
      return;
    }
    this.#scheduler.removeBackend(record.id);
    record.backend = this.#scheduler.addBackend(record.pool, { id: record.id, capacity: record.capacity, target: record.upstream });
    this.#logger.info({ backend: record.id, pool: record.pool }, 'ejected backend back in rotation');
    this.#onRestored();
  }

  #cancelEjection(record: BackendRecord): void {
    if (record.ejection === undefined) return;
    clearTimeout(record.ejection);
    record.ejection = undefined;
  }
}

/** Backends from the configuration file are named by pool and URL, unique even if pools share a URL. */
export function staticBackendId(pool: string, url: string): string {
  return `${pool}@${url}`;
}
