import type { IncomingMessage } from 'node:http';
import { MAX_HEADER_LINES } from '../../data-server.js';
import type { RequestHandler } from '../handler.js';
import { arrivedOnClosingConnection, type RefusalReason } from '../../http-errors.js';

/** A Host value: a name or an IP literal, and an optional port; no user info, path or spaces. */
const HOST_VALUE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::\d{0,5})?$/;
const SLASH = 47;

/**
 * What Node's parser lets through but a proxy must not pass on, or pass on blindly: the request
 * target a backend would read differently from the classifier, several Host headers (RFC 9112 §3.2:
 * 400), a transfer coding other than chunked (its decoding would be lost on the way: 501), header
 * lines beyond the ones Node keeps (it drops the rest without a word), an HTTP version other than 1.x.
 */
function problemOf(req: IncomingMessage): RefusalReason | undefined {
  // HTTP/2 comes only through the h2c server (http2-data-server.ts), whose requests have a stream;
  // the HTTP/1 parser's never do, whatever version their request line names.
  if (req.httpVersionMajor !== 1 && !(req.httpVersionMajor === 2 && 'stream' in req)) return 'unsupported-http-version';
  const target = req.url;
  if (target === undefined || target.charCodeAt(0) !== SLASH) return 'invalid-request-target';
  const raw = req.rawHeaders;
  if (raw.length >= 2 * MAX_HEADER_LINES) return 'too-many-headers';
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host' && (++hosts > 1 || !HOST_VALUE.test(raw[i + 1] as string))) return 'invalid-host';
  }
  const coding = req.headers['transfer-encoding'];
  if (coding !== undefined && coding.toLowerCase() !== 'chunked') return 'unsupported-transfer-encoding';
  return undefined;
}

/**
 * Refuses requests whose framing or target is ambiguous before anything else looks at them, and
 * leaves unprocessed (never forwarded, never answered) a request pipelined behind an answer that
 * closes the connection: it ends when the connection does.
 */
export function withRequestChecks(next: RequestHandler): RequestHandler {
  return (exchange) => {
    if (arrivedOnClosingConnection(exchange.req)) return;
    const problem = problemOf(exchange.req);
    if (problem === undefined) next(exchange);
    else exchange.refuse(problem);
  };
}
