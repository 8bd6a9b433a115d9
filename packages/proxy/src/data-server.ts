import { createServer, IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { CONFIG_DEFAULTS, createCidrMatcher, type CidrMatcher, type HintHeaders, type ShortlineConfig } from './config/index.js';
import { clientErrorFor, CONNECT_REFUSED } from './http-errors.js';

/** What the data listener allows its clients and grants them; every request it parses carries it. */
export interface ClientPolicy {
  /** connections.bodyIdleTimeoutMs: 0 = off. */
  readonly bodyIdleTimeoutMs: number;
  readonly hintHeaders: HintHeaders;
  /** Is this peer address (the TCP peer, never a forwarded header) trusted to send scheduling hints? */
  readonly trusts: CidrMatcher;
}

/** For requests that did not come through a data server: the defaults, trusting nobody. */
const DEFAULT_CLIENT_POLICY: ClientPolicy = {
  bodyIdleTimeoutMs: CONFIG_DEFAULTS.connections.bodyIdleTimeoutMs,
  hintHeaders: CONFIG_DEFAULTS.trust.hintHeaders,
  trusts: createCidrMatcher([]),
};

/** Node's own limit on header lines; it drops the ones beyond it silently, so the request path refuses those requests. */
export const MAX_HEADER_LINES = 2000;
/**
 * How often, at most, Node looks for connections whose request head is overdue (its default is 30 s).
 * Once a second keeps a head timeout lowered by a reload close to exact, for a scan of the open
 * connections that costs next to nothing.
 */
const MAX_CHECK_INTERVAL_MS = 1000;

/** The policy `connections` and `trust` describe. */
function createClientPolicy(config: ShortlineConfig): ClientPolicy {
  return {
    bodyIdleTimeoutMs: config.connections.bodyIdleTimeoutMs,
    hintHeaders: config.trust.hintHeaders,
    trusts: createCidrMatcher(config.trust.trustedSources),
  };
}

/** The policy in force, replaced on a reload: requests read it when they need it, so a change applies to the next one. */
export class LiveClientPolicy {
  current: ClientPolicy;

  constructor(config: ShortlineConfig) {
    this.current = createClientPolicy(config);
  }

  apply(config: ShortlineConfig): void {
    this.current = createClientPolicy(config);
  }
}

// A mixin's base must be constructible with whatever its subclass is given: `any[]` is the only way to say so.
type RequestClass = new (...args: any[]) => object;

/**
 * A request class (node:http's IncomingMessage, or node:http2's Http2ServerRequest) whose every
 * request carries the policy in force, read through the prototype: nothing is added per request.
 */
export function policedRequestClass<C extends RequestClass>(Base: C, policy: LiveClientPolicy): C {
  return class PolicedRequest extends Base {
    get clientPolicy(): ClientPolicy {
      return policy.current;
    }
  };
}

/** The policy of the server that parsed the request; the defaults (trusting nobody) for any other. */
export function clientPolicyOf(req: IncomingMessage): ClientPolicy {
  return (req as { readonly clientPolicy?: ClientPolicy }).clientPolicy ?? DEFAULT_CLIENT_POLICY;
}

/** The response being written on this connection, if any (Node keeps it in `_httpMessage`; pipelined ones wait behind it). */
function pendingResponse(socket: Duplex): ServerResponse | undefined {
  return (socket as { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
}

/**
 * Bytes Node could not parse as a request (or a request head that came too slowly). If they belong
 * to the request being answered (its head, or its body before the answer started), that request gets
 * the error answer and the connection closes. If they came after a request still being answered (a
 * malformed pipelined request, bytes after `Connection: close`), nothing more is read: that request is
 * answered first, and the connection closes after it (an answer written now would be taken for that request's).
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, refused: (reason: string) => void): void {
  const clientError = clientErrorFor(error.code);
  if (clientError !== undefined) refused(clientError.reason);
  const pending = pendingResponse(socket);
  if (clientError !== undefined && pending !== undefined && (pending.headersSent || pending.req.complete)) {
    socket.pause();
    if (!pending.headersSent) pending.shouldKeepAlive = false;
    return;
  }
  if (clientError !== undefined && socket.writable) socket.write(clientError.response);
  socket.destroy();
}

/**
 * The node:http server that receives invocations, with the connection-level limits that protect it
 * from its clients: the request head's size (431) and pace (408), a body that stops arriving once it
 * is being read (enforced per request by the Exchange), and a plain answer to what cannot be parsed.
 * A held request keeps its body unread for as long as it waits, so neither Node's whole-request
 * timeout nor a socket idle timeout applies: the request timeout (queue wait included) is the proxy's.
 * `refused` hears the reason of each of those refusals, which never become requests.
 */
export function createDataServer(
  config: ShortlineConfig,
  policy: LiveClientPolicy,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  refused: (reason: string) => void,
): Server {
  const connections = config.connections;
  const server = createServer(
    {
      IncomingMessage: policedRequestClass(IncomingMessage, policy),
      requestTimeout: 0,
      headersTimeout: connections.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(connections.headersTimeoutMs / 4))),
      maxHeaderSize: connections.maxHeaderBytes,
    },
    handle,
  );
  server.maxHeadersCount = MAX_HEADER_LINES;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, refused));
  // A reverse proxy opens no tunnels: without this, Node would drop the connection without a word.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    refused(CONNECT_REFUSED.reason);
    socket.write(CONNECT_REFUSED.response);
    socket.destroy();
  });
  return server;
}

/**
 * A reload's `connections` for a running data server. Node reads both limits afresh where it uses
 * them: the head size when a connection opens (connections already open keep theirs), the head
 * timeout each time it looks for overdue heads. How often it looks is fixed at start (every second,
 * or a quarter of the starting timeout if that is shorter), so a lower timeout is enforced at that pace.
 */
export function applyConnections(server: Server, config: ShortlineConfig): void {
  server.headersTimeout = config.connections.headersTimeoutMs;
  // The option `maxHeaderSize` is kept on the server and read for every new connection; @types/node does not declare it.
  (server as Server & { maxHeaderSize: number }).maxHeaderSize = config.connections.maxHeaderBytes;
}
