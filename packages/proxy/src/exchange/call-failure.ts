import type { RefusalReason } from '../http-errors.js';

/** Failures that mean no byte reached the backend: the request may go to another one. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

/** How a call to a backend failed: `unreachable` (nothing was sent) or the reason the client is given. */
export type CallFailure = 'unreachable' | Extract<RefusalReason, 'upstream-error'>;

function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What an error from undici (or the h2c dispatcher) means for the request. Before the call was on a
 * connection (`connected` false), a connection failure means nothing was sent; after, the backend
 * may have started the work, so it is never sent again.
 */
export function classifyCallFailure(error: Error, connected: boolean): CallFailure {
  const code = errorCode(error);
  return !connected && code !== undefined && CONNECT_FAILURES.has(code) ? 'unreachable' : 'upstream-error';
}
