import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import httpProxy from 'http-proxy';
import type { Logger } from 'pino';
import { NEEDS_BODY, type Classifier } from './classify/index.js';
import { REFUSALS, refusalBody, type RefusalReason } from './http-errors.js';
import { serverTiming } from './response-headers.js';
import type { Upstream } from './upstream.js';

export interface UpgradeRelayOptions {
  readonly classifier: () => Classifier;
  /** The backend a function's upgrades go to now, or undefined if its pool has none. */
  readonly upstreamFor: (functionName: string) => Upstream | undefined;
  readonly logger: Logger;
}

/**
 * HTTP upgrades (WebSocket) are relayed straight to a backend of the request's function, through
 * http-proxy: they bypass the queue and take no concurrency slot. A WebSocket lives for minutes and
 * mostly idles, so holding a slot for it would starve the requests the slot exists for; the
 * connections relayed are counted instead (`shortline_upgrades_active`).
 */
export class UpgradeRelay {
  readonly #options: UpgradeRelayOptions;
  readonly #proxy = httpProxy.createProxyServer({ ws: true, xfwd: true });
  readonly #sockets = new Set<Duplex>();

  constructor(options: UpgradeRelayOptions) {
    this.#options = options;
  }

  get active(): number {
    return this.#sockets.size;
  }

  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && given !== '' ? given : randomUUID();
    req.headers['x-request-id'] = requestId;
    const classified = this.#options.classifier().classify(req);
    // An upgrade carries no body to look into, so a rule that needs one cannot match it.
    const functionName = classified === NEEDS_BODY ? undefined : classified;
    if (functionName === undefined) {
      this.#refuse(socket, 'unknown-function', '', requestId);
      return;
    }
    const upstream = this.#options.upstreamFor(functionName);
    if (upstream === undefined) {
      this.#refuse(socket, 'upstream-unreachable', functionName, requestId);
      return;
    }
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    this.#proxy.ws(req, socket, head, { target: upstream.origin }, (error) => {
      this.#options.logger.warn({ requestId, function: functionName, err: error }, 'upgrade relay failed');
      // Before the backend's 101 nothing was written to the client, which can still get a 502.
      const written = (socket as Partial<Socket>).bytesWritten ?? 0;
      if (written === 0 && socket.writable) this.#refuse(socket, 'upstream-unreachable', functionName, requestId);
      else socket.destroy();
    });
  }

  /** Cuts every relayed connection. */
  close(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    this.#proxy.close();
  }

  #refuse(socket: Duplex, reason: RefusalReason, functionName: string, requestId: string): void {
    const status = REFUSALS[reason].status;
    const body = refusalBody(reason, functionName, requestId);
    this.#options.logger.info({ requestId, function: functionName, reason, status, upgrade: true }, 'request refused');
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nserver-timing: ${serverTiming(0, 0)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
  }
}
