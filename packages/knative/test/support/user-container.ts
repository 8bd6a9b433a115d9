import http from 'node:http';
import { close, listen } from './http.js';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

/**
 * A user container on 127.0.0.1 that records what reaches it:
 *   /hold...   held until the test calls release() (then 200 `released <url>`)
 *   /stall     sends its head and one chunk, then nothing until released
 *   /headers   answers the request headers it got, as JSON
 *   anything else: 200 `ok <url>`
 */
export interface UserContainer {
  readonly port: number;
  readonly received: ReceivedRequest[];
  /** Requests held now. */
  readonly held: number;
  /** Answers every held request. */
  release(): void;
  close(): Promise<void>;
}

export async function startUserContainer(): Promise<UserContainer> {
  const received: ReceivedRequest[] = [];
  let waiting: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    received.push({ method: req.method ?? '', url, headers: req.headers });
    req.resume();
    if (url.startsWith('/hold')) {
      waiting.push(() => res.end(`released ${url}`));
    } else if (url.startsWith('/stall')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first chunk\n');
      waiting.push(() => res.end('last chunk\n'));
    } else if (url.startsWith('/headers')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.headers));
    } else {
      res.end(`ok ${url}`);
    }
  });
  const port = await listen(server);
  return {
    port,
    received,
    get held() {
      return waiting.length;
    },
    release(): void {
      const answering = waiting;
      waiting = [];
      for (const answer of answering) answer();
    },
    close: async () => {
      const answering = waiting;
      waiting = [];
      for (const answer of answering) answer();
      await close(server);
    },
  };
}
