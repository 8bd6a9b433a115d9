import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';

/**
 * Compresses the request body as it arrives and streams the result back (SeBS's compression): the
 * work is the body's size, and nothing is buffered beyond what backpressure allows.
 */
export function gzipBody(request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/gzip' });
  pipeline(request, createGzip(), response, (error) => {
    if (error) response.destroy();
  });
}
