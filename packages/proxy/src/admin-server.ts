import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { LiveQueueSnapshot } from './admin/live-queue.js';
import { QUEUE_PAGE } from './admin/queue-page.js';

export interface AdminServerOptions {
  readonly registry: Registry;
  /** False while draining: `/readyz` turns 503 so that load balancers stop sending. */
  readonly ready: () => boolean;
  /** What `/debug/queue` shows, and the counts of the `/queue` page. */
  readonly debug: () => unknown;
  /** Request-by-request detail for the `/queue` page (createLiveQueue); without it the page shows the counts only. */
  readonly liveQueue?: () => LiveQueueSnapshot;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function json(res: ServerResponse, value: unknown, space?: number): void {
  const body = JSON.stringify(value, null, space) + '\n';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * The admin listener, on its own port: `/metrics`, `/healthz`, `/readyz`, `/debug/queue`, and the
 * live queue page `/queue` (`/` leads there) with the `/queue.json` it polls.
 */
export function createAdminServer(options: AdminServerOptions): Server {
  return createServer((req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    switch (path) {
      case '/metrics':
        options.registry.metrics().then(
          (body) => {
            res.writeHead(200, { 'content-type': options.registry.contentType });
            res.end(body);
          },
          (error: unknown) => text(res, 500, `metrics failed: ${String(error)}\n`),
        );
        return;
      case '/healthz':
        text(res, 200, 'ok\n');
        return;
      case '/readyz':
        if (options.ready()) text(res, 200, 'ready\n');
        else text(res, 503, 'draining\n');
        return;
      case '/debug/queue':
        json(res, options.debug(), 2);
        return;
      case '/':
        res.writeHead(302, { location: '/queue', 'content-length': 0 });
        res.end();
        return;
      case '/queue':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(QUEUE_PAGE) });
        res.end(QUEUE_PAGE);
        return;
      case '/queue.json':
        json(res, { queue: options.debug(), live: options.liveQueue?.() ?? null });
        return;
      default:
        text(res, 404, 'not found: try /queue, /metrics, /healthz, /readyz or /debug/queue\n');
    }
  });
}
