import http2 from 'node:http2';

const {
  HTTP2_HEADER_AUTHORITY,
  HTTP2_HEADER_METHOD,
  HTTP2_HEADER_PATH,
  HTTP2_HEADER_SCHEME,
  HTTP2_HEADER_STATUS,
  NGHTTP2_CANCEL,
  NGHTTP2_FLAG_END_STREAM,
  NGHTTP2_INTERNAL_ERROR,
} = http2.constants;

export interface H2cForwarderOptions {
  /** The upstream origin, e.g. http://127.0.0.1:8080 (the user container). */
  readonly origin: string;
}

export interface H2cForwarder {
  /** Forwards one request (node:http2 compatibility API), streaming both ways, trailers included. */
  forward(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void;
  close(): void;
}

/**
 * Forwards HTTP/2 requests to an h2c origin over one shared client session (reopened when it
 * closes), so gRPC works end to end: bodies are streamed, never buffered, and trailers such as
 * grpc-status reach the client. A client that goes away cancels the upstream stream.
 */
export function createH2cForwarder(options: H2cForwarderOptions): H2cForwarder {
  const authority = new URL(options.origin).host;
  let session: http2.ClientHttp2Session | undefined;

  const connect = (): http2.ClientHttp2Session => {
    if (session !== undefined && !session.closed && !session.destroyed) return session;
    const opened = http2.connect(options.origin);
    opened.on('error', () => opened.destroy());
    opened.on('close', () => {
      if (session === opened) session = undefined;
    });
    opened.unref();
    session = opened;
    return opened;
  };

  return {
    forward(req, res): void {
      const headers: http2.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!name.startsWith(':')) headers[name] = value;
      }
      headers[HTTP2_HEADER_METHOD] = req.method;
      headers[HTTP2_HEADER_PATH] = req.url;
      headers[HTTP2_HEADER_SCHEME] = 'http';
      headers[HTTP2_HEADER_AUTHORITY] = req.authority || authority;

      let upstream: http2.ClientHttp2Stream;
      try {
        upstream = connect().request(headers);
      } catch {
        res.writeHead(502).end();
        return;
      }
      upstream.on('response', (responseHeaders, flags) => {
        const status = Number(responseHeaders[HTTP2_HEADER_STATUS]);
        const forwarded: http2.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(responseHeaders)) {
          if (!name.startsWith(':')) forwarded[name] = value;
        }
        // A gRPC error is often "trailers-only": one HEADERS frame that ends the stream. It must
        // reach the client the same way, or grpc-status is read as ordinary headers and lost.
        if ((flags & NGHTTP2_FLAG_END_STREAM) !== 0) {
          upstream.unpipe(res);
          res.stream.respond({ ...forwarded, [HTTP2_HEADER_STATUS]: status }, { endStream: true });
          return;
        }
        res.writeHead(status, forwarded);
      });
      upstream.on('trailers', (trailers) => res.addTrailers(trailers));
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.stream.close(NGHTTP2_INTERNAL_ERROR);
      });
      res.on('close', () => {
        if (!upstream.closed) upstream.close(NGHTTP2_CANCEL);
      });
      req.pipe(upstream);
      upstream.pipe(res);
    },
    close(): void {
      session?.close();
      session = undefined;
    },
  };
}
