const EQUALS = 61;

/** Content-Length when the request has no such header: -1 if a body follows anyway (chunked), else 0. */
export const UNKNOWN_LENGTH = -1;

/**
 * What the proxy (or the simulator) knows about a request before it starts, read without touching the
 * body: the raw inputs of request-level prediction. Filling it is a few field reads and one indexOf;
 * the request target is kept whole and read in place, because a request's features live as long as
 * it waits and a path and a query sliced out of every target are garbage the collector must promote
 * and sweep. Everything that costs (templates, distinct-value counting) happens in the predictor,
 * bounded.
 */
export class RequestFeatures {
  constructor(
    /** The HTTP method as received (`GET`, `POST`). */
    readonly method: string,
    /** The request target as received: `/users/42/orders?page=2`. */
    readonly target: string,
    /** Where the path ends in `target`: the index of its first `?`, or its length when it has none. */
    readonly pathEnd: number,
    /** The body's size in bytes from Content-Length; 0 for a request without a body; -1 when unknown (chunked). */
    readonly contentLength: number,
    /** The CloudEvent type (`ce-type`, or the structured event's `type`); undefined when it is no event. */
    readonly ceType: string | undefined,
    /** Values of operator-chosen headers or query parameters, joined by the caller in a fixed order. */
    readonly extra: string | undefined,
  ) {}

  /** The target's path, without the query: `/users/42/orders`. */
  get path(): string {
    return this.target.slice(0, this.pathEnd);
  }

  /** The raw query string after `?`, without it; '' when there is none. */
  get query(): string {
    return this.target.slice(this.pathEnd + 1);
  }

  /** Whether the target has a query that is not empty (cheaper than `query !== ''`: nothing is sliced). */
  get hasQuery(): boolean {
    return this.pathEnd + 1 < this.target.length;
  }
}

/** Features from the request line as it arrives (`/path?query`), with no URL parsing: one indexOf. */
export function requestFeatures(
  method: string,
  target: string,
  contentLength: number,
  ceType: string | undefined = undefined,
  extra: string | undefined = undefined,
): RequestFeatures {
  const question = target.indexOf('?');
  return new RequestFeatures(method, target, question < 0 ? target.length : question, contentLength, ceType, extra);
}

/**
 * The body size a Content-Length header announces: its value when it is a plain decimal number,
 * else -1 (absent with a body coming chunked, or malformed). `hasBody` says whether a body follows
 * without the header (Transfer-Encoding present); without either, the request has no body: 0.
 */
export function contentLengthOf(header: string | undefined, hasBody: boolean): number {
  if (header === undefined) return hasBody ? UNKNOWN_LENGTH : 0;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 && header.length > 0 ? length : UNKNOWN_LENGTH;
}

/**
 * The raw value of the first `name=` parameter of a raw query string (`model` in `a=1&model=x`),
 * '' for a bare `name`, undefined when absent: for operator-chosen query features, without parsing
 * the query into an object.
 */
export function queryParameter(query: string, name: string): string | undefined {
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    if (query.startsWith(name, start)) {
      const after = start + name.length;
      if (after === end) return '';
      if (query.charCodeAt(after) === EQUALS) return query.slice(after + 1, end);
    }
    start = end + 1;
  }
  return undefined;
}
