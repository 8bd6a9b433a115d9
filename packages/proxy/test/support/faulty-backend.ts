import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A backend on 127.0.0.1 that misbehaves on request, by the first path segment:
 *   /ok/...         200 "ok"
 *   /crash-mid/...  sends the head and part of the body, then drops the connection
 *   /reset/...      resets the connection (TCP RST) without answering
 *   /close/...      closes the connection (FIN) without answering
 *   /close-reused/... closes it without answering when an earlier request came on it (the keep-alive
 *                   race: a server closing an idle connection as the next request arrives); else 200
 *   /never/...      never answers
 *   /drip/...       200 with a 20-byte body sent one byte every few milliseconds
 *   /slow/...       200 "ok" after 5 ms
 * Every request's path (and headers) is recorded in arrival order, so a test can tell whether one came twice.
 */
export class FaultyBackend {
  readonly received: string[] = [];
  readonly headers: IncomingHttpHeaders[] = [];
  readonly #sockets = new Set<Socket>();
  /** Requests each open connection has carried. */
  readonly #carried = new WeakMap<Socket, number>();
  readonly #server: Server;
  #port = 0;

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(): Promise<FaultyBackend> {
    const backend = new FaultyBackend();
    await new Promise<void>((resolve) => backend.#server.listen(0, '127.0.0.1', resolve));
    backend.#port = (backend.#server.address() as AddressInfo).port;
    return backend;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    this.received.push(path.split('?')[0] as string);
    this.headers.push(req.headers);
    req.resume();
    const socket = req.socket;
    const earlier = this.#carried.get(socket) ?? 0;
    this.#carried.set(socket, earlier + 1);
    switch (path.split('/')[1]) {
      case 'crash-mid':
        res.writeHead(200, { 'content-length': '1000' });
        res.write(Buffer.alloc(100, 120), () => socket.destroy());
        return;
      case 'reset':
        socket.resetAndDestroy();
        return;
      case 'close':
        socket.destroy();
        return;
      case 'close-reused':
        if (earlier > 0) socket.destroy();
        else res.end('ok');
        return;
      case 'never':
        return;
      case 'drip':
        drip(res, 20);
        return;
      case 'slow':
        setTimeout(() => res.end('ok'), 5);
        return;
      default:
        res.end('ok');
    }
  }
}

function drip(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-length': String(bytes) });
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer);
      return;
    }
    res.write('x');
    if (++sent === bytes) {
      clearInterval(timer);
      res.end();
    }
  }, 3);
}
