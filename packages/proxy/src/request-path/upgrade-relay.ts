import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type HttpProxy from 'http-proxy';
import type { Logger } from 'pino';
import type { Upstream } from '../dispatch/upstream.js';
import type { Exchange } from '../exchange/exchange.js';
import { serverTiming } from '../exchange/response-headers.js';
import type { UpgradeResponse } from '../exchange/upgrade-response.js';
import type { RequestHandler } from './handler.js';

export interface UpgradeRelayOptions {
  /** The backend a function's upgrades go to now, or undefined if its pool has none. */
  readonly upstreamFor: (functionName: string) => Upstream | undefined;
  readonly retryAfterSeconds: () => number;
  readonly logger: Logger;
}

/**
 * HTTP upgrades (WebSocket), once the request path has checked and classified them, are relayed
 * straight to a backend of their function through http-proxy: they bypass the queue and take no
 * concurrency slot. A WebSocket lives for minutes and mostly idles, so holding a slot for it would
 * starve the requests the slot exists for; the connections relayed are counted instead
 * (`shortline_upgrades_active`).
 */
export class UpgradeRelay {
  readonly #options: UpgradeRelayOptions;
  /** Loaded with the first upgrade: most proxies relay none, and http-proxy brings its own dependencies. */
  #proxy: Promise<HttpProxy> | undefined = undefined;
  readonly #sockets = new Set<Duplex>();

  constructor(options: UpgradeRelayOptions) {
    this.#options = options;
  }

  get active(): number {
    return this.#sockets.size;
  }

  /** The innermost step of the upgrade request path. */
  readonly relay: RequestHandler = (exchange) => {
    const upstream = this.#options.upstreamFor(exchange.functionName);
    if (upstream === undefined) {
      exchange.refuse('upstream-unreachable');
      return;
    }
    const req = exchange.req;
    const edits = exchange.upstreamHeaderEdits;
    for (let i = 0; i < edits.length; i += 2) {
      const name = edits[i] as string;
      const value = edits[i + 1];
      if (value === undefined) delete req.headers[name];
      else req.headers[name] = value;
    }
    req.headers['x-request-id'] = exchange.requestId;
    exchange.relayed();
    const response = exchange.response as UpgradeResponse;
    const socket = response.socket;
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    this.#proxy ??= import('http-proxy').then((module) => module.default.createProxyServer({ ws: true, xfwd: false }));
    this.#proxy.then(
      (proxy) => {
        if (socket.destroyed) return;
        proxy.ws(req, socket, response.head, { target: upstream.origin }, (error) => this.#failed(exchange, response, error));
      },
      (error: unknown) => this.#failed(exchange, response, error instanceof Error ? error : new Error(String(error))),
    );
  };

  /** Cuts every relayed connection. */
  close(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    void this.#proxy?.then((proxy) => proxy.close());
  }

  #failed(exchange: Exchange, response: UpgradeResponse, error: Error): void {
    const requestId = exchange.requestId;
    this.#options.logger.warn({ requestId, function: exchange.functionName, err: error }, 'upgrade relay failed');
    // Before the backend's 101 nothing was written to the client, which can still get a 502.
    const socket = response.socket;
    const written = (socket as Partial<Socket>).bytesWritten ?? 0;
    if (written > 0 || !socket.writable) {
      socket.destroy();
      return;
    }
    response.refuse('upstream-unreachable', {
      requestId,
      functionName: exchange.functionName,
      serverTiming: serverTiming(0, 0),
      retryAfterSeconds: this.#options.retryAfterSeconds(),
    });
  }
}
