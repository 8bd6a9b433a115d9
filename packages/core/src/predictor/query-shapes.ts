import { BoundedValues, OTHER_VALUE } from './bounded-values.js';

/** Distinct parameter names kept per function; later ones are `*`. */
const NAMES = 32;
/** Distinct values a parameter may take and still be a feature. */
const VALUES_PER_NAME = 8;
/** Parameters read per query at most. */
const MAX_PARAMETERS = 8;

/**
 * The shape of query strings for one function: every parameter's name, and its value while that
 * parameter has taken few distinct values (`format=csv`, `range=week`), never an id's or a search
 * term's. Parameters are taken in the order sent, raw (not percent-decoded). Names and values are
 * read in place in the query: only a new one is sliced out.
 */
export class QueryShapes {
  /** The known parameter names, at most NAMES of them (longer ones, and later ones, are `*`). */
  readonly #names = new BoundedValues(NAMES, 'keep-known');
  /** The values of each known name, at the name's index in #names. */
  readonly #values: BoundedValues[] = [];

  /**
   * `name=value&name` for the raw query string that `text` holds from `from` on (a request target
   * read in place after its `?`), learning from it; '' for an empty one.
   */
  signatureOf(text: string, from = 0): string {
    let signature = '';
    let start = from;
    for (let taken = 0; taken < MAX_PARAMETERS && start < text.length; ) {
      let end = text.indexOf('&', start);
      if (end < 0) end = text.length;
      if (end > start) {
        const equals = text.indexOf('=', start);
        const nameEnd = equals >= 0 && equals < end ? equals : end;
        const index = this.#names.indexIn(text, start, nameEnd);
        if (taken > 0) signature += '&';
        if (index < 0) {
          signature += OTHER_VALUE;
        } else {
          signature += this.#names.valueAt(index);
          const value = this.#valuesOf(index).keyIn(text, nameEnd < end ? nameEnd + 1 : end, end);
          if (value !== undefined) signature += `=${value}`;
        }
        taken++;
      }
      start = end + 1;
    }
    return signature;
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
