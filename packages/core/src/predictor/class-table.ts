import { RequestClass, type ClassLevel } from './request-class.js';

/**
 * A function's request classes, at most `capacity`, found by key, in a recency list: a new class past
 * capacity evicts the least recent one (a route's finer classes are looked up after it, so they go
 * before it). A lookup moves a class to the front only if it has not moved in the last capacity/4
 * lookups: moving one touches its neighbours in the list, which are cold when a proxy serves many
 * functions, and a class used that recently is far from the end of the list anyway. So a class is
 * evicted only once every other class of a full table has moved or been created since it last
 * moved, and a table of up to 7 classes is exactly least recently used. A prediction made before an
 * eviction keeps its class object and still learns into it harmlessly.
 */
export class ClassTable {
  readonly #byKey = new Map<string, RequestClass>();
  #newest: RequestClass | undefined = undefined;
  #oldest: RequestClass | undefined = undefined;
  /** Lookups so far: what a class's `movedAt` is counted in. */
  #lookups = 0;
  #staysFor: number;
  evictions = 0;

  constructor(public capacity: number) {
    this.#staysFor = Math.floor(capacity / 4);
  }

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
    this.#lookups++;
    this.#pushNewest(created);
    return created;
  }

  /** Counts a lookup of a class the table holds (not evicted), as `touch` would. */
  refresh(entry: RequestClass): void {
    const lookups = ++this.#lookups;
    if (lookups - entry.movedAt <= this.#staysFor || entry === this.#newest) return;
    this.#unlink(entry);
    this.#pushNewest(entry);
  }

  #pushNewest(entry: RequestClass): void {
    entry.movedAt = this.#lookups;
    entry.older = this.#newest;
    if (this.#newest !== undefined) this.#newest.newer = entry;
    this.#newest = entry;
    this.#oldest ??= entry;
  }

  /** Applies a smaller capacity at once. */
  shrinkTo(capacity: number): void {
    this.capacity = capacity;
    this.#staysFor = Math.floor(capacity / 4);
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
