import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Changes } from './changes.js';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
}

/**
 * A real HTTP backend on 127.0.0.1 whose behaviour each request picks by query parameter:
 *   ?hold            answer only when the test calls release()
 *   ?download=N      stream N bytes (with backpressure)
 *   ?upload          count the body's bytes, answer the count
 *   ?echo            stream the body back
 *   ?fail-mid        send the head and some body, then cut the connection
 *   ?stall           send the head and some body, then nothing more
 *   ?status=N        answer status N
 *   ?headers         answer the request headers as JSON
 *   ?slow-head=MS    send the head after MS
 *   ?hop             answer with hop-by-hop headers a proxy must drop
 *   (none)           200 "ok <url>"
 * Upgrade requests get 101 and an echo. Every request is recorded in arrival order.
 */
export class TestBackend {
  readonly received: ReceivedRequest[] = [];
  /** Requests whose connection closed before the backend answered (the proxy aborted them). */
  readonly aborted: string[] = [];
  /** Told of every request received, held, answered or aborted: what `when*` waits on. */
  readonly changes = new Changes();
  readonly #held: { url: string; res: ServerResponse }[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;
  #port = 0;

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
    // Upgrades are accepted and echoed back byte for byte (a stand-in for a WebSocket server).
    this.#server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      this.received.push({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers, rawHeaders: req.rawHeaders });
      this.changes.notify();
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      if (head.length > 0) socket.write(head);
      socket.pipe(socket);
    });
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(): Promise<TestBackend> {
    const backend = new TestBackend();
    await backend.listen();
    return backend;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Answers every held request and forgets what was received, so the next test starts clean. */
  reset(): void {
    this.release(this.held);
    this.received.length = 0;
    this.aborted.length = 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get held(): number {
    return this.#held.length;
  }

  /** Paths (without query) of the requests received, in arrival order. */
  get paths(): string[] {
    return this.received.map((r) => r.url.split('?')[0] as string);
  }

  /** Resolves once `count` requests are held (waiting for `release`). */
  whenHeld(count: number): Promise<void> {
    return this.changes.when(() => this.held === count);
  }

  /** Resolves once `count` requests have been received. */
  whenReceived(count: number): Promise<void> {
    return this.changes.when(() => this.received.length >= count);
  }

  /** Resolves once `count` requests have seen their connection close before an answer. */
  whenAborted(count: number): Promise<void> {
    return this.changes.when(() => this.aborted.length >= count);
  }

  /** Answers the oldest held request(s). */
  release(count = 1): void {
    for (let i = 0; i < count; i++) {
      const held = this.#held.shift();
      if (held === undefined) return;
      held.res.end(`done ${held.url}`);
    }
    this.changes.notify();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    this.received.push({ method: req.method ?? '', url, headers: req.headers, rawHeaders: req.rawHeaders });
    this.changes.notify();
    res.on('close', () => {
      if (!res.writableFinished) this.aborted.push(url);
      this.changes.notify();
    });
    const query = new URL(url, 'http://backend').searchParams;
    if (query.has('hold')) {
      this.#held.push({ url, res });
      req.resume();
      this.changes.notify();
      return;
    }
    if (query.has('download')) {
      streamBytes(res, Number(query.get('download')));
      req.resume();
      return;
    }
    if (query.has('upload')) {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => res.end(String(bytes)));
      return;
    }
    if (query.has('echo')) {
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' });
      req.pipe(res);
      return;
    }
    if (query.has('fail-mid')) {
      res.writeHead(200, { 'content-length': '1000000' });
      res.write(Buffer.alloc(1000, 120), () => setTimeout(() => res.destroy(), 20));
      req.resume();
      return;
    }
    if (query.has('stall')) {
      res.writeHead(200, { 'content-length': '1000000' });
      res.write(Buffer.alloc(1000, 120));
      req.resume();
      return;
    }
    if (query.has('status')) {
      res.writeHead(Number(query.get('status')));
      res.end('backend says so');
      req.resume();
      return;
    }
    if (query.has('headers')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ headers: req.headers, rawHeaders: req.rawHeaders }));
      req.resume();
      return;
    }
    if (query.has('slow-head')) {
      setTimeout(() => res.end('late'), Number(query.get('slow-head')));
      req.resume();
      return;
    }
    if (query.has('hop')) {
      res.writeHead(200, { connection: 'keep-alive, x-hop', 'keep-alive': 'timeout=5', 'x-hop': 'secret', 'x-kept': 'yes' });
      res.end('hop');
      req.resume();
      return;
    }
    req.resume();
    res.end(`ok ${url}`);
  }
}

const CHUNK = Buffer.alloc(64 * 1024, 97);

function streamBytes(res: ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
  let left = total;
  const pump = (): void => {
    while (left > 0) {
      const size = Math.min(left, CHUNK.length);
      left -= size;
      const more = res.write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size));
      if (!more) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}
