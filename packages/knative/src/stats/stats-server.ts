import http from 'node:http';
import { replyText } from '@shortline/proxy';
import type { Registry } from 'prom-client';
import { encodeStat, type Stat } from './stat-message.js';

export const PROTOBUF_MEDIA_TYPE = 'application/protobuf';

export interface StatsServerOptions {
  readonly current: () => Stat;
  /** Prometheus text of the same figures for scrapers that do not ask for protobuf. */
  readonly metrics: Registry;
}

/**
 * The autoscaler's scrape endpoint (:9090): `GET /metrics` with `Accept: application/protobuf` gets
 * the Stat message with exactly that Content-Type; any other Accept gets Prometheus text.
 */
export function createStatsServer(options: StatsServerOptions): http.Server {
  return http.createServer((req, res) => {
    req.resume();
    const path = req.url?.split('?', 1)[0];
    if (path !== '/metrics') return replyText(res, 404, 'not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return replyText(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
    if (req.headers.accept?.includes(PROTOBUF_MEDIA_TYPE) === true) {
      const body = encodeStat(options.current());
      res.writeHead(200, { 'content-type': PROTOBUF_MEDIA_TYPE, 'content-length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    options.metrics.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': options.metrics.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: Error) => replyText(res, 500, error.message),
    );
  });
}
