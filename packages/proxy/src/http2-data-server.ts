import type { IncomingMessage, ServerResponse } from 'node:http';
import type http2 from 'node:http2';
import { policedRequestClass, type LiveClientPolicy } from './data-server.js';

export interface Http2DataServer {
  /** Cleartext HTTP/2 (h2c, prior knowledge); feed it sockets with `server.emit('connection', socket)`. */
  readonly server: http2.Http2Server;
  /** Sends GOAWAY on every session; each closes once its streams have ended. */
  closeSessions(): Promise<void>;
  destroySessions(): void;
}

/**
 * An HTTP/1 header list for an HTTP/2 request: `:authority` becomes `host` (unless the client sent
 * one too), the other pseudo-headers go. Header edits then work alike for both protocols.
 */
function http1RawHeaders(raw: readonly string[], hasHost: boolean): string[] {
  const headers: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name === ':authority') {
      if (!hasHost) headers.push('host', raw[i + 1] as string);
    } else if (name.charCodeAt(0) !== 58 /* ':' */) {
      headers.push(name, raw[i + 1] as string);
    }
  }
  return headers;
}

function closeSession(session: http2.ServerHttp2Session): Promise<void> {
  if (session.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    session.once('close', resolve);
    session.close();
  });
}

/**
 * The data plane's HTTP/2 side. Requests are handed to the same request path as HTTP/1.1 ones
 * through node:http2's compatibility API, whose request and response carry everything that path
 * reads and writes (headers, url, method, socket; writeHead with a header list, write, end,
 * addTrailers, 'close', 'drain'). Each request is first given the shape of an HTTP/1 one (`host`,
 * no pseudo-headers), so that classification by host and header edits see no difference; the
 * upstream pool then sends it on over h2c.
 */
export function createHttp2DataServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  policy: LiveClientPolicy,
): Http2DataServer {
  // Loaded here, not at import: a proxy that never sees HTTP/2 (most sidecars) never pays for node:http2.
  const { createServer, Http2ServerRequest } = process.getBuiltinModule('node:http2');
  const sessions = new Set<http2.ServerHttp2Session>();
  // Its requests carry the configured client policy, as HTTP/1.1 ones do (trusted hint sources).
  const server = createServer({ Http2ServerRequest: policedRequestClass(Http2ServerRequest, policy) }, (req, res) => {
    const hasHost = req.headers.host !== undefined;
    if (!hasHost && req.authority !== '') req.headers.host = req.authority;
    Object.defineProperty(req, 'rawHeaders', { value: http1RawHeaders(req.rawHeaders, hasHost) });
    // The compatibility objects stand in for node:http's: see above for what the request path uses.
    handle(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  });
  server.on('session', (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    // A client that breaks the protocol loses its session; its streams' exchanges see them close.
    session.on('error', () => session.destroy());
  });
  return {
    server,
    closeSessions: async () => {
      await Promise.all([...sessions].map(closeSession));
    },
    destroySessions(): void {
      for (const session of sessions) session.destroy();
    },
  };
}
