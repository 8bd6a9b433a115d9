import { Pool } from 'undici';

/**
 * One backend's keep-alive connection pool: the handle (`B`) the scheduler hands back with each
 * assignment. Connections are not limited here; the scheduler already bounds what is in flight.
 */
export class Upstream {
  readonly url: string;
  readonly origin: string;
  readonly pool: Pool;
  /** A path the backend URL carries (`http://host/base`), put in front of every request path. */
  readonly #basePath: string;

  constructor(url: string) {
    const parsed = new URL(url);
    this.url = url;
    this.origin = parsed.origin;
    this.#basePath = parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/$/, '');
    this.pool = new Pool(this.origin, { connections: null, pipelining: 1 });
  }

  pathFor(requestPath: string): string {
    return this.#basePath === '' ? requestPath : this.#basePath + requestPath;
  }

  /** Lets the calls already sent finish, then closes the connections. */
  async close(): Promise<void> {
    if (!this.pool.closed && !this.pool.destroyed) await this.pool.close();
  }

  async destroy(): Promise<void> {
    if (!this.pool.destroyed) await this.pool.destroy();
  }
}
