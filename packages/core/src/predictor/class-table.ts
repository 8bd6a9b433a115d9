import { RequestClass, type ClassLevel } from './request-class.js';

/**
 * A function's request classes, at most `capacity`, found by key. Every lookup makes a class the
 * most recent; a new class past capacity evicts the least recent one (a route's finer classes are
 * looked up after it, so they go before it). A prediction made before an eviction keeps its class
 * object and still learns into it harmlessly.
 */
export class ClassTable {
  readonly #byKey = new Map<string, RequestClass>();
  #newest: RequestClass | undefined = undefined;
  #oldest: RequestClass | undefined = undefined;
  evictions = 0;

  constructor(public capacity: number) {}

  get size(): number {
    return this.#byKey.size;
  }

  classes(): IterableIterator<RequestClass> {
    return this.#byKey.values();
  }

  /** The class for a key, created (evicting the least recent past capacity) if new; now the most recent. */
  touch(key: string, level: ClassLevel): RequestClass {
    const found = this.#byKey.get(key);
    if (found !== undefined) {
      this.refresh(found);
      return found;
    }
    while (this.#byKey.size >= this.capacity && this.#oldest !== undefined) this.#evict(this.#oldest);
    const created = new RequestClass(key, level);
    this.#byKey.set(key, created);
    this.#pushNewest(created);
    return created;
  }

  /** Makes a class the table holds (not evicted) the most recent, as `touch` would. */
  refresh(entry: RequestClass): void {
    if (entry === this.#newest) return;
    this.#unlink(entry);
    this.#pushNewest(entry);
  }

  #pushNewest(entry: RequestClass): void {
    entry.older = this.#newest;
    if (this.#newest !== undefined) this.#newest.newer = entry;
    this.#newest = entry;
    this.#oldest ??= entry;
  }

  /** Applies a smaller capacity at once. */
  shrinkTo(capacity: number): void {
    this.capacity = capacity;
    while (this.#byKey.size > capacity && this.#oldest !== undefined) this.#evict(this.#oldest);
  }

  #evict(entry: RequestClass): void {
    this.#unlink(entry);
    this.#byKey.delete(entry.key);
    entry.evicted = true;
    this.evictions++;
  }

  #unlink(entry: RequestClass): void {
    if (entry.newer === undefined) this.#newest = entry.older;
    else entry.newer.older = entry.older;
    if (entry.older === undefined) this.#oldest = entry.newer;
    else entry.older.newer = entry.newer;
    entry.newer = undefined;
    entry.older = undefined;
  }
}
