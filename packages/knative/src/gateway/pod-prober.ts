import http from 'node:http';

/** The activator's user agent; the queue-proxy answers it as a health check. */
export const ACTIVATOR_PROBE_USER_AGENT = 'Knative-Activator-Probe';

/**
 * Probes a revision pod as the activator does before sending it work: `GET /healthz` with
 * `K-Network-Probe: queue`; healthy only on 200 with body `queue` (the queue-proxy ran the user
 * container's readiness probe).
 */
export function probePod(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request(
      new URL('/healthz', url),
      { method: 'GET', agent: false, headers: { 'k-network-probe': 'queue', 'user-agent': ACTIVATOR_PROBE_USER_AGENT } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (body.length < 16) body += chunk;
        });
        response.on('end', () => resolve(response.statusCode === 200 && body === 'queue'));
        response.on('error', () => resolve(false));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy());
    request.on('error', () => resolve(false));
    request.end();
  });
}
