import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ExpiryReason, RejectionReason } from '@shortline/core';
import { serverTiming } from './exchange/response-headers.js';

/** Why the proxy answered a request itself (or cut its connection) instead of passing the backend's answer on. */
export type RefusalReason =
  | RejectionReason
  | ExpiryReason
  | 'request-timeout'
  | 'response-start-timeout'
  | 'idle-timeout'
  | 'upstream-unreachable'
  | 'upstream-error'
  | 'cloudevent-too-large'
  | 'invalid-cloudevent'
  | 'invalid-request-target'
  | 'invalid-host'
  | 'too-many-headers'
  | 'unsupported-transfer-encoding'
  | 'unsupported-http-version'
  | 'request-body-timeout'
  | 'shutting-down'
  | 'internal-error';

export interface Refusal {
  readonly status: number;
  /** Overload: tell the client when to come back. */
  readonly retryAfter: boolean;
  readonly message: string;
  /** The connection cannot carry another request: a body was left unread, or its framing is not to be trusted. */
  readonly closeConnection?: true;
}

/** The one place where a reason becomes an HTTP status. */
export const REFUSALS: Readonly<Record<RefusalReason, Refusal>> = {
  'unknown-function': { status: 404, retryAfter: false, message: 'no function matches this request' },
  'function-queue-full': { status: 503, retryAfter: true, message: "the function's queue is full" },
  'queue-full': { status: 503, retryAfter: true, message: 'the queue is full' },
  'max-queue-wait': { status: 503, retryAfter: true, message: "waited in the queue longer than the function's max queue wait" },
  deadline: { status: 504, retryAfter: false, message: 'the request timed out while queued' },
  'function-removed': { status: 503, retryAfter: true, message: 'the function was removed from the configuration while the request was queued' },
  'request-timeout': { status: 504, retryAfter: false, message: 'the request timed out' },
  'response-start-timeout': { status: 504, retryAfter: false, message: 'the backend did not start its response in time' },
  'idle-timeout': { status: 504, retryAfter: false, message: 'the backend sent nothing for too long' },
  'upstream-unreachable': { status: 502, retryAfter: false, message: 'no backend could be reached' },
  'upstream-error': { status: 502, retryAfter: false, message: 'the backend failed before responding' },
  'cloudevent-too-large': { status: 413, retryAfter: false, message: 'the structured CloudEvent is larger than limits.maxCloudEventBytes', closeConnection: true },
  'invalid-cloudevent': { status: 400, retryAfter: false, message: 'the body is not a valid structured CloudEvent' },
  'invalid-request-target': {
    status: 400,
    retryAfter: false,
    message: 'the request target must be a path such as /resize?w=1 (origin form), not a full URL or *',
  },
  'invalid-host': { status: 400, retryAfter: false, message: 'the request must carry at most one Host header, naming a host and an optional port' },
  'too-many-headers': { status: 431, retryAfter: false, message: 'the request has more header lines than the proxy reads', closeConnection: true },
  'unsupported-transfer-encoding': {
    status: 501,
    retryAfter: false,
    message: 'the only transfer coding accepted on a request is chunked',
    closeConnection: true,
  },
  'unsupported-http-version': { status: 505, retryAfter: false, message: 'only HTTP/1.0 and HTTP/1.1 are served here', closeConnection: true },
  'request-body-timeout': {
    status: 408,
    retryAfter: false,
    message: 'the client stopped sending the request body (connections.bodyIdleTimeoutMs)',
    closeConnection: true,
  },
  'shutting-down': { status: 503, retryAfter: true, message: 'the proxy is shutting down' },
  'internal-error': { status: 500, retryAfter: false, message: 'the proxy failed to handle the request' },
};

export interface RefusalContext {
  readonly requestId: string;
  readonly functionName: string;
  readonly serverTiming: string;
  readonly retryAfterSeconds: number;
}

/** The short plain-text body of a refusal: status, reason, what it means, the request id. */
export function refusalBody(reason: RefusalReason, functionName: string, requestId: string): string {
  const refusal = REFUSALS[reason];
  const subject = functionName === '' ? '' : ` (function ${functionName})`;
  return `${refusal.status} ${reason}: ${refusal.message}${subject}\nrequest id: ${requestId}\n`;
}

/**
 * Connections whose last answer told the client they close. Node still parses (and hands over)
 * requests pipelined behind that answer; RFC 9112 §9.6 says they must not be processed.
 */
const closingConnections = new WeakSet<object>();

/** Was this request pipelined behind an answer that closes its connection? Then leave it alone. */
export function arrivedOnClosingConnection(req: IncomingMessage): boolean {
  return closingConnections.has(req.socket);
}

/** Answers with a short plain-text body naming the reason and the request id. */
export function writeRefusal(res: ServerResponse, reason: RefusalReason, context: RefusalContext): void {
  const refusal = REFUSALS[reason];
  const body = refusalBody(reason, context.functionName, context.requestId);
  const headers = [
    'content-type',
    'text/plain; charset=utf-8',
    'content-length',
    String(Buffer.byteLength(body)),
    'x-request-id',
    context.requestId,
    'x-shortline-reason',
    reason,
    'server-timing',
    context.serverTiming,
  ];
  if (refusal.retryAfter) headers.push('retry-after', String(context.retryAfterSeconds));
  if (refusal.closeConnection === true) {
    res.shouldKeepAlive = false;
    closingConnections.add(res.req.socket);
  }
  res.writeHead(refusal.status, headers);
  res.end(body);
}

/** Refused before it was a request: it neither waited nor went upstream. */
const NOT_QUEUED = serverTiming(0, 0);

function rawResponse(status: number, reason: string, message: string): Buffer {
  const body = `${status} ${reason}: ${message}\n`;
  return Buffer.from(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'content-type: text/plain; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `x-shortline-reason: ${reason}\r\n` +
      `server-timing: ${NOT_QUEUED}\r\n` +
      'connection: close\r\n\r\n' +
      body,
    'latin1',
  );
}

/** A request Node could not take in at all, answered on the raw connection, which then closes. */
export interface ClientError {
  readonly status: number;
  readonly reason: string;
  /** The whole answer, status line to body, built once. */
  readonly response: Buffer;
}

function clientError(status: number, reason: string, message: string): ClientError {
  return { status, reason, response: rawResponse(status, reason, message) };
}

const HEADER_TOO_LARGE = clientError(431, 'header-too-large', 'the request line and headers are larger than connections.maxHeaderBytes');
const HEADERS_TIMEOUT = clientError(408, 'headers-timeout', 'the request line and headers did not arrive within connections.headersTimeoutMs');
const CHUNK_EXTENSIONS_TOO_LARGE = clientError(413, 'chunk-extensions-too-large', 'the chunk extensions are too large');
const MALFORMED = clientError(
  400,
  'malformed-request',
  'the request is not valid HTTP/1.1 (request line, header syntax, or Content-Length and Transfer-Encoding framing)',
);

/**
 * The answer to a parser (or head timeout) error, by the error's code; undefined when the connection
 * itself failed (reset, broken pipe) and there is nobody to answer.
 */
export function clientErrorFor(code: string | undefined): ClientError | undefined {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return HEADER_TOO_LARGE;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return HEADERS_TIMEOUT;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return CHUNK_EXTENSIONS_TOO_LARGE;
    default:
      return code?.startsWith('HPE_') === true ? MALFORMED : undefined;
  }
}

/** The answer to CONNECT: a reverse proxy opens no tunnels. */
export const CONNECT_REFUSED = clientError(405, 'connect-not-supported', 'this proxy does not open tunnels (CONNECT)');
