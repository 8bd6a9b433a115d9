import { MAX_NAME_LENGTH } from './segment-shape.js';

/** What a value becomes once a keep-known set is full, or when it is too long to be a name. */
export const OTHER_VALUE = '*';

/**
 * Distinct values of one feature, counted in bounded memory. Two ways to overflow:
 * - `keep-known` (CloudEvent types, parameter names): the first `capacity` values keep their
 *   identity; later ones, and values longer than MAX_NAME_LENGTH, become OTHER_VALUE.
 * - `collapse` (a query parameter's values): the values are a class feature only while there are
 *   few of them; past `capacity` distinct values (long ones count too) every value is dropped
 *   (undefined) for good and the set is freed.
 */
export class BoundedValues {
  #values: Set<string> | undefined = new Set();
  /** Distinct values too long to store, counted towards `capacity` in collapse mode. */
  #unstored = 0;

  constructor(
    readonly capacity: number,
    readonly mode: 'keep-known' | 'collapse',
  ) {}

  /** The value as part of a class key, learning it on the way; undefined once collapsed. */
  keyOf(value: string): string | undefined {
    const values = this.#values;
    if (values === undefined) return undefined;
    if (values.has(value)) return value;
    const storable = value.length <= MAX_NAME_LENGTH;
    if (this.mode === 'keep-known') {
      if (!storable || values.size >= this.capacity) return OTHER_VALUE;
      values.add(value);
      return value;
    }
    if (values.size + this.#unstored >= this.capacity) {
      this.#values = undefined;
      return undefined;
    }
    if (!storable) {
      this.#unstored++;
      return OTHER_VALUE;
    }
    values.add(value);
    return value;
  }
}
