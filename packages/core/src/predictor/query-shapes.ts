import { BoundedValues, OTHER_VALUE } from './bounded-values.js';
import { MAX_NAME_LENGTH } from './segment-shape.js';

/** Distinct parameter names kept per function; later ones are `*`. */
const NAMES = 32;
/** Distinct values a parameter may take and still be a feature. */
const VALUES_PER_NAME = 8;
/** Parameters read per query at most. */
const MAX_PARAMETERS = 8;

/**
 * The shape of query strings for one function: every parameter's name, and its value while that
 * parameter has taken few distinct values (`format=csv`, `range=week`), never an id's or a search
 * term's. Parameters are taken in the order sent, raw (not percent-decoded).
 */
export class QueryShapes {
  /** Each known parameter name with its values; at most NAMES of them. */
  readonly #parameters = new Map<string, BoundedValues>();

  /** `name=value&name` for a raw query string, learning from it; '' for an empty one. */
  signatureOf(query: string): string {
    let signature = '';
    let start = 0;
    for (let taken = 0; taken < MAX_PARAMETERS && start < query.length; ) {
      let end = query.indexOf('&', start);
      if (end < 0) end = query.length;
      if (end > start) {
        const equals = query.indexOf('=', start);
        const nameEnd = equals >= 0 && equals < end ? equals : end;
        const name = query.slice(start, nameEnd);
        const values = this.#valuesOf(name);
        if (taken > 0) signature += '&';
        if (values === undefined) {
          signature += OTHER_VALUE;
        } else {
          signature += name;
          const value = values.keyOf(nameEnd < end ? query.slice(nameEnd + 1, end) : '');
          if (value !== undefined) signature += `=${value}`;
        }
        taken++;
      }
      start = end + 1;
    }
    return signature;
  }

  /** A parameter's values, learning its name; undefined for a name past the first NAMES (or too long to be one). */
  #valuesOf(name: string): BoundedValues | undefined {
    let values = this.#parameters.get(name);
    if (values === undefined) {
      if (this.#parameters.size >= NAMES || name.length > MAX_NAME_LENGTH) return undefined;
      values = new BoundedValues(VALUES_PER_NAME, 'collapse');
      this.#parameters.set(name, values);
    }
    return values;
  }
}
