import { randomUUID } from 'node:crypto';
import type { RequestHandler } from '../handler.js';

/** Longest client-given request id passed on; a longer one is replaced (it ends up in every log line). */
const MAX_REQUEST_ID_LENGTH = 200;

/** Every request gets an `X-Request-Id`: the client's if it sent one, else a new UUID sent upstream. */
export function withRequestId(next: RequestHandler): RequestHandler {
  return (exchange) => {
    const given = exchange.req.headers['x-request-id'];
    if (typeof given === 'string' && given !== '' && given.length <= MAX_REQUEST_ID_LENGTH) {
      exchange.requestId = given;
    } else {
      exchange.requestId = randomUUID();
      exchange.setUpstreamHeader('x-request-id', exchange.requestId);
    }
    next(exchange);
  };
}
