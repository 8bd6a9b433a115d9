import type { IncomingMessage } from 'node:http';
import { H2CClient, Pool, type Dispatcher } from 'undici';

/** A handler that knows the client request it carries (the proxy's UpstreamCall does). */
interface ClientRequestHandler extends Dispatcher.DispatchHandler {
  readonly req?: IncomingMessage;
}

/**
 * undici's pool, except that a call whose client spoke HTTP/2 goes over h2c instead (Knative's
 * queue-proxy forwards by the same rule, so gRPC works end to end). An HTTP/1.1 call pays one
 * property check for it.
 */
class ProtocolRoutingPool extends Pool {
  readonly #h2c: H2CClient;

  constructor(origin: string, h2c: H2CClient) {
    super(origin, { connections: null, pipelining: 1 });
    this.#h2c = h2c;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if ((handler as ClientRequestHandler).req?.httpVersionMajor === 2) return this.#h2c.dispatch(options, handler);
    return super.dispatch(options, handler);
  }
}

/**
 * One backend's keep-alive connections: the handle (`B`) the scheduler hands back with each
 * assignment. Connections are not limited here; the scheduler already bounds what is in flight.
 */
export class Upstream {
  readonly url: string;
  readonly origin: string;
  /** HTTP/1.1 connections, and the route to `h2c` for HTTP/2 calls. */
  readonly pool: Pool;
  /** Cleartext HTTP/2 with prior knowledge: one session, opened on the first HTTP/2 call. */
  readonly h2c: H2CClient;
  /** A path the backend URL carries (`http://host/base`), put in front of every request path. */
  readonly #basePath: string;

  constructor(url: string) {
    const parsed = new URL(url);
    this.url = url;
    this.origin = parsed.origin;
    this.#basePath = parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/$/, '');
    this.h2c = new H2CClient(this.origin);
    this.pool = new ProtocolRoutingPool(this.origin, this.h2c);
  }

  pathFor(requestPath: string): string {
    return this.#basePath === '' ? requestPath : this.#basePath + requestPath;
  }

  /** Lets the calls already sent finish, then closes the connections. */
  async close(): Promise<void> {
    await Promise.all([this.pool.closed || this.pool.destroyed ? undefined : this.pool.close(), this.h2c.closed || this.h2c.destroyed ? undefined : this.h2c.close()]);
  }

  async destroy(): Promise<void> {
    await Promise.all([this.pool.destroyed ? undefined : this.pool.destroy(), this.h2c.destroyed ? undefined : this.h2c.destroy()]);
  }
}
