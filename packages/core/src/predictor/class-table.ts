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
    let found = this.#byKey.get(key);
    if (found === undefined) {
      while (this.#byKey.size >= this.capacity && this.#oldest !== undefined) this.#evict(this.#oldest);
      found = new RequestClass(key, level);
      this.#byKey.set(key, found);
    } else if (found === this.#newest) {
      return found;
    } else {
      this.#unlink(found);
    }
    found.older = this.#newest;
    if (this.#newest !== undefined) this.#newest.newer = found;
    this.#newest = found;
    this.#oldest ??= found;
    return found;
  }

  /** Applies a smaller capacity at once. */
  shrinkTo(capacity: number): void {
    this.capacity = capacity;
    while (this.#byKey.size > capacity && this.#oldest !== undefined) this.#evict(this.#oldest);
  }

  #evict(entry: RequestClass): void {
    this.#unlink(entry);
    this.#byKey.delete(entry.key);
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
