import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Pool, type Dispatcher } from 'undici';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);
const endToEnd = (headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

/**
 * The baseline of the comparison: the least a Node proxy must do (node:http in, undici out, bodies
 * streamed, hop-by-hop headers dropped) and nothing more: no classification, queue, timeouts or metrics.
 */
export function createPassThrough(backend: string): Server {
  const pool = new Pool(backend);
  return createServer((req, res) => {
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    const request = { method: req.method as Dispatcher.HttpMethod, path: req.url ?? '/', headers: endToEnd(req.headers), body: hasBody ? req : null };
    pool.stream(request, ({ statusCode, headers }) => res.writeHead(statusCode, endToEnd(headers)), (error) => {
      if (error !== null && !res.headersSent) res.writeHead(502).end();
      else if (error !== null) res.destroy();
    });
  });
}
