import type { IncomingHttpHeaders } from 'node:http';

/** How a request layer changes the headers sent upstream (the proxy's Exchange has these methods). */
export interface UpstreamHeaderEditor {
  setUpstreamHeader(name: string, value: string): void;
  removeUpstreamHeader(name: string): void;
}

/** Set by Knative's ingress or activator to route; the user container never sees them. */
const REVISION_HEADERS = ['knative-serving-revision', 'knative-serving-namespace'] as const;

/**
 * The queue-proxy's rules for the request it hands the user container: `K-Original-Host` (set by
 * the activator, which had to address the pod) becomes the Host again and is removed, and the
 * Knative-Serving-Revision/-Namespace routing headers are removed. (X-Forwarded-For and Forwarded
 * are the proxy's own forwarded-headers layer.)
 */
export function editSidecarRequestHeaders(headers: IncomingHttpHeaders, editor: UpstreamHeaderEditor): void {
  const originalHost = headers['k-original-host'];
  if (originalHost !== undefined) {
    const host = typeof originalHost === 'string' ? originalHost : originalHost[0];
    if (host !== undefined && host !== '') editor.setUpstreamHeader('host', host);
    editor.removeUpstreamHeader('k-original-host');
  }
  for (const name of REVISION_HEADERS) if (headers[name] !== undefined) editor.removeUpstreamHeader(name);
}

/**
 * What the activator does to a request it sends to a revision pod: the client's Host travels in
 * `K-Original-Host` (the pod's queue-proxy restores it) and the Host becomes the pod's address.
 * `K-Proxy-Request: activator` is the same on every request: give it as a static upstream header.
 */
export function editGatewayRequestHeaders(headers: IncomingHttpHeaders, editor: UpstreamHeaderEditor): void {
  const host = headers.host;
  if (host !== undefined && host !== '') editor.setUpstreamHeader('k-original-host', host);
  editor.removeUpstreamHeader('host');
}

/** The static header the gateway adds to every upstream request, as the activator does. */
export const GATEWAY_UPSTREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'k-proxy-request': 'activator' });
