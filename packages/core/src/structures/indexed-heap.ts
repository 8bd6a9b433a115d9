/**
 * A binary min-heap that records each item's position through `setIndex`, so that an arbitrary item
 * can be removed in O(log n) (a cancelled or expired invocation) without a search. An item that is not
 * in the heap has index -1.
 */
export class IndexedHeap<T> {
  readonly #items: T[] = [];
  readonly #less: (a: T, b: T) => boolean;
  readonly #setIndex: (item: T, index: number) => void;
  readonly #getIndex: (item: T) => number;

  constructor(less: (a: T, b: T) => boolean, getIndex: (item: T) => number, setIndex: (item: T, index: number) => void) {
    this.#less = less;
    this.#getIndex = getIndex;
    this.#setIndex = setIndex;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const index = this.#items.length;
    this.#items.push(item);
    this.#setIndex(item, index);
    this.#up(index);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(item: T): boolean {
    const index = this.#getIndex(item);
    const items = this.#items;
    if (index < 0 || items[index] !== item) return false;
    const last = items.pop() as T;
    this.#setIndex(item, -1);
    if (index < items.length) {
      items[index] = last;
      this.#setIndex(last, index);
      this.#up(index);
      this.#down(this.#getIndex(last));
    }
    return true;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    yield* this.#items;
  }

  #up(index: number): void {
    const items = this.#items;
    const item = items[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (!this.#less(item, parent)) break;
      items[index] = parent;
      this.#setIndex(parent, index);
      index = parentIndex;
    }
    items[index] = item;
    this.#setIndex(item, index);
  }

  #down(index: number): void {
    const items = this.#items;
    const length = items.length;
    const item = items[index] as T;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && this.#less(items[right] as T, items[left] as T)) child = right;
      const childItem = items[child] as T;
      if (!this.#less(childItem, item)) break;
      items[index] = childItem;
      this.#setIndex(childItem, index);
      index = child;
    }
    items[index] = item;
    this.#setIndex(item, index);
  }
}
