import http from 'node:http';
import { HeldRequests, type Holding } from './held-requests.js';
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
 * `when` resolves once a condition on what it received or holds is true.
 */
export interface UserContainer extends Holding {
  readonly port: number;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startUserContainer(): Promise<UserContainer> {
  const received: ReceivedRequest[] = [];
  const held = new HeldRequests();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    received.push({ method: req.method ?? '', url, headers: req.headers });
    held.changes.notify();
    req.resume();
    if (url.startsWith('/hold')) {
      held.hold(() => res.end(`released ${url}`));
    } else if (url.startsWith('/stall')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first chunk\n');
      held.hold(() => res.end('last chunk\n'));
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
      return held.count;
    },
    release: () => held.release(),
    when: (condition) => held.changes.when(condition),
    close: async () => {
      held.release();
      await close(server);
    },
  };
}
