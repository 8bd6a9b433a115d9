import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface AdminServerOptions {
  readonly registry: Registry;
  /** False while draining: `/readyz` turns 503 so that load balancers stop sending. */
  readonly ready: () => boolean;
  /** What `/debug/queue` shows. */
  readonly debug: () => unknown;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The admin listener, on its own port: `/metrics`, `/healthz`, `/readyz`, `/debug/queue`. */
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
      case '/debug/queue': {
        const body = JSON.stringify(options.debug(), null, 2) + '\n';
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      default:
        text(res, 404, 'not found: try /metrics, /healthz, /readyz or /debug/queue\n');
    }
  });
}
