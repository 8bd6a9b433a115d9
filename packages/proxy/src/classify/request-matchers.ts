import type { IncomingHttpHeaders } from 'node:http';

// Request-matching predicates for the hot path: they compare characters in place, so classifying a
// request allocates nothing (no URL object, no lowercased copy, no substring).

const SLASH = 0x2f;
const QUESTION = 0x3f;
const HASH = 0x23;
const COLON = 0x3a;
const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const STRUCTURED_CLOUD_EVENT = /^application\/cloudevents\+json[\t ]*(?:;|$)/i;

/** Where the path starts in a request target: 0 for origin-form (`/a?b`); after the authority for absolute-form. */
function pathStart(url: string): number {
  if (url.charCodeAt(0) === SLASH) return 0;
  const scheme = url.indexOf('://');
  if (scheme < 0) return -1;
  for (let i = scheme + 3; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === SLASH) return i;
    if (c === QUESTION || c === HASH) return -1;
  }
  return -1;
}

/**
 * The raw request path (before `?`, not percent-decoded) starts with `prefix` at a segment boundary:
 * `/resize` matches `/resize`, `/resize/x` and `/resize?x`, not `/resizer`; a prefix ending in `/`
 * matches whatever follows it.
 */
export function hasPathPrefix(url: string, prefix: string): boolean {
  const start = pathStart(url);
  if (start < 0) return prefix === '/';
  if (!url.startsWith(prefix, start)) return false;
  const end = start + prefix.length;
  if (end === url.length || prefix.charCodeAt(prefix.length - 1) === SLASH) return true;
  const next = url.charCodeAt(end);
  return next === SLASH || next === QUESTION || next === HASH;
}

/** The host a request is for: `K-Original-Host` (set by Knative's activator) wins over Host. */
export function requestHost(headers: IncomingHttpHeaders): string | string[] | undefined {
  const original = headers['k-original-host'];
  return typeof original === 'string' && original !== '' ? original : headers.host;
}

/** `value` (a Host header) names `host` (lowercase), ignoring case and any `:port`. */
export function hostMatches(value: string | string[] | undefined, host: string): boolean {
  if (typeof value !== 'string') return false;
  const length = host.length;
  if (value.length < length || (value.length > length && value.charCodeAt(length) !== COLON)) return false;
  for (let i = 0; i < length; i++) {
    let c = value.charCodeAt(i);
    if (c >= UPPER_A && c <= UPPER_Z) c += 32;
    if (c !== host.charCodeAt(i)) return false;
  }
  return true;
}

/** The body is a structured-mode CloudEvent (its attributes, type included, are in the JSON body). */
export function isStructuredCloudEvent(contentType: string | undefined): boolean {
  return contentType !== undefined && STRUCTURED_CLOUD_EVENT.test(contentType);
}
