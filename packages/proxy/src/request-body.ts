import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

/** Does a body follow the head? HTTP/2 says so by not ending the stream with the headers, whatever its headers say. */
export function hasBody(req: IncomingMessage): boolean {
  if (req.httpVersionMajor === 2) return (req as unknown as Http2ServerRequest).stream.endAfterHeaders !== true;
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
