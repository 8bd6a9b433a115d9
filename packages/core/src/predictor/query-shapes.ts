import { BoundedValues, OTHER_VALUE } from './bounded-values.js';

export interface QueryShapesOptions {
  /** Distinct parameter names kept; later ones are `*`. Default 32. */
  readonly names?: number;
  /** Distinct values a parameter may take and still be a feature. Default 8. */
  readonly valuesPerName?: number;
  /** Parameters read per query at most. Default 8. */
  readonly maxParameters?: number;
}

/**
 * The shape of query strings for one function: every parameter's name, and its value while that
 * parameter has taken few distinct values (`format=csv`, `range=week`), never an id's or a search
 * term's. Parameters are taken in the order sent, raw (not percent-decoded).
 */
export class QueryShapes {
  readonly #names: BoundedValues;
  readonly #values = new Map<string, BoundedValues>();
  readonly #valuesPerName: number;
  readonly #maxParameters: number;

  constructor(options: QueryShapesOptions = {}) {
    this.#names = new BoundedValues(options.names ?? 32, 'keep-known');
    this.#valuesPerName = options.valuesPerName ?? 8;
    this.#maxParameters = options.maxParameters ?? 8;
  }

  /** `name=value&name` for a raw query string, learning from it; '' for an empty one. */
  signatureOf(query: string): string {
    let signature = '';
    let start = 0;
    for (let taken = 0; taken < this.#maxParameters && start < query.length; ) {
      let end = query.indexOf('&', start);
      if (end < 0) end = query.length;
      if (end > start) {
        const equals = query.indexOf('=', start);
        const nameEnd = equals >= 0 && equals < end ? equals : end;
        const name = this.#names.keyOf(query.slice(start, nameEnd)) as string;
        if (taken > 0) signature += '&';
        signature += name;
        if (name !== OTHER_VALUE) {
          const value = this.#valuesOf(name).keyOf(nameEnd < end ? query.slice(nameEnd + 1, end) : '');
          if (value !== undefined) signature += `=${value}`;
        }
        taken++;
      }
      start = end + 1;
    }
    return signature;
  }

  #valuesOf(name: string): BoundedValues {
    let values = this.#values.get(name);
    if (values === undefined) {
      values = new BoundedValues(this.#valuesPerName, 'collapse');
      this.#values.set(name, values);
    }
    return values;
  }
}
