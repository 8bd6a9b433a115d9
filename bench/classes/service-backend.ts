import http from 'node:http';
import { requestFeatures } from '@shortline/core';
import { serviceBaseMs } from '@shortline/sim';
import type { TimeScale } from '../policies/scaled-workload.js';

/** The call's noise factor; no predictor feature reads it (features are the method, route, query, Content-Length, ce-type). */
export const NOISE_HEADER = 'x-bench-noise';
/** The duration the backend gave the call, in its answer, for the benchmark to check against the schedule. */
export const DURATION_HEADER = 'x-bench-duration-ms';

function answer(response: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/**
 * The simulator's `service` workload as a live function. Each call takes what the workload gives a
 * call like it — `serviceBaseMs` of its method, path, `range` and the bytes of body it actually read —
 * times its noise factor (NOISE_HEADER), scaled by `scale` and raised to its floor, exactly as the
 * benchmark's schedule was drawn; so whatever the proxy learns it learns from what the requests
 * show. The work is a timer, not computation, so that the machine's cores stay with the proxy and
 * the generator; reading the body counts towards the duration, as in a function that reads its
 * upload. Answers with the duration in DURATION_HEADER; 404 for a route the service does not
 * have, 400 without a noise factor.
 */
export function createServiceBackend(scale: TimeScale): http.Server {
  return http.createServer((request, response) => {
    const startedAt = performance.now();
    let bytes = 0;
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      const target = request.url ?? '/';
      const base = serviceBaseMs(requestFeatures(request.method ?? 'GET', target, bytes));
      if (base === undefined) {
        answer(response, 404, `no route ${request.method ?? ''} ${target.slice(0, 100)}\n`);
        return;
      }
      const noise = Number(request.headers[NOISE_HEADER]);
      if (!(noise > 0 && Number.isFinite(noise))) {
        answer(response, 400, `${NOISE_HEADER} must be a number > 0\n`);
        return;
      }
      const durationMs = Math.max(scale.floorMs, scale.factor * base * noise);
      const timer = setTimeout(() => answer(response, 200, `served in ${durationMs.toFixed(3)} ms\n`, { [DURATION_HEADER]: durationMs.toFixed(3) }), Math.max(0, startedAt + durationMs - performance.now()));
      // A client that leaves stops the wait.
      response.on('close', () => clearTimeout(timer));
    });
  });
}
