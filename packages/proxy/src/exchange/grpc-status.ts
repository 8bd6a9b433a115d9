/** gRPC's status goes in trailers; a trailers-only response (an error, typically) carries it in its one HEADERS frame. */
const GRPC_STATUS_HEADERS = new Set(['grpc-status', 'grpc-message', 'grpc-status-details-bin']);

/**
 * Takes gRPC's status headers out of a response head (raw, as undici delivers them) and returns them
 * as trailers, or undefined when there are none. undici passes a trailers-only response on as
 * headers; a gRPC client expects the status after the body, so the proxy sends it as trailers.
 */
export function takeGrpcStatus(rawHeaders: Buffer[]): Record<string, string> | undefined {
  let status: Record<string, string> | undefined;
  for (let i = rawHeaders.length - 2; i >= 0; i -= 2) {
    const name = (rawHeaders[i] as Buffer).toString('latin1').toLowerCase();
    if (!GRPC_STATUS_HEADERS.has(name)) continue;
    (status ??= {})[name] = (rawHeaders[i + 1] as Buffer).toString('latin1');
    rawHeaders.splice(i, 2);
  }
  return status;
}
