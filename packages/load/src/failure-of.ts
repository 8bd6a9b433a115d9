import type { RecordFailure } from '@shortline/sim';

const BY_CODE: Readonly<Record<string, RecordFailure>> = {
  ECONNREFUSED: 'refused',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  UND_ERR_DESTROYED: 'aborted',
  UND_ERR_ABORTED: 'aborted',
};

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node tries each address of a name in turn and reports them together (`localhost`: ::1, 127.0.0.1).
  if (error instanceof AggregateError) return codeOf(error.errors[0]);
  return undefined;
}

/** The failure class of a request that got no answer: what the records' status column says. */
export function failureOf(error: unknown): RecordFailure {
  const code = codeOf(error);
  return (code === undefined ? undefined : BY_CODE[code]) ?? 'error';
}
