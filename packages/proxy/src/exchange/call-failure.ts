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

/**
 * How a call to a backend failed: `unreachable` (nothing was sent), `closed-on-reuse` (a kept-alive
 * connection closed under the request before any of its answer came: the keep-alive race, where the
 * backend closes an idle connection just as the proxy sends on it), or the reason the client is given.
 */
export type CallFailure = 'unreachable' | 'closed-on-reuse' | Extract<RefusalReason, 'upstream-error'>;

function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * undici's "other side closed" carries the socket's byte counts. Read bytes on a connection that
 * closed before this call's answer had a head are, but for a backend that broke off in the middle of
 * a head, earlier calls' answers: the connection was a kept-alive one.
 */
function closedAfterEarlierAnswers(error: Error): boolean {
  if (errorCode(error) !== 'UND_ERR_SOCKET') return false;
  const bytesRead = (error as { socket?: { bytesRead?: unknown } }).socket?.bytesRead;
  return typeof bytesRead === 'number' && bytesRead > 0;
}

/**
 * What an error from undici (or the h2c dispatcher) means for the request. Before the call was on a
 * connection (`connected` false), a connection failure means nothing was sent. After, the backend
 * may have started the work; only a reused connection that closed before the answer's head
 * (`responded` false) is told apart, for the caller to judge whether the request may go again.
 */
export function classifyCallFailure(error: Error, connected: boolean, responded: boolean): CallFailure {
  if (!connected) {
    const code = errorCode(error);
    return code !== undefined && CONNECT_FAILURES.has(code) ? 'unreachable' : 'upstream-error';
  }
  return !responded && closedAfterEarlierAnswers(error) ? 'closed-on-reuse' : 'upstream-error';
}
