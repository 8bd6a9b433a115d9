import type { ServerResponse } from 'node:http';
import type { ExpiryReason, RejectionReason } from '@shortline/core';

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
  | 'shutting-down'
  | 'internal-error';

export interface Refusal {
  readonly status: number;
  /** Overload: tell the client when to come back. */
  readonly retryAfter: boolean;
  readonly message: string;
  /** The request body was left unread: the connection cannot carry another request. */
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
  if (refusal.closeConnection === true) res.shouldKeepAlive = false;
  res.writeHead(refusal.status, headers);
  res.end(body);
}
