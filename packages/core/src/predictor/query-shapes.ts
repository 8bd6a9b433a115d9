import { AS_OTHER, BoundedValues, COLLAPSED, OTHER_VALUE } from './bounded-values.js';

/** Distinct parameter names kept per function; later ones are `*`. */
const NAMES = 32;
/** Distinct values a parameter may take and still be a feature. */
const VALUES_PER_NAME = 8;
/** Parameters read per query at most. */
const MAX_PARAMETERS = 8;
/** Shapes whose key is kept per function; a rarer one past that is spelt out each time it is seen. */
const MAX_SHAPES = 64;
/**
 * One parameter of a shape as a small number: its name's index (+1, so that `*` is 0) times
 * CODE_STRIDE plus its value's (+2, so that "no value" is 0 and `*` is 1), below 2^CODE_BITS. Names
 * and values keep their index for the life of their set, so a sequence of codes always spells the
 * same key.
 */
const CODE_STRIDE = 16;
const CODE_BITS = 10;
/**
 * Parameters whose codes, side by side, still make a small integer (30 bits), which a Map keys
 * without boxing: the number is then the shape itself. A query with more is spelt out each time.
 */
const PACKED_PARAMETERS = 3;

/**
 * The shape of query strings for one function: every parameter's name, and its value while that
 * parameter has taken few distinct values (`format=csv`, `range=week`), never an id's or a search
 * term's. Parameters are taken in the order sent, raw (not percent-decoded). Names and values are
 * read in place in the query: only a new one is sliced out. A shape of up to PACKED_PARAMETERS
 * parameters seen before gives back the same key string, so that such a call builds no string and
 * its key compares by identity.
 */
export class QueryShapes {
  /** The known parameter names, at most NAMES of them (longer ones, and later ones, are `*`). */
  readonly #names = new BoundedValues(NAMES, 'keep-known');
  /** The values of each known name, at the name's index in #names. */
  readonly #values: BoundedValues[] = [];
  /** The keys of the shapes seen, by their packed codes. */
  readonly #keys = new Map<number, string>();
  /** The codes of the query being read: reused, so that reading one allocates nothing. */
  readonly #codes = new Uint16Array(MAX_PARAMETERS);

  /**
   * ` ?name=value&name`, the class-key suffix of the raw query string that `text` holds from `from`
   * on (a request target read in place after its `?`), learning from it; ` ?` for an empty one.
   */
  keyOf(text: string, from = 0): string {
    const codes = this.#codes;
    let count = 0;
    let packed = 0;
    for (let start = from; count < MAX_PARAMETERS && start < text.length; ) {
      let end = text.indexOf('&', start);
      if (end < 0) end = text.length;
      if (end > start) {
        const equals = text.indexOf('=', start);
        const nameEnd = equals >= 0 && equals < end ? equals : end;
        const name = this.#names.indexIn(text, start, nameEnd);
        const value = name < 0 ? COLLAPSED : this.#valuesOf(name).indexIn(text, nameEnd < end ? nameEnd + 1 : end, end);
        const code = (name + 1) * CODE_STRIDE + (value - COLLAPSED);
        codes[count++] = code;
        // +1: a leading parameter of code 0 (`*` with no value) still changes the number.
        if (count <= PACKED_PARAMETERS) packed = packed * (1 << CODE_BITS) + code + 1;
      }
      start = end + 1;
    }
    if (count > PACKED_PARAMETERS) return this.#spell(codes, count);
    const known = this.#keys.get(packed);
    if (known !== undefined) return known;
    const key = this.#spell(codes, count);
    if (this.#keys.size < MAX_SHAPES) this.#keys.set(packed, key);
    return key;
  }

  #spell(codes: Uint16Array, count: number): string {
    let key = ' ?';
    for (let i = 0; i < count; i++) {
      const code = codes[i] as number;
      const name = Math.floor(code / CODE_STRIDE) - 1;
      const value = (code % CODE_STRIDE) + COLLAPSED;
      if (i > 0) key += '&';
      if (name < 0) {
        key += OTHER_VALUE;
        continue;
      }
      key += this.#names.valueAt(name);
      if (value === AS_OTHER) key += `=${OTHER_VALUE}`;
      else if (value >= 0) key += `=${(this.#values[name] as BoundedValues).valueAt(value)}`;
    }
    return key;
  }

  #valuesOf(nameIndex: number): BoundedValues {
    let values = this.#values[nameIndex];
    if (values === undefined) {
      values = new BoundedValues(VALUES_PER_NAME, 'collapse');
      this.#values[nameIndex] = values;
    }
    return values;
  }
}
