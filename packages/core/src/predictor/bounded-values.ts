import { MAX_NAME_LENGTH } from './segment-shape.js';

/** What a value becomes once a keep-known set is full, or when it is too long to be a name. */
export const OTHER_VALUE = '*';
/** `indexIn` for a value that counts as OTHER_VALUE. */
export const AS_OTHER = -1;
/** `indexIn` once a collapse-mode set overflowed. */
export const COLLAPSED = -2;

/**
 * Distinct values of one feature, counted in bounded memory. Two ways to overflow:
 * - `keep-known` (CloudEvent types, parameter names): the first `capacity` values keep their
 *   identity; later ones, and values longer than MAX_NAME_LENGTH, become OTHER_VALUE.
 * - `collapse` (a query parameter's values): the values are a class feature only while there are
 *   few of them; past `capacity` distinct values (long ones count too) every value is dropped
 *   (undefined) for good. The values learnt before stay readable by index (`valueAt`).
 * The values are few, so they are scanned and compared in place: a value inside a longer string
 * (a query) is never sliced out unless it is new.
 */
export class BoundedValues {
  readonly #values: string[] = [];
  #collapsed = false;
  /** Distinct values too long to store, counted towards `capacity` in collapse mode. */
  #unstored = 0;

  constructor(
    readonly capacity: number,
    readonly mode: 'keep-known' | 'collapse',
  ) {}

  /** The value as part of a class key, learning it on the way; undefined once collapsed. */
  keyOf(value: string): string | undefined {
    const index = this.indexIn(value, 0, value.length);
    return index >= 0 ? (this.#values[index] as string) : index === AS_OTHER ? OTHER_VALUE : undefined;
  }

  /**
   * Where the value `text` holds from `start` up to `end` is kept (learning it if new): an index
   * below `capacity`, stable for the set's life; AS_OTHER when it counts as OTHER_VALUE; COLLAPSED.
   */
  indexIn(text: string, start: number, end: number): number {
    if (this.#collapsed) return COLLAPSED;
    const values = this.#values;
    const length = end - start;
    for (let i = 0; i < values.length; i++) {
      const known = values[i] as string;
      if (known.length === length && text.startsWith(known, start)) return i;
    }
    const storable = length <= MAX_NAME_LENGTH;
    if (this.mode === 'keep-known') {
      if (!storable || values.length >= this.capacity) return AS_OTHER;
      return this.#learn(values, text, start, end);
    }
    if (values.length + this.#unstored >= this.capacity) {
      this.#collapsed = true;
      return COLLAPSED;
    }
    if (!storable) {
      this.#unstored++;
      return AS_OTHER;
    }
    return this.#learn(values, text, start, end);
  }

  /** The value kept at an index `indexIn` gave. */
  valueAt(index: number): string {
    return this.#values[index] as string;
  }

  #learn(values: string[], text: string, start: number, end: number): number {
    values.push(start === 0 && end === text.length ? text : text.slice(start, end));
    return values.length - 1;
  }
}
