import { addConnectionTokens, isHopByHop } from '../hop-by-hop.js';

/** `Server-Timing` as every response carries it: time queued, and upstream time to the response head. */
export function serverTiming(queueMs: number, upstreamMs: number): string {
  return `queue;dur=${queueMs.toFixed(1)}, upstream;dur=${upstreamMs.toFixed(1)}`;
}

/**
 * The backend's response headers (raw, as undici delivers them) made ready for the client: hop-by-hop
 * ones dropped, `Server-Timing` appended (after the backend's own, if any), `X-Request-Id` added
 * unless the backend set it.
 */
export function clientResponseHeaders(rawHeaders: readonly Buffer[], timing: string, requestId: string): string[] {
  const headers: string[] = [];
  let listedInConnection: string[] | undefined;
  let hasRequestId = false;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as Buffer).toString('latin1');
    const value = (rawHeaders[i + 1] as Buffer).toString('latin1');
    if (isHopByHop(name)) {
      if (name.length === 10 && name.toLowerCase() === 'connection') listedInConnection = addConnectionTokens(value, listedInConnection);
      continue;
    }
    if (name.length === 12 && name.toLowerCase() === 'x-request-id') hasRequestId = true;
    headers.push(name, value);
  }
  if (listedInConnection !== undefined && listedInConnection.length > 0) {
    const tokens = listedInConnection;
    for (let i = headers.length - 2; i >= 0; i -= 2) {
      if (tokens.includes((headers[i] as string).toLowerCase())) headers.splice(i, 2);
    }
  }
  headers.push('server-timing', timing);
  if (!hasRequestId) headers.push('x-request-id', requestId);
  return headers;
}
