import type { InvocationId } from '../invocation.js';

const MIN_BITS = 6;
/** Fibonacci hashing: multiply by 2^32/φ and keep the high bits, which depend on every input bit. */
const GOLDEN = 0x9e3779b1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** SameValueZero, as a Map compares keys: NaN finds NaN, and 0 finds -0. */
function sameId(a: InvocationId | undefined, b: InvocationId): boolean {
  return a === b || (a !== a && b !== b);
}

function hash32(id: InvocationId): number {
  if (typeof id === 'number') {
    // Fractional ids share the hash of their integer part: still correct, only slower.
    return id === id ? (id | 0) ^ ((id / 4294967296) | 0) : 0;
  }
  let h = FNV_OFFSET;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Values by invocation id (a number or a string): an open-addressing hash table with linear probing
 * and backward-shift deletion. It keeps the same two slot arrays while its size moves between an
 * eighth and a half of their length; only a change of scale reallocates them.
 *
 * Why not a Map: the proxy adds and deletes an entry per request while only a few dozen are live, and
 * under that churn a Map replaces its backing table every few dozen operations. A replaced table still
 * references its successor and the entries it held; once one has been promoted to the old generation,
 * each young-generation collection keeps alive what hangs off it. Every request's objects then outlive
 * the request, get promoted, and collections cost several times more (bench/RESULTS.md, "Garbage
 * collection").
 */
export class IdIndex<V> {
  #keys: (InvocationId | undefined)[];
  #values: (V | undefined)[];
  #shift: number;
  #mask: number;
  #size = 0;

  constructor() {
    this.#keys = new Array<InvocationId | undefined>(1 << MIN_BITS).fill(undefined);
    this.#values = new Array<V | undefined>(1 << MIN_BITS).fill(undefined);
    this.#shift = 32 - MIN_BITS;
    this.#mask = (1 << MIN_BITS) - 1;
  }

  get size(): number {
    return this.#size;
  }

  get(id: InvocationId): V | undefined {
    const slot = this.#find(id);
    return slot < 0 ? undefined : this.#values[slot];
  }

  has(id: InvocationId): boolean {
    return this.#find(id) >= 0;
  }

  /** Adds the id, or replaces its value. */
  set(id: InvocationId, value: V): void {
    const keys = this.#keys;
    let slot = this.#home(id);
    for (let key = keys[slot]; key !== undefined; key = keys[slot]) {
      if (sameId(key, id)) {
        this.#values[slot] = value;
        return;
      }
      slot = (slot + 1) & this.#mask;
    }
    keys[slot] = id;
    this.#values[slot] = value;
    if (++this.#size * 2 > keys.length) this.#resize(this.#bits() + 1);
  }

  /** Removes the id; false if it was not there. */
  delete(id: InvocationId): boolean {
    let hole = this.#find(id);
    if (hole < 0) return false;
    const keys = this.#keys;
    const values = this.#values;
    const mask = this.#mask;
    // Backward shift: move later entries of the probe run into the hole, so no tombstone is left.
    for (let slot = (hole + 1) & mask; ; slot = (slot + 1) & mask) {
      const key = keys[slot];
      if (key === undefined) break;
      const home = this.#home(key);
      // The entry may move back only if its home is not cyclically within (hole, slot].
      const between = hole <= slot ? home > hole && home <= slot : home > hole || home <= slot;
      if (between) continue;
      keys[hole] = key;
      values[hole] = values[slot];
      hole = slot;
    }
    keys[hole] = undefined;
    values[hole] = undefined;
    this.#size--;
    if (this.#size * 8 < keys.length && this.#bits() > MIN_BITS) this.#resize(this.#bits() - 1);
    return true;
  }

  *values(): IterableIterator<V> {
    const keys = this.#keys;
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] !== undefined) yield this.#values[slot] as V;
    }
  }

  #home(id: InvocationId): number {
    return Math.imul(hash32(id), GOLDEN) >>> this.#shift;
  }

  #find(id: InvocationId): number {
    const keys = this.#keys;
    let slot = this.#home(id);
    for (let key = keys[slot]; key !== undefined; key = keys[slot]) {
      if (sameId(key, id)) return slot;
      slot = (slot + 1) & this.#mask;
    }
    return -1;
  }

  #bits(): number {
    return 32 - this.#shift;
  }

  #resize(bits: number): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    this.#keys = new Array<InvocationId | undefined>(1 << bits).fill(undefined);
    this.#values = new Array<V | undefined>(1 << bits).fill(undefined);
    this.#shift = 32 - bits;
    this.#mask = (1 << bits) - 1;
    this.#size = 0;
    for (let slot = 0; slot < oldKeys.length; slot++) {
      const key = oldKeys[slot];
      if (key !== undefined) this.set(key, oldValues[slot] as V);
    }
  }
}
